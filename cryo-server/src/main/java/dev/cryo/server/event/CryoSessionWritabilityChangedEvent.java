package dev.cryo.server.event;

import dev.cryo.server.CryoSession;

/**
 * A session's send queue crossed a water mark: it became unwritable when its pending bytes
 * reached {@code cryo.backpressure.high-water-mark}, and writable again at the low-water mark.
 * Producers can slow down on the first and resume on the second before anything is dropped
 * (the model is Netty's {@code channelWritabilityChanged}).
 */
public class CryoSessionWritabilityChangedEvent extends CryoSessionEvent {

	private static final long serialVersionUID = 1L;

	private final boolean writable;

	public CryoSessionWritabilityChangedEvent(CryoSession session, boolean writable) {
		super(session);
		this.writable = writable;
	}

	/**
	 * Returns whether the session is writable now.
	 * @return {@code false} when it just became throttled, {@code true} when it recovered
	 */
	public boolean isWritable() {
		return this.writable;
	}

}
