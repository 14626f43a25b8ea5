package dev.cryo.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides who opens a Cryo session, before the upgrade happens: given what the request carries
 * ({@link HandshakeDetails}), it answers with the session's principal and its attributes, or with
 * a refusal whose message the 401 body shows. The server uses exactly one authenticator: the
 * application's {@code CryoAuthenticator} bean, else Spring Security's resource server (its
 * {@code JwtDecoder}, {@code OpaqueTokenIntrospector} or {@code AuthenticationManager} bean; the
 * principal is then the Spring Security {@code Authentication}), else its {@link TokenValidator}
 * bean adapted to one (the principal is then {@link CryoPrincipal#ANONYMOUS}), else one that
 * refuses everyone. Blocking authentications run on a bounded pool
 * ({@link dev.cryo.server.support.PooledAuthenticator}).
 *
 * <p>The stage may complete on any thread. The upgrade waits for it at most
 * {@code cryo.authentication.timeout} and is then refused with 401; an authenticator that calls a
 * remote service should therefore answer asynchronously rather than block the caller, and one
 * that hands the work to a bounded executor may fail the stage with
 * {@link java.util.concurrent.RejectedExecutionException} when it is full, which refuses the
 * upgrade with 503. A stage that fails otherwise refuses it with 401. The order of the protocol's
 * checks is kept: the authenticator is asked after the authorization value and the session id
 * were read and, in Cryo v1 and CAMP, before the session id is reserved (cryo-v1.md §2.3).
 */
@FunctionalInterface
public interface CryoAuthenticator {

	/**
	 * Authenticates an upgrade request.
	 * @param handshake what the request carries
	 * @return completes with the outcome; never {@code null}
	 */
	CompletionStage<CryoAuthentication> authenticate(HandshakeDetails handshake);

	/**
	 * Returns an authenticator that refuses every request at once: the secure default when the
	 * application has configured neither an authenticator nor a token validator.
	 * @return an authenticator that always refuses
	 */
	static CryoAuthenticator denyAll() {
		CompletableFuture<CryoAuthentication> refused = CompletableFuture
			.completedFuture(CryoAuthentication.refused(CryoAuthentication.INVALID_TOKEN_MESSAGE));
		return (handshake) -> refused;
	}

}
