package dev.cryo.core.engine;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * The network side of a {@link ProtocolSession}: a WebSocket connection that carries one Cryo
 * frame per binary message. The session never has more than one send outstanding, so
 * implementations need not queue.
 */
public interface CryoTransport {

	/**
	 * Starts sending one binary message without blocking the caller.
	 * @param message the complete frame, read by the transport until it calls back and never
	 * after: the session may reuse the buffer then (a transaction's chunks are read into
	 * buffers that come back this way)
	 * @param callback called exactly once, possibly on the calling thread, when the message has
	 * been written or the write failed; a transport that holds unwritten messages under a bound
	 * of its own (Netty's outbound buffer) may call back once it has taken the message (a copy
	 * of it, by the rule above), as long as it is below that bound, and close the connection if
	 * the message cannot be written later
	 */
	void send(ByteBuffer message, SendCallback callback);

	/**
	 * Closes the connection with a WebSocket close code and reason. Calling it again, or after
	 * the peer closed, has no effect.
	 * @param code the close code
	 * @param reason the close reason, at most 123 bytes of UTF-8
	 */
	void close(int code, String reason);

	/** Completion of one {@link CryoTransport#send send}. */
	@FunctionalInterface
	interface SendCallback {

		/**
		 * Reports the outcome of the send.
		 * @param failure {@code null} when the message was written, otherwise why it was not
		 */
		void completed(@Nullable Throwable failure);

	}

}
