package dev.cryo.core.engine;

import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.core.transaction.IncomingStream;

/**
 * What a {@link ProtocolSession} reports to its owner. Message callbacks run on the thread that
 * delivered the message, one at a time and in arrival order, after the frame was ACKed; the
 * payload views of the frames are only valid during the call. An exception thrown by a callback
 * is logged and does not end the session.
 */
public interface ProtocolHandler {

	/**
	 * The peer's ENDPOINT_INFO was accepted: the session is ready.
	 * @param session the session
	 */
	default void onReady(ProtocolSession session) {
	}

	/**
	 * A UTF8DATA frame arrived.
	 * @param session the session
	 * @param frame the frame
	 */
	default void onUtf8(ProtocolSession session, Utf8DataFrame frame) {
	}

	/**
	 * A BINARYDATA frame arrived.
	 * @param session the session
	 * @param frame the frame
	 */
	default void onBinary(ProtocolSession session, BinaryDataFrame frame) {
	}

	/**
	 * An ERROR frame arrived.
	 * @param session the session
	 * @param frame the frame
	 */
	default void onError(ProtocolSession session, ErrorFrame frame) {
	}

	/**
	 * A heartbeat tick found the peer alive: the statistics of §12, right before the ping.
	 * @param session the session
	 * @param statistics the figures, with ack timeouts counted since the previous tick
	 */
	default void onStatistics(ProtocolSession session, SessionStatistics statistics) {
	}

	/**
	 * The peer started a transaction (TX_START, already ACKed). Read the stream on another
	 * thread or after its completion: it is filled on the thread that calls this method.
	 * @param session the session
	 * @param stream the incoming stream
	 */
	default void onStreamStarted(ProtocolSession session, IncomingStream stream) {
	}

	/**
	 * The session crossed a water mark of its send queue: {@code false} when its pending bytes
	 * reached the high-water mark, {@code true} when they fell back to the low-water mark.
	 * Called on the thread whose send or completion crossed the mark.
	 * @param session the session
	 * @param writable whether the session is writable now
	 */
	default void onWritabilityChanged(ProtocolSession session, boolean writable) {
	}

	/**
	 * The connection closed; called exactly once per session, after every pending send failed.
	 * @param session the session
	 * @param closeInfo the close code, reason and initiator
	 */
	default void onClosed(ProtocolSession session, CloseInfo closeInfo) {
	}

}
