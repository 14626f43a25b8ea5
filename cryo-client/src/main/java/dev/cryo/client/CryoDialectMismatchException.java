package dev.cryo.client;

import java.net.URI;

/**
 * The server accepted the upgrade but did not answer the subprotocol the client's dialect
 * offered (camp.md §1): it has not said that it speaks that dialect, so the client closed the
 * connection before its first frame. A server that does not know CAMP treats the connection as
 * another dialect, whose frames share type codes with CAMP's and mean other things.
 */
public class CryoDialectMismatchException extends CryoConnectException {

	private static final long serialVersionUID = 1L;

	private final String offeredSubprotocol;

	private final String answeredSubprotocol;

	/**
	 * Creates an exception.
	 * @param endpoint the endpoint, without query
	 * @param offeredSubprotocol the subprotocol the client offered, e.g. {@code camp}
	 * @param answeredSubprotocol the subprotocol the server answered, empty for none
	 */
	public CryoDialectMismatchException(URI endpoint, String offeredSubprotocol, String answeredSubprotocol) {
		super(endpoint, "the server did not answer the '" + offeredSubprotocol + "' subprotocol ("
				+ (answeredSubprotocol.isEmpty() ? "it answered none" : "it answered '" + answeredSubprotocol + "'")
				+ "), so it does not speak that dialect", null);
		this.offeredSubprotocol = offeredSubprotocol;
		this.answeredSubprotocol = answeredSubprotocol;
	}

	/**
	 * Returns the subprotocol the client offered.
	 * @return the subprotocol
	 */
	public String getOfferedSubprotocol() {
		return this.offeredSubprotocol;
	}

	/**
	 * Returns the subprotocol the server answered.
	 * @return the subprotocol, empty when the 101 carried none
	 */
	public String getAnsweredSubprotocol() {
		return this.answeredSubprotocol;
	}

	/** The same server will answer the same way: another attempt does not help. */
	@Override
	public boolean isRetryable() {
		return false;
	}

}
