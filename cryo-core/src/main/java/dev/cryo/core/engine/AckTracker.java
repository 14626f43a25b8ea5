package dev.cryo.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;

/**
 * One endpoint's ack counter and the frames it waits to see acknowledged (cryo-v1.md §6).
 *
 * <p>Numbers run 0, 1, …, 2^32−1 and wrap to 0. Pending frames are kept in registration order,
 * so expiry only ever looks at the oldest entries. Thread-safe.
 */
final class AckTracker {

	private final Duration timeout;

	private final long timeoutNanos;

	private final Map<Integer, Pending> pending = new LinkedHashMap<>();

	private final RoundTripTime roundTripTime = new RoundTripTime();

	private final SessionObserver observer;

	private int nextAck;

	private long timeoutsSinceReport;

	private long timeoutsTotal;

	AckTracker(Duration timeout) {
		this(timeout, SessionObserver.NOOP);
	}

	AckTracker(Duration timeout, SessionObserver observer) {
		this.timeout = timeout;
		this.timeoutNanos = timeout.toNanos();
		this.observer = observer;
	}

	/** Takes the next number for a frame that is not tracked (a ping). */
	synchronized int next() {
		return this.nextAck++;
	}

	/**
	 * Takes the next number for a tracked frame and starts waiting for its ACK.
	 * @param future completed when the ACK arrives, failed on timeout or close; {@code null}
	 * when nobody waits (the frame still counts for RTT and timeouts)
	 */
	int register(@Nullable CompletableFuture<Void> future, long nowNanos, SessionId sid) {
		int ack;
		Pending replaced;
		synchronized (this) {
			ack = this.nextAck++;
			replaced = this.pending.remove(ack);
			this.pending.put(ack, new Pending(nowNanos, future));
		}
		// A frame still pending after 2^32 further sends is long overdue: it times out, it does not hang.
		if (replaced != null && replaced.future() != null) {
			replaced.future().completeExceptionally(new CryoAckTimeoutException(sid, ack, this.timeout));
		}
		return ack;
	}

	/**
	 * Settles the frame with this number, if it is pending, and samples the round trip.
	 * @return the future to complete (outside any lock), or {@code null}
	 */
	@Nullable CompletableFuture<Void> acknowledge(int ack, long nowNanos) {
		Pending settled;
		long roundTripNanos;
		synchronized (this) {
			settled = this.pending.remove(ack);
			if (settled == null) {
				return null;
			}
			roundTripNanos = nowNanos - settled.registeredNanos();
			this.roundTripTime.sample(roundTripNanos / 1_000_000.0);
		}
		this.observer.roundTripSampled(roundTripNanos);
		return settled.future();
	}

	/** Forgets a pending frame without counting a timeout (e.g. dropped before it was sent). */
	synchronized @Nullable CompletableFuture<Void> forget(int ack) {
		Pending forgotten = this.pending.remove(ack);
		return (forgotten != null) ? forgotten.future() : null;
	}

	/**
	 * Removes every frame whose timeout has passed and fails its future.
	 * @return the deadline of the oldest frame still pending, or {@code -1} when none is
	 */
	long expire(long nowNanos, SessionId sid) {
		List<Expired> expired = new ArrayList<>();
		long nextDeadline = -1;
		synchronized (this) {
			Iterator<Map.Entry<Integer, Pending>> entries = this.pending.entrySet().iterator();
			while (entries.hasNext()) {
				Map.Entry<Integer, Pending> entry = entries.next();
				long deadline = entry.getValue().registeredNanos() + this.timeoutNanos;
				if (deadline - nowNanos > 0) {
					nextDeadline = deadline;
					break;
				}
				entries.remove();
				this.timeoutsSinceReport++;
				this.timeoutsTotal++;
				expired.add(new Expired(entry.getKey(), entry.getValue().future()));
			}
		}
		if (!expired.isEmpty()) {
			this.observer.ackTimedOut(expired.size());
		}
		for (Expired frame : expired) {
			if (frame.future() != null) {
				frame.future().completeExceptionally(new CryoAckTimeoutException(sid, frame.ack(), this.timeout));
			}
		}
		return nextDeadline;
	}

	/** Fails every pending frame, e.g. because the session closed. */
	void failAll(CryoSessionException failure) {
		List<Pending> failed;
		synchronized (this) {
			failed = new ArrayList<>(this.pending.values());
			this.pending.clear();
		}
		for (Pending frame : failed) {
			if (frame.future() != null) {
				frame.future().completeExceptionally(failure);
			}
		}
	}

	/** Returns the ack timeouts since the previous call and starts counting again. */
	synchronized long takeTimeoutCount() {
		long count = this.timeoutsSinceReport;
		this.timeoutsSinceReport = 0;
		return count;
	}

	synchronized long totalTimeoutCount() {
		return this.timeoutsTotal;
	}

	synchronized double roundTripMillis() {
		return this.roundTripTime.estimateMillis();
	}

	synchronized int pendingCount() {
		return this.pending.size();
	}

	private record Pending(long registeredNanos, @Nullable CompletableFuture<Void> future) {
	}

	private record Expired(int ack, @Nullable CompletableFuture<Void> future) {
	}

}
