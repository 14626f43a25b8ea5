package dev.cryo.server;

/**
 * Decides whether a bearer token may open a Cryo session. The token is everything after
 * {@code Bearer } in the {@code authorization} query parameter (or the {@code Authorization}
 * header), unchanged. Called on the upgrade request's thread before any session exists;
 * returning {@code false} or throwing refuses the upgrade with 401.
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
