package dev.cryo.client;

import java.nio.ByteBuffer;

import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.transaction.IncomingStream;

/**
 * Receives what happens to a {@link CryoClientSession}: the connection events of the published
 * Cryo clients ({@code connected}, {@code disconnected}, {@code reconnected}, {@code closed}) and
 * the peer's messages.
 *
 * <p>Message callbacks run on the thread that reads the connection, one at a time and in order;
 * the next message is not read until the callback returns, so a slow listener slows its own
 * connection (TCP pushes back on the server) and nothing else. Do not block in a callback on a
 * future of the same session: its ACK arrives on the thread the callback is holding. Every
 * method has an empty default, so implement only what you need.
 */
public interface CryoClientListener {

	/**
	 * The first connection is established: both ENDPOINT_INFO frames were exchanged and ours
	 * was ACKed.
	 * @param session the session
	 */
	default void onConnected(CryoClientSession session) {
	}

	/**
	 * An established connection ended without the application asking for it (the server said
	 * BYE, closed, stopped pinging, or the network failed). A reconnect follows if the
	 * {@link ReconnectPolicy} allows one; otherwise {@link #onClosed} follows.
	 * @param session the session
	 * @param closeInfo how the connection ended
	 */
	default void onDisconnected(CryoClientSession session, CloseInfo closeInfo) {
	}

	/**
	 * A reconnect attempt failed; another follows unless the attempts are used up or the
	 * failure is final (see {@link CryoConnectException#isRetryable()}).
	 * @param session the session
	 * @param attempt the attempt number, from 1
	 * @param failure why it failed
	 */
	default void onReconnectFailed(CryoClientSession session, int attempt, Throwable failure) {
	}

	/**
	 * A reconnect attempt succeeded: the session runs on a new connection with a new session id.
	 * @param session the session
	 */
	default void onReconnected(CryoClientSession session) {
	}

	/**
	 * The session is over for good: the application closed it, the server ended it and
	 * reconnecting is disabled, or every reconnect attempt failed. Called once.
	 * @param session the session
	 * @param closeInfo how the last connection ended
	 */
	default void onClosed(CryoClientSession session, CloseInfo closeInfo) {
	}

	/**
	 * A UTF8DATA message arrived (already ACKed).
	 * @param session the session
	 * @param text the message
	 */
	default void onUtf8Message(CryoClientSession session, String text) {
	}

	/**
	 * A BINARYDATA message arrived (already ACKed).
	 * @param session the session
	 * @param payload a read-only view, valid only during the call: copy what you keep
	 */
	default void onBinaryMessage(CryoClientSession session, ByteBuffer payload) {
	}

	/**
	 * An ERROR frame arrived (already ACKed).
	 * @param session the session
	 * @param message the error text
	 */
	default void onErrorMessage(CryoClientSession session, String message) {
	}

	/**
	 * The server started a transaction. The stream is filled on the reading thread after this
	 * call returns, so read it on another thread (or wait for its completion), never here.
	 * @param session the session
	 * @param stream the incoming stream
	 */
	default void onStreamStarted(CryoClientSession session, IncomingStream stream) {
	}

	/**
	 * The send queue crossed a water mark: {@code false} at the high-water mark, {@code true}
	 * when it drained to the low-water mark.
	 * @param session the session
	 * @param writable whether sending is advisable now
	 */
	default void onWritabilityChanged(CryoClientSession session, boolean writable) {
	}

}
