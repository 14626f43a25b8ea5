package dev.cryo.core.engine;

import dev.cryo.core.LogText;

/**
 * How a session ended: the WebSocket close code and reason, and which side ended it.
 *
 * @param code the close code (cryo-v1.md §8.4)
 * @param reason the close reason, possibly empty
 * @param initiator which side started the end of the session
 */
public record CloseInfo(int code, String reason, Initiator initiator) {

	/** The side that started the end of a session. */
	public enum Initiator {

		/** This endpoint: application close, shutdown, dead peer, protocol violation by the peer. */
		LOCAL,

		/** The peer: a BYE, a close frame or a dropped connection. */
		PEER

	}

	/**
	 * Returns the close as a log reads it, the reason escaped: a peer chooses its close and BYE
	 * reasons, so they may hold line breaks.
	 * @return e.g. {@code CloseInfo[code=4000, reason="done", initiator=PEER]}
	 */
	@Override
	public String toString() {
		return "CloseInfo[code=" + this.code + ", reason=\"" + LogText.escape(this.reason) + "\", initiator="
				+ this.initiator + "]";
	}

}
