package dev.cryo.core.engine;

import dev.cryo.core.SessionId;

/** The session closed before the frame was acknowledged, or was already closed when it was sent. */
public final class CryoSessionClosedException extends CryoSessionException {

	private static final long serialVersionUID = 1L;

	CryoSessionClosedException(SessionId sid, String detail) {
		super("Session " + sid + " is closed: " + detail);
	}

}
