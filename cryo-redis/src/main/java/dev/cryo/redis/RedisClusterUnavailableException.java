package dev.cryo.redis;

/**
 * Redis could not be reached within the command timeout, or was found unreachable a moment ago:
 * the cluster operation did not happen. Operations fail with it at once, without waiting again,
 * until the next attempt after a short pause succeeds.
 */
public final class RedisClusterUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	RedisClusterUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
