package dev.cryo.server;

/**
 * Decides whether a bearer token may open a Cryo session. The token is everything after
 * {@code Bearer } in the {@code authorization} query parameter (or the {@code Authorization}
 * header), unchanged. Called before any session exists, on a bounded pool of its own
 * ({@code cryo.authentication.max-threads}), never on the container's thread; returning
 * {@code false} or throwing refuses the upgrade with 401, and so does not answering within
 * {@code cryo.authentication.timeout}.
 *
 * <p>A validator only says that a token is good, not whose it is: the sessions it lets in all
 * have the principal {@link CryoPrincipal#ANONYMOUS} ({@code anonymous}). Define a
 * {@link CryoAuthenticator} instead to give each session its user; when both beans exist, the
 * authenticator is used.
 *
 * <p>Compare secrets in constant time (for example with
 * {@link java.security.MessageDigest#isEqual(byte[], byte[])}); the token is never logged.
 */
@FunctionalInterface
public interface TokenValidator {

	/**
	 * Returns whether the token is acceptable.
	 * @param token the bearer token, never empty
	 * @return {@code true} to let the upgrade proceed
	 */
	boolean isValid(String token);

	/**
	 * Returns a validator that refuses every token: the secure default when the application
	 * has not configured one.
	 * @return a validator that always answers {@code false}
	 */
	static TokenValidator denyAll() {
		return (token) -> false;
	}

}
