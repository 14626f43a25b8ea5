package dev.cryo.client;

import java.net.URI;

/**
 * The server refused the WebSocket upgrade: 401 for missing or invalid credentials or session id
 * (cryo-v1.md §2.3), 503 when it is full or shutting down.
 */
public class CryoHandshakeRefusedException extends CryoConnectException {

	private static final long serialVersionUID = 1L;

	private final int statusCode;

	private final String serverMessage;

	/**
	 * Creates an exception.
	 * @param endpoint the endpoint, without query
	 * @param statusCode the HTTP status of the refusal
	 * @param serverMessage the server's explanation, as found in the response body; empty if it
	 * gave none
	 */
	public CryoHandshakeRefusedException(URI endpoint, int statusCode, String serverMessage) {
		super(endpoint, "the server refused the upgrade with HTTP " + statusCode
				+ (serverMessage.isEmpty() ? "" : ": " + serverMessage), null);
		this.statusCode = statusCode;
		this.serverMessage = serverMessage;
	}

	/**
	 * Returns the HTTP status of the refusal.
	 * @return e.g. 401 or 503
	 */
	public int getStatusCode() {
		return this.statusCode;
	}

	/**
	 * Returns the server's explanation, e.g. {@code Invalid bearer token in authorization query.}.
	 * It is informational (the protocol does not define the body), so do not branch on it.
	 * @return the message, or an empty string
	 */
	public String getServerMessage() {
		return this.serverMessage;
	}

	/**
	 * A 401 is final (the same credentials will be refused again); any other status, such as 503,
	 * is worth another attempt.
	 */
	@Override
	public boolean isRetryable() {
		return this.statusCode != 401;
	}

}
