package dev.cryo.server.support;

import java.nio.ByteBuffer;

/**
 * The transport's handle on one server session: the container callbacks of its WebSocket
 * connection. The web layer drives a session through it; applications never see it, they hold a
 * {@link dev.cryo.server.CryoSession}.
 */
public interface SessionConnection {

	/**
	 * Sends the server's ENDPOINT_INFO and makes the session live (listed, and pinged by the
	 * heartbeat). Call it once the connection's close callback can reach this session: if the
	 * peer already reset the connection, this first write fails and the session closes at once.
	 */
	void start();

	/**
	 * Hands one complete received message to the session, in a buffer its sender may reuse.
	 * Called for one connection from one thread at a time, in arrival order.
	 * @param message the message; read during the call only
	 */
	default void receive(ByteBuffer message) {
		receive(message, false);
	}

	/**
	 * Hands one complete received message to the session. Called for one connection from one
	 * thread at a time, in arrival order; the session's message handlers run before it returns.
	 * @param message the message
	 * @param owned whether the bytes are the message's own and nobody changes them after the
	 * call (an array reassembled for it), so that the session may hand views of them to the
	 * application without a copy; {@code false} when the buffer is reused (the container's)
	 */
	void receive(ByteBuffer message, boolean owned);

	/**
	 * Reports the end of the WebSocket connection, by either side.
	 * @param code the close code
	 * @param reason the close reason
	 */
	void transportClosed(int code, String reason);

	/**
	 * Closes the connection at once with the given code, e.g. 1009 for a message over the limit.
	 * @param code the close code
	 * @param reason the close reason
	 */
	void closeNow(int code, String reason);

}
