package dev.cryo.sample;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.CryoPlugin;
import dev.cryo.endpoint.EndpointMapping;
import dev.cryo.endpoint.Requires;
import dev.cryo.sample.PostService.PostView;

/**
 * The demo's message board on the endpoint layer: {@code posts:post} {@code read} lists the 50
 * newest posts, and a signed-in connection ({@link AuthPlugin}) may {@code create} one
 * ({@code {"title":"…","content":"…","internalNotes":"…"}}), and {@code update}
 * ({@code {"id":42,"title":"…","content":"…"}}) or {@code delete} ({@code {"id":42}}) its own.
 * Each answers with the post's public fields. Every connection hears of every committed change
 * through live data (type {@code data-changed}, see {@link Post}); to follow one post only, a
 * client ends its subscription to the model and subscribes to the row with the bundled
 * {@code live-data:subscription} endpoint.
 */
@CryoPlugin("posts")
class PostsPlugin {

	private final PostService posts;

	PostsPlugin(PostService posts) {
		this.posts = posts;
	}

	@EndpointMapping(endpoint = "post", method = "read")
	Posts read() {
		return new Posts(this.posts.latest());
	}

	@EndpointMapping(endpoint = "post", method = "create")
	@Requires(settings = "auth.authenticated=true")
	PostView create(@Valid CreateRequest request, ConnectionSettings settings) {
		String content = (request.content() != null) ? request.content() : "";
		return this.posts.create(userId(settings), request.title(), content, request.internalNotes());
	}

	@EndpointMapping(endpoint = "post", method = "update")
	@Requires(settings = "auth.authenticated=true")
	PostView update(@Valid UpdateRequest request, ConnectionSettings settings) {
		return this.posts.update(userId(settings), request.id(), request.title(), request.content());
	}

	@EndpointMapping(endpoint = "post", method = "delete")
	@Requires(settings = "auth.authenticated=true")
	PostView delete(@Valid DeleteRequest request, ConnectionSettings settings) {
		return this.posts.delete(userId(settings), request.id());
	}

	private static String userId(ConnectionSettings settings) {
		return String.valueOf(settings.get("auth", "userId"));
	}

	/**
	 * The request of {@code posts:post} {@code create}.
	 * @param title the title, 1 to 200 characters
	 * @param content the text, at most 10,000 characters (empty when missing)
	 * @param internalNotes notes kept on the server, never sent to any client
	 */
	record CreateRequest(@NotNull @Size(min = 1, max = Post.MAX_TITLE_LENGTH) String title,
			@Nullable @Size(max = Post.MAX_CONTENT_LENGTH) String content,
			@Nullable @Size(max = Post.MAX_CONTENT_LENGTH) String internalNotes) {
	}

	/**
	 * The request of {@code posts:post} {@code update}.
	 * @param id the post's id
	 * @param title the new title (1 to 200 characters), or {@code null} to keep it
	 * @param content the new text (at most 10,000 characters), or {@code null} to keep it
	 */
	record UpdateRequest(@NotNull Long id, @Nullable @Size(min = 1, max = Post.MAX_TITLE_LENGTH) String title,
			@Nullable @Size(max = Post.MAX_CONTENT_LENGTH) String content) {
	}

	/**
	 * The request of {@code posts:post} {@code delete}.
	 * @param id the post's id
	 */
	record DeleteRequest(@NotNull Long id) {
	}

	/**
	 * The answer of {@code posts:post} {@code read}.
	 * @param posts the newest posts, newest first
	 */
	record Posts(List<PostView> posts) {
	}

}
