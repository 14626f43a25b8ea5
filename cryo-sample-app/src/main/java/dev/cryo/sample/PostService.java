package dev.cryo.sample;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.cryo.endpoint.EndpointException;

/**
 * Changes {@link Post posts}, each change in one transaction: live data sends its notification
 * after the commit, so clients never hear of a change that was rolled back.
 */
@Service
public class PostService {

	static final String ONLY_THE_AUTHOR_MESSAGE = "Only the author may change a post.";

	private final PostRepository posts;

	PostService(PostRepository posts) {
		this.posts = posts;
	}

	/**
	 * Creates a post.
	 * @param authorId the user id of its author
	 * @param title the title
	 * @param content the text
	 * @param internalNotes notes never sent to clients, or {@code null}
	 * @return the post's public fields
	 */
	@Transactional
	public PostView create(String authorId, String title, String content, @Nullable String internalNotes) {
		return PostView.of(this.posts.save(new Post(authorId, title, content, internalNotes)));
	}

	/**
	 * Changes a post's title and text, for its author only.
	 * @param userId who asks
	 * @param id the post's id
	 * @param title the new title, or {@code null} to keep it
	 * @param content the new text, or {@code null} to keep it
	 * @return the post's public fields afterwards
	 * @throws EndpointException when there is no such post or {@code userId} is not its author
	 */
	@Transactional
	public PostView update(String userId, long id, @Nullable String title, @Nullable String content) {
		Post post = authored(userId, id);
		if (title != null) {
			post.setTitle(title);
		}
		if (content != null) {
			post.setContent(content);
		}
		return PostView.of(post);
	}

	/**
	 * Deletes a post, for its author only.
	 * @param userId who asks
	 * @param id the post's id
	 * @return the deleted post's public fields
	 * @throws EndpointException when there is no such post or {@code userId} is not its author
	 */
	@Transactional
	public PostView delete(String userId, long id) {
		Post post = authored(userId, id);
		this.posts.delete(post);
		return PostView.of(post);
	}

	/**
	 * Returns the public fields of the 50 newest posts, newest first.
	 * @return the posts
	 */
	@Transactional(readOnly = true)
	public List<PostView> latest() {
		return this.posts.findTop50ByOrderByIdDesc().stream().map(PostView::of).toList();
	}

	private Post authored(String userId, long id) {
		Post post = this.posts.findById(id).orElseThrow(() -> new EndpointException("No post " + id + "."));
		if (!post.getAuthorId().equals(userId)) {
			throw new EndpointException(ONLY_THE_AUTHOR_MESSAGE);
		}
		return post;
	}

	/**
	 * The public fields of a post: what answers and live-data notifications carry.
	 * @param id the id
	 * @param title the title
	 * @param content the text
	 * @param authorId the author's user id
	 */
	public record PostView(@Nullable Long id, String title, String content, String authorId) {

		static PostView of(Post post) {
			return new PostView(post.getId(), post.getTitle(), post.getContent(), post.getAuthorId());
		}

	}

}
