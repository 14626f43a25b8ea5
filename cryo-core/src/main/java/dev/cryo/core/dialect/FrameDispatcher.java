package dev.cryo.core.dialect;

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

}
