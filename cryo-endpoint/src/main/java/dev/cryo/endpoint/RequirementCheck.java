package dev.cryo.endpoint;

import java.util.concurrent.CompletionStage;

/**
 * A requirement that is not a settings equality: a bean named in
 * {@link Requires#checks() @Requires(checks = …)} or given to the functional API. It may answer
 * asynchronously; a stage that fails or does not complete within
 * {@code cryo.endpoints.requirement-timeout} counts as not met.
 */
@FunctionalInterface
public interface RequirementCheck {

	/**
	 * Decides whether a request may run.
	 * @param connection the connection that sent it
	 * @param request the request (for the binary handler, a request with the endpoint
	 * {@code binary} and no data)
	 * @return completes with {@code true} when the requirement is met
	 */
	CompletionStage<Boolean> check(EndpointConnection connection, EndpointRequest request);

}
