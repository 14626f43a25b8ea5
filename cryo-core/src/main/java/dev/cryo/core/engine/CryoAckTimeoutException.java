package dev.cryo.core.engine;

import java.time.Duration;

/** The peer did not acknowledge a tracked frame within the ack timeout (cryo-v1.md §6.3). */
public final class CryoAckTimeoutException extends CryoSessionException {

	private static final long serialVersionUID = 1L;

	CryoAckTimeoutException(long sid, int ack, Duration timeout) {
		super("No ACK for frame " + Integer.toUnsignedString(ack) + " of session " + Long.toUnsignedString(sid)
				+ " within " + timeout.toMillis() + " ms");
	}

}
