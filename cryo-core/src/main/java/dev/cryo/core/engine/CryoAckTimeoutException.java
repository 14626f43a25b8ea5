package dev.cryo.core.engine;

import java.time.Duration;

import dev.cryo.core.SessionId;

/** The peer did not acknowledge a tracked frame within the ack timeout (cryo-v1.md §6.3). */
public final class CryoAckTimeoutException extends CryoSessionException {

	private static final long serialVersionUID = 1L;

	CryoAckTimeoutException(SessionId sid, int ack, Duration timeout) {
		super("No ACK for frame " + Integer.toUnsignedString(ack) + " of session " + sid
				+ " within " + timeout.toMillis() + " ms");
	}

}
