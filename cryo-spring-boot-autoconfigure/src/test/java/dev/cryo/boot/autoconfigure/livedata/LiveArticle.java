package dev.cryo.boot.autoconfigure.livedata;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/**
 * A test entity watched through properties only.
 */
@Entity
public class LiveArticle {

	@Id
	@GeneratedValue
	private Long id;

	private String headline;

	private String editorNotes;

	protected LiveArticle() {
	}

	LiveArticle(String headline, String editorNotes) {
		this.headline = headline;
		this.editorNotes = editorNotes;
	}

}
