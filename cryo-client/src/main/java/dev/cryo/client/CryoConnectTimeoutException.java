package dev.cryo.client;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/** The connection, the WebSocket upgrade or the Cryo handshake did not finish within the connect timeout. */
public class CryoConnectTimeoutException extends CryoConnectException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param endpoint the endpoint, without query
	 * @param timeout the connect timeout that expired
	 * @param cause the underlying timeout, if any
	 */
	public CryoConnectTimeoutException(URI endpoint, Duration timeout, @Nullable Throwable cause) {
		super(endpoint, "no established session within " + timeout.toMillis() + " ms", cause);
	}

}
