package dev.cryo.core.dialect;

import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.Frame;

/**
 * Decides what each received frame means in one dialect and acts on the session through its
 * {@link SessionContext}. Stateless: what a session remembers (its state, the peer's flags)
 * lives in the session, so one dispatcher serves every session of its dialect.
 */
public interface FrameDispatcher {

	/**
	 * Handles one received frame. Called from the receiving thread, in arrival order.
	 * @param frame the decoded frame; its payload views are valid during the call only
	 * @param session the session that received it
	 */
	void dispatch(Frame frame, SessionContext session);

	/**
	 * Called when the peer did not announce itself within the opening deadline of a dialect
	 * that {@linkplain SessionPolicy#awaitsPeerOpening() waits for it}.
	 * @param session the session still opening
	 */
	default void openingTimedOut(SessionContext session) {
		session.protocolViolation("The peer did not open the session in time.");
	}

	/**
	 * Called when a peer that ACKed this endpoint's opening frame has not announced itself within
	 * the grace of a dialect that {@linkplain SessionPolicy#opensWithoutAnnouncement() opens
	 * without the announcement} (cryo-v1.md §3 rule 9 (b)). Does nothing by default.
	 * @param session the session still opening
	 */
	default void announcementOverdue(SessionContext session) {
	}

	/**
	 * Called for every message the codec refused, before the session counts it as malformed or
	 * closes for its size. A dialect that answers some refusals itself does so here: CAMP
	 * acknowledges a transaction frame whose ack and txid it could read
	 * ({@link CryoFrameException#identifiesTransaction()}) and refuses the transaction.
	 * @param refusal what the codec found
	 * @param session the session that received it
	 * @return whether the frame was answered; {@code false} lets the session treat it as malformed
	 */
	default boolean refused(CryoFrameException refusal, SessionContext session) {
		return false;
	}

}
