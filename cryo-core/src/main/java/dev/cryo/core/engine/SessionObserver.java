package dev.cryo.core.engine;

import dev.cryo.core.frame.FrameType;
import dev.cryo.core.transaction.TransactionRefusal;

/**
 * Watches what sessions do on the wire, for metrics. One observer usually serves every session
 * of an endpoint, so its methods carry no session: they are counts that feed counters, never
 * per-session labels.
 *
 * <p>The methods are called on the hot path (the receiving thread, the writer, the ack timer)
 * for every frame, so implementations must be cheap, must not block and should not allocate.
 * Every method has a no-op default, and {@link #NOOP} is what a session uses when it is given
 * no observer; a session then skips the wrapping that counting sent frames needs.
 */
public interface SessionObserver {

	/** An observer that ignores everything. */
	SessionObserver NOOP = new SessionObserver() {
	};

	/**
	 * A message was received and decoded into a frame.
	 * @param type the frame's type
	 * @param bytes the length of the WebSocket message
	 */
	default void frameReceived(FrameType type, int bytes) {
	}

	/**
	 * A message was received that is not a valid frame (cryo-v1.md §4.5), or is over the size
	 * limit.
	 * @param bytes the length of the WebSocket message
	 */
	default void malformedFrameReceived(int bytes) {
	}

	/**
	 * A frame was handed to the transport for writing.
	 * @param type the frame's type
	 * @param bytes the length of the WebSocket message
	 */
	default void frameSent(FrameType type, int bytes) {
	}

	/**
	 * The send queue dropped frames (cryo-v1.md §11.3): evicted, replaced, refused, or refused
	 * under {@link DropPolicy#TERMINATE} just before the session is closed.
	 * @param policy the drop policy of the session
	 * @param count how many frames
	 */
	default void framesDropped(DropPolicy policy, int count) {
	}

	/**
	 * A peer reached one of the memory limits and its connection is being closed.
	 * @param limit which limit
	 */
	default void limitExceeded(SessionLimit limit) {
	}

	/**
	 * Tracked frames were not acknowledged within the ack timeout (cryo-v1.md §6.3).
	 * @param count how many frames
	 */
	default void ackTimedOut(int count) {
	}

	/**
	 * An ACK arrived for a tracked frame: one round-trip sample (cryo-v1.md §6.4).
	 * @param nanos the time from registering the frame to its ACK
	 */
	default void roundTripSampled(long nanos) {
	}

	/**
	 * The payload of a TX_CHUNK was received (cryo-v1.md §10).
	 * @param bytes the payload length
	 */
	default void transactionBytesReceived(int bytes) {
	}

	/**
	 * The payload of a TX_CHUNK was queued for sending.
	 * @param bytes the payload length
	 */
	default void transactionBytesSent(int bytes) {
	}

	/**
	 * A limit refused a transaction or a request within one (cryo-v1.md §10): a TX_START, an
	 * incoming transaction that grew too large or found no spill space, an outgoing transaction
	 * beyond the session's limit, a TX_PULL for bytes no longer kept.
	 * @param reason which limit
	 */
	default void transactionRefused(TransactionRefusal reason) {
	}

}
