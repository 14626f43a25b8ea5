package dev.cryo.client;

import java.net.URI;

/**
 * The server announced a protocol version other than 1 in its ENDPOINT_INFO; the client said BYE
 * and closed (cryo-v1.md §3 item 8).
 */
public class CryoProtocolMismatchException extends CryoConnectException {

	private static final long serialVersionUID = 1L;

	private final long serverVersion;

	/**
	 * Creates an exception.
	 * @param endpoint the endpoint, without query
	 * @param serverVersion the version the server offered, unsigned
	 */
	public CryoProtocolMismatchException(URI endpoint, long serverVersion) {
		super(endpoint, "the server speaks protocol version " + serverVersion + ", this client speaks 1", null);
		this.serverVersion = serverVersion;
	}

	/**
	 * Returns the protocol version the server offered.
	 * @return the unsigned version
	 */
	public long getServerVersion() {
		return this.serverVersion;
	}

	@Override
	public boolean isRetryable() {
		return false;
	}

}
