package dev.cryo.client;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * A Cryo connection could not be established: the server was unreachable, refused the upgrade,
 * did not finish the handshake in time, or speaks another protocol version. The message names
 * the endpoint without its query, so it never carries the token.
 */
public class CryoConnectException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final URI endpoint;

	/**
	 * Creates an exception.
	 * @param endpoint the endpoint, without query
	 * @param message what went wrong
	 * @param cause the underlying failure, if any
	 */
	public CryoConnectException(URI endpoint, String message, @Nullable Throwable cause) {
		super("Cannot connect to " + endpoint + ": " + message, cause);
		this.endpoint = endpoint;
	}

	/**
	 * Returns the endpoint the connection was for.
	 * @return the endpoint URI, without query
	 */
	public URI getEndpoint() {
		return this.endpoint;
	}

	/**
	 * Returns whether trying again later may succeed. Refusals of the credentials and version
	 * mismatches are permanent; unreachable servers, timeouts and 503 are not.
	 * @return whether a reconnect should keep trying
	 */
	public boolean isRetryable() {
		return true;
	}

}
