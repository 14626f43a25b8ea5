package dev.cryo.livedata.support;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;

/**
 * A test entity watched through configuration ({@link LiveDataModelDefinition}) only, with an
 * association that must not be allow-listed.
 */
@Entity
public class Comment {

	@Id
	@GeneratedValue
	private Long id;

	private String body;

	private String authorEmail;

	@ManyToOne
	private Post post;

	protected Comment() {
	}

	Comment(String body, String authorEmail) {
		this.body = body;
		this.authorEmail = authorEmail;
	}

	Long getId() {
		return this.id;
	}

}
