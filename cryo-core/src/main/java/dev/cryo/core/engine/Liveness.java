package dev.cryo.core.engine;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * Whether the peer is still there (cryo-v1.md §3, §7), from both roles: the deadline for the
 * peer to open the session, the heartbeat that pings and ends a silent or stalled peer, and the
 * watch a client keeps on the pings of its server.
 */
final class Liveness {

	private static final System.Logger logger = System.getLogger(Liveness.class.getName());

	private final ProtocolSession session;

	private final ProtocolHandler handler;

	private final AtomicReference<SessionState> state;

	private final FrameSender sender;

	private final AckTracker acks;

	private final TrafficCounters counters;

	private final ScheduledExecutorService scheduler;

	private final long sendTimeoutNanos;

	private final CloseSequence closing;

	private volatile boolean peerAlive = true;

	/** When the peer's last pong arrived, or when the session was created. */
	private volatile long lastPongNanos = System.nanoTime();

	/** Whether a {@link #probe} is waiting for its answer: at most one at a time. */
	private final AtomicBoolean probing = new AtomicBoolean();

	/** When the peer's last ping arrived, or when the session was created: what a client watches. */
	private volatile long lastPingNanos = System.nanoTime();

	private volatile @Nullable ScheduledFuture<?> openingDeadline;

	private volatile @Nullable ScheduledFuture<?> pingWatch;

	Liveness(ProtocolSession session, ProtocolHandler handler, AtomicReference<SessionState> state, FrameSender sender,
			CloseSequence closing, AckTracker acks, TrafficCounters counters, ScheduledExecutorService scheduler,
			Duration sendTimeout) {
		this.session = session;
		this.closing = closing;
		this.handler = handler;
		this.state = state;
		this.sender = sender;
		this.acks = acks;
		this.counters = counters;
		this.scheduler = scheduler;
		this.sendTimeoutNanos = sendTimeout.toNanos();
	}

	/** Starts the deadline for the peer to open the session; a zero timeout means none. */
	void startOpeningDeadline(Duration timeout, Runnable timedOut) {
		long nanos = timeout.toNanos();
		if (nanos > 0) {
			this.openingDeadline = this.scheduler.schedule(() -> {
				if (this.state.get() == SessionState.HANDSHAKING) {
					timedOut.run();
				}
			}, nanos, TimeUnit.NANOSECONDS);
		}
	}

	void cancelOpeningDeadline() {
		cancel(this.openingDeadline);
	}

	/** The session ended: no deadline and no watch may fire any more. */
	void stop() {
		cancel(this.openingDeadline);
		cancel(this.pingWatch);
	}

	void pingReceived() {
		this.lastPingNanos = System.nanoTime();
	}

	void pongReceived() {
		this.lastPongNanos = System.nanoTime();
		this.peerAlive = true;
	}

	/**
	 * Checks now, outside the heartbeat, that the peer still answers: a ping goes out at once, and
	 * a peer that has not sent a pong within the timeout is closed as dead (BYE and 4000, or 4001
	 * without BYE). One probe at a time; a session not open for sending is not probed.
	 * @return whether a probe was started
	 */
	boolean probe(Duration timeout) {
		if (!this.sender.isOpenForSending() || !this.probing.compareAndSet(false, true)) {
			return false;
		}
		long started = System.nanoTime();
		this.sender.ping();
		this.scheduler.schedule(() -> {
			this.probing.set(false);
			if (this.lastPongNanos - started < 0 && this.sender.isOpenForSending()) {
				this.closing.closeDeadPeer(ProtocolSession.DEAD_PEER_REASON);
			}
		}, timeout.toNanos(), TimeUnit.NANOSECONDS);
		return true;
	}

	long nanosSinceLastPing() {
		return System.nanoTime() - this.lastPingNanos;
	}

	/**
	 * One heartbeat tick (§7): a peer that took nothing for the whole send timeout is closed
	 * with 1008, one that did not answer the previous ping is sent BYE; otherwise the
	 * statistics are reported and a new ping goes out.
	 */
	void heartbeatTick() {
		// Not before a CALE handshake completes either: nothing may leave in plaintext (legacy-v0.md §10.3 rule 5).
		if (!this.sender.isOpenForSending()) {
			return;
		}
		if (this.sendTimeoutNanos > 0 && this.sender.queue().stalledNanos(System.nanoTime()) > this.sendTimeoutNanos) {
			// The peer has not taken a single message for the whole send timeout.
			this.closing.closeNow(CloseCodes.POLICY_VIOLATION, "Send timeout.");
			return;
		}
		if (!this.peerAlive) {
			this.closing.closeDeadPeer(ProtocolSession.DEAD_PEER_REASON);
			return;
		}
		try {
			this.handler.onStatistics(this.session,
					this.counters.statistics(this.acks.takeTimeoutCount(), this.acks.roundTripMillis()));
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING, "Statistics handler of session " + this.session.id() + " failed", ex);
		}
		this.peerAlive = false;
		this.sender.ping();
	}

	/**
	 * Watches the peer's pings from the client side: when none arrived for longer than the
	 * timeout, the session is closed with BYE and the reason. Checked a few times per timeout;
	 * stops by itself when the session ends.
	 */
	ScheduledFuture<?> watchPings(Duration timeout, String reason) {
		long timeoutNanos = timeout.toNanos();
		long period = Math.max(TimeUnit.MILLISECONDS.toNanos(20), timeoutNanos / 4);
		ScheduledFuture<?> watch = this.scheduler.scheduleAtFixedRate(() -> {
			if (nanosSinceLastPing() > timeoutNanos) {
				this.closing.close(reason);
			}
		}, period, period, TimeUnit.NANOSECONDS);
		cancel(this.pingWatch);
		this.pingWatch = watch;
		if (this.state.get() == SessionState.CLOSED) {
			watch.cancel(false);
		}
		return watch;
	}

	private static void cancel(@Nullable ScheduledFuture<?> timer) {
		if (timer != null) {
			timer.cancel(false);
		}
	}

}
