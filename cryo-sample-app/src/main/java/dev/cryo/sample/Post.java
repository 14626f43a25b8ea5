package dev.cryo.sample;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

import dev.cryo.livedata.LiveData;

/**
 * A post of the demo's message board. Its committed changes are live data: every connection is
 * subscribed to the model {@code Post} when it opens, and each change is sent with the public
 * fields {@code id}, {@code title}, {@code content} and {@code authorId} only;
 * {@link #getInternalNotes() internal notes} stay on the server.
 */
@Entity
@Table(name = "posts")
@LiveData(fields = { "id", "title", "content", "authorId" }, autoSubscribe = true)
public class Post {

	/** The longest title, in characters. */
	public static final int MAX_TITLE_LENGTH = 200;

	/** The longest content (and internal notes), in characters. */
	public static final int MAX_CONTENT_LENGTH = 10_000;

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	@Column(nullable = false, length = MAX_TITLE_LENGTH)
	private String title = "";

	@Column(nullable = false, length = MAX_CONTENT_LENGTH)
	private String content = "";

	@Column(nullable = false, length = MAX_TITLE_LENGTH)
	private String authorId = "";

	@Column(length = MAX_CONTENT_LENGTH)
	private @Nullable String internalNotes;

	/** For JPA. */
	protected Post() {
	}

	/**
	 * Creates a post that is not saved yet.
	 * @param authorId the user id of its author
	 * @param title the title
	 * @param content the text
	 * @param internalNotes notes that are never sent to clients, or {@code null}
	 */
	public Post(String authorId, String title, String content, @Nullable String internalNotes) {
		this.authorId = authorId;
		this.title = title;
		this.content = content;
		this.internalNotes = internalNotes;
	}

	/**
	 * Returns the id, {@code null} until the post is saved.
	 * @return the id
	 */
	public @Nullable Long getId() {
		return this.id;
	}

	/**
	 * Returns the title.
	 * @return the title
	 */
	public String getTitle() {
		return this.title;
	}

	/**
	 * Changes the title.
	 * @param title the title
	 */
	public void setTitle(String title) {
		this.title = title;
	}

	/**
	 * Returns the text.
	 * @return the text
	 */
	public String getContent() {
		return this.content;
	}

	/**
	 * Changes the text.
	 * @param content the text
	 */
	public void setContent(String content) {
		this.content = content;
	}

	/**
	 * Returns the user id of the author ({@code auth.userId} of the connection that created it).
	 * @return the author's user id
	 */
	public String getAuthorId() {
		return this.authorId;
	}

	/**
	 * Returns the internal notes, which no client ever receives.
	 * @return the notes, or {@code null}
	 */
	public @Nullable String getInternalNotes() {
		return this.internalNotes;
	}

	/**
	 * Changes the internal notes.
	 * @param internalNotes the notes, or {@code null}
	 */
	public void setInternalNotes(@Nullable String internalNotes) {
		this.internalNotes = internalNotes;
	}

}
