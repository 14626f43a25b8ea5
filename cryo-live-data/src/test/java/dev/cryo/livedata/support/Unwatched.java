package dev.cryo.livedata.support;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/**
 * A test entity nobody watches.
 */
@Entity
public class Unwatched {

	@Id
	@GeneratedValue
	private Long id;

	private String name;

	protected Unwatched() {
	}

	Unwatched(String name) {
		this.name = name;
	}

}
