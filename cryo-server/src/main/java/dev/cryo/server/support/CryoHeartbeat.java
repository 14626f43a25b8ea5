package dev.cryo.server.support;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One timer for the heartbeat of every session (cryo-v1.md §7): each tick reaps peers that did
 * not answer the previous ping, publishes statistics and pings the rest, and renews the session
 * directory's claims on the ids this server holds. No thread per session.
 */
final class CryoHeartbeat {

	private static final Log logger = LogFactory.getLog(CryoHeartbeat.class);

	/** Reservations older than this never became sessions: their upgrade failed. */
	private static final long STALE_RESERVATION_NANOS = TimeUnit.SECONDS.toNanos(30);

	private final CryoSessionRegistry registry;

	private final ScheduledExecutorService scheduler;

	private final Duration interval;

	private @Nullable ScheduledFuture<?> ticks;

	CryoHeartbeat(CryoSessionRegistry registry, ScheduledExecutorService scheduler, Duration interval) {
		this.registry = registry;
		this.scheduler = scheduler;
		this.interval = interval;
	}

	/** Starts ticking, one interval from now. */
	synchronized void start() {
		if (this.ticks == null) {
			long nanos = this.interval.toNanos();
			this.ticks = this.scheduler.scheduleAtFixedRate(this::tick, nanos, nanos, TimeUnit.NANOSECONDS);
		}
	}

	/** Stops ticking. */
	synchronized void stop() {
		if (this.ticks != null) {
			this.ticks.cancel(false);
			this.ticks = null;
		}
	}

	/** Runs one tick over every live session now. */
	void tick() {
		for (ServerSession session : this.registry.sessions()) {
			try {
				session.heartbeatTick();
			}
			catch (RuntimeException ex) {
				// A failing session must not stop the timer for all the others.
				logger.warn("Heartbeat of Cryo session " + session.idString() + " failed", ex);
			}
		}
		this.registry.purgeStaleReservations(STALE_RESERVATION_NANOS);
		try {
			this.registry.refreshClaims();
		}
		catch (RuntimeException ex) {
			// A directory that cannot be reached now must not stop the timer; the next tick retries.
			logger.warn("Refreshing the session directory's claims failed", ex);
		}
	}

}
