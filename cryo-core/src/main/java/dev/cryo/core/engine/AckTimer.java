package dev.cryo.core.engine;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.cryo.core.SessionId;

/**
 * Watches the deadlines of an {@link AckTracker}: armed when a tracked frame is queued, it
 * fires at the earliest deadline, expires what is overdue and re-arms while frames are pending.
 * At most one timer task per session is scheduled at a time.
 */
final class AckTimer {

	private final AckTracker acks;

	private final ScheduledExecutorService scheduler;

	private final long timeoutNanos;

	private final SessionId sid;

	private final AtomicBoolean armed = new AtomicBoolean();

	AckTimer(AckTracker acks, ScheduledExecutorService scheduler, Duration timeout, SessionId sid) {
		this.acks = acks;
		this.scheduler = scheduler;
		this.timeoutNanos = timeout.toNanos();
		this.sid = sid;
	}

	/** Makes sure a timer runs; called after every queued tracked frame, so it must be cheap. */
	void arm() {
		if (this.armed.compareAndSet(false, true)) {
			this.scheduler.schedule(this::fired, this.timeoutNanos, TimeUnit.NANOSECONDS);
		}
	}

	private void fired() {
		while (true) {
			long now = System.nanoTime();
			long nextDeadline = this.acks.expire(now, this.sid);
			if (nextDeadline != -1) {
				this.scheduler.schedule(this::fired, Math.max(1, nextDeadline - now), TimeUnit.NANOSECONDS);
				return;
			}
			this.armed.set(false);
			// A frame registered between the expiry and the reset must not go unwatched.
			if (this.acks.pendingCount() == 0 || !this.armed.compareAndSet(false, true)) {
				return;
			}
		}
	}

}
