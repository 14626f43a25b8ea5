package dev.cryo.core.engine;

/** The session closed before the frame was acknowledged, or was already closed when it was sent. */
public final class CryoSessionClosedException extends CryoSessionException {

	private static final long serialVersionUID = 1L;

	CryoSessionClosedException(long sid, String detail) {
		super("Session " + Long.toUnsignedString(sid) + " is closed: " + detail);
	}

}
