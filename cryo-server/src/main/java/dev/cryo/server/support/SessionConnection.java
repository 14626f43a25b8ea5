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
	 * Hands one complete received message to the session. Called for one connection from one
	 * thread at a time, in arrival order.
	 * @param message the message; read during the call only
	 */
	void receive(ByteBuffer message);

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
