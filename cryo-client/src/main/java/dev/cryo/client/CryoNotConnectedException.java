package dev.cryo.client;

import dev.cryo.core.engine.CryoSessionException;

/**
 * A send was attempted while the client had no established connection: before the first
 * connect finished, between a lost connection and its reconnect, or after the client closed.
 * The client does not buffer such sends; the caller decides whether to retry after
 * {@link CryoClientListener#onReconnected}.
 */
public final class CryoNotConnectedException extends CryoSessionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param state the client's state at the time of the send
	 */
	public CryoNotConnectedException(CryoClientSession.State state) {
		super("The Cryo client is not connected (state " + state + ")");
	}

}
