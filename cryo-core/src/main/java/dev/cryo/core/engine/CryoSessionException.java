package dev.cryo.core.engine;

/**
 * Base of the exceptions a send future fails with. A send never hangs: its future completes
 * when the peer acknowledges the frame, or fails with a subclass of this exception.
 */
public abstract class CryoSessionException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	protected CryoSessionException(String message) {
		super(message, null, false, false);
	}

}
