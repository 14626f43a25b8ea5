package dev.cryo.core.engine;

import java.util.Locale;

import dev.cryo.core.SessionId;

/**
 * The send queue dropped the frame under its drop policy (or replaced it with a newer frame of
 * the same dedupe key) before it was sent (cryo-v1.md §11.3). Not an ack timeout.
 */
public final class CryoFrameDroppedException extends CryoSessionException {

	private static final long serialVersionUID = 1L;

	CryoFrameDroppedException(SessionId sid, DropPolicy policy) {
		super("Dropped by backpressure (" + policy.name().toLowerCase(Locale.ROOT).replace('_', '-')
				+ ") in session " + sid);
	}

}
