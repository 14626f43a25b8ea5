package dev.cryo.core.dialect;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;

/**
 * The rules in which the sessions of one dialect differ, over an engine that is otherwise the
 * same: how a session opens, which frames are acknowledged, what a ping carries, which
 * transactions exist, and what each received frame means.
 */
public interface SessionPolicy {

	/** Which kind of transactions a dialect has. */
	enum TransactionFlavour {

		/** Cryo v1: push or pull chosen session-wide by TX_FLOW, ranges requested by TX_PULL. */
		SESSION_FLOW,

		/** No transactions: streaming calls fail and transaction frames are the dispatcher's to refuse. */
		NONE

	}

	/**
	 * Returns the frame this endpoint opens the session with, sent tracked before anything else.
	 * @param sid the session id
	 * @return the frame, or {@code null} when this endpoint announces nothing
	 */
	@Nullable Frame openingFrame(SessionId sid);

	/**
	 * Returns whether the session waits for the peer's announcement before it is open, under the
	 * session's opening deadline; the dispatcher then reports it with
	 * {@link SessionContext#opened}. Otherwise the session opens as soon as it starts.
	 * @return whether the peer must announce itself first
	 */
	boolean awaitsPeerOpening();

	/**
	 * Returns whether frames of a type take a fresh ack number and wait for the peer's ACK.
	 * @param type the frame type
	 * @return whether it is tracked
	 */
	boolean isTracked(FrameType type);

	/**
	 * Returns whether a ping takes a fresh ack number that its pong echoes; otherwise pings are
	 * sent with none and do not use up ack numbers.
	 * @return whether pings carry an ack number
	 */
	boolean pingCarriesAck();

	/**
	 * Returns the kind of transactions sessions of this dialect have.
	 * @return the flavour
	 */
	TransactionFlavour transactions();

	/**
	 * Returns what turns received frames into session actions.
	 * @return the dispatcher, shared by every session
	 */
	FrameDispatcher dispatcher();

}
