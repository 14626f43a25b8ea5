package dev.cryo.livedata.support;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

import dev.cryo.livedata.LiveData;

/**
 * A watched test entity: {@code internalNotes} is private and must never leave the server.
 */
@Entity
@LiveData(fields = { "id", "title", "content", "authorId" })
public class Post {

	@Id
	@GeneratedValue
	private Long id;

	private String title;

	private String content;

	private Long authorId;

	private String internalNotes;

	protected Post() {
	}

	Post(String title, String content, Long authorId, String internalNotes) {
		this.title = title;
		this.content = content;
		this.authorId = authorId;
		this.internalNotes = internalNotes;
	}

	Long getId() {
		return this.id;
	}

	String getTitle() {
		return this.title;
	}

	void setTitle(String title) {
		this.title = title;
	}

	void setInternalNotes(String internalNotes) {
		this.internalNotes = internalNotes;
	}

}
