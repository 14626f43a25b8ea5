package dev.cryo.server.event;

import dev.cryo.core.engine.CloseInfo;
import dev.cryo.server.CryoSession;

/** A session ended; published exactly once per session, after every pending send failed. */
public class CryoSessionClosedEvent extends CryoSessionEvent {

	private static final long serialVersionUID = 1L;

	private final CloseInfo closeInfo;

	public CryoSessionClosedEvent(CryoSession session, CloseInfo closeInfo) {
		super(session);
		this.closeInfo = closeInfo;
	}

	/**
	 * Returns the close code, reason and which side ended the session.
	 * @return how the session ended
	 */
	public CloseInfo closeInfo() {
		return this.closeInfo;
	}

	/**
	 * Returns the WebSocket close code.
	 * @return the code
	 */
	public int code() {
		return this.closeInfo.code();
	}

	/**
	 * Returns the close reason.
	 * @return the reason
	 */
	public String reason() {
		return this.closeInfo.reason();
	}

	/**
	 * Returns which side ended the session.
	 * @return the initiator
	 */
	public CloseInfo.Initiator initiator() {
		return this.closeInfo.initiator();
	}

}
