package dev.cryo.server.event;

import dev.cryo.server.CryoSession;

/** The peer sent an ERROR frame (and it was ACKed); the text has no machine semantics. */
public class CryoErrorMessageEvent extends CryoSessionEvent {

	private static final long serialVersionUID = 1L;

	private final String message;

	public CryoErrorMessageEvent(CryoSession session, String message) {
		super(session);
		this.message = message;
	}

	/**
	 * Returns the error text.
	 * @return the message
	 */
	public String message() {
		return this.message;
	}

}
