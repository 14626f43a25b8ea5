package dev.cryo.livedata.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Delivers committed transactions in commit order. A transaction takes a ticket just before its
 * database commit and completes it just after (with its changes, or with nothing after a
 * rollback); completed tickets are delivered strictly in ticket order, each transaction's
 * changes as one unit, under one lock. So when one transaction's commit finishes before
 * another's begins, the first is delivered first to every connection, whichever thread gets
 * there first: a transaction that completes early waits (in memory, without blocking its
 * thread) for the earlier tickets, and the thread that completes the oldest one delivers every
 * unit that was waiting on it.
 *
 * <p>A ticket whose transaction never completes (a JTA transaction lost by its manager) would
 * hold back everything after it, so a ticket pending longer than the stall timeout while later
 * ones wait is passed over, with a warning; should it complete after all, it is delivered then.
 */
final class ChangeSequencer {

	/** A transaction that has not taken its place yet. */
	static final long NO_TICKET = -1;

	/** How long an uncompleted ticket may hold back later, completed ones. */
	static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

	private static final Log logger = LogFactory.getLog(ChangeSequencer.class);

	private final Consumer<List<LiveDataChange>> delivery;

	private final long stallTimeoutNanos;

	private final Object lock = new Object();

	private long nextTicket;

	private long nextDelivery;

	/** Issued tickets not completed yet, with the time they were taken. */
	private final Map<Long, Long> pending = new HashMap<>();

	/** Completed tickets waiting for earlier ones. */
	private final TreeMap<Long, List<LiveDataChange>> completed = new TreeMap<>();

	ChangeSequencer(Consumer<List<LiveDataChange>> delivery, Duration stallTimeout) {
		this.delivery = delivery;
		this.stallTimeoutNanos = stallTimeout.toNanos();
	}

	/**
	 * Takes the next place in the delivery order.
	 * @return the ticket
	 */
	long ticket() {
		synchronized (this.lock) {
			long ticket = this.nextTicket++;
			this.pending.put(ticket, System.nanoTime());
			return ticket;
		}
	}

	/**
	 * Completes a ticket and delivers every unit that no longer waits for an earlier one.
	 * @param ticket the ticket
	 * @param changes the committed changes, empty after a rollback
	 */
	void complete(long ticket, List<LiveDataChange> changes) {
		synchronized (this.lock) {
			this.pending.remove(ticket);
			if (ticket < this.nextDelivery) {
				logger.warn("Live-data transaction completed after it had been passed over as stalled; "
						+ "its changes are delivered out of order");
				deliver(changes);
				return;
			}
			this.completed.put(ticket, changes);
			drain();
		}
	}

	/**
	 * Delivers changes that belong to no transaction, after everything completed before.
	 * @param changes the changes
	 */
	void deliverNow(List<LiveDataChange> changes) {
		complete(ticket(), changes);
	}

	/**
	 * Returns how many tickets are taken and not delivered.
	 * @return the count
	 */
	int backlog() {
		synchronized (this.lock) {
			return this.pending.size() + this.completed.size();
		}
	}

	private void drain() {
		while (!this.completed.isEmpty()) {
			List<LiveDataChange> next = this.completed.remove(this.nextDelivery);
			if (next != null) {
				this.nextDelivery++;
				deliver(next);
				continue;
			}
			Long takenAt = this.pending.get(this.nextDelivery);
			if (takenAt != null && System.nanoTime() - takenAt < this.stallTimeoutNanos) {
				return;
			}
			logger.warn("Live-data transaction did not complete within the stall timeout; later transactions "
					+ "are delivered without waiting for it");
			this.nextDelivery++;
		}
	}

	private void deliver(List<LiveDataChange> changes) {
		if (changes.isEmpty()) {
			return;
		}
		try {
			this.delivery.accept(changes);
		}
		catch (RuntimeException ex) {
			logger.error("Live-data delivery failed", ex);
		}
	}

}
