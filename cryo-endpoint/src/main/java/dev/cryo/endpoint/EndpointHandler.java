package dev.cryo.endpoint;

import org.jspecify.annotations.Nullable;

/**
 * The handler of one endpoint method in the functional API.
 *
 * @param <B> the request body type
 */
@FunctionalInterface
public interface EndpointHandler<B> {

	/**
	 * Handles a request whose body was bound and validated.
	 * @param context the connection, request and multicaster
	 * @param body the bound body; {@code null} when the request has no data
	 * @return the response's data: any value Jackson writes, an {@link EndpointResult}, a
	 * {@link java.util.concurrent.CompletionStage} of either, or {@code null}
	 * @throws Exception anything; an {@link EndpointException}'s messages reach the client, any
	 * other exception is logged and answered with an internal error
	 */
	@Nullable Object handle(EndpointContext context, @Nullable B body) throws Exception;

}
