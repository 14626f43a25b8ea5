package dev.cryo.livedata.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.engine.spi.TransactionCompletionCallbacks;
import org.hibernate.engine.spi.TransactionCompletionCallbacks.AfterCompletionCallback;
import org.hibernate.engine.spi.TransactionCompletionCallbacks.BeforeCompletionCallback;

/**
 * Holds each transaction's captured changes until its outcome is known. The first change of a
 * transaction registers one buffer with the session's transaction-completion callbacks: before
 * the database commit (after the commit-time flush, so every row is in) it takes the
 * transaction's place in the delivery order; after a commit it hands its changes over as one
 * unit; after a rollback it gives its place up with nothing to send. A change flushed while no
 * transaction is in progress has nothing to wait for and is delivered at once. A transaction that
 * changes more watched rows than the limit sends none of them (with a warning).
 */
final class TransactionBuffers {

	private static final Log logger = LogFactory.getLog(TransactionBuffers.class);

	private final ChangeSequencer sequencer;

	private final int maxChangesPerTransaction;

	/** Transactions that changed more than the limit and sent nothing. */
	private final AtomicLong dropped = new AtomicLong();

	/**
	 * The buffer of each session's current transaction. Weak keys: a session that is abandoned
	 * without completing its transaction must not be kept alive by us.
	 */
	private final Map<SharedSessionContractImplementor, Buffer> buffers = Collections
		.synchronizedMap(new WeakHashMap<>());

	TransactionBuffers(ChangeSequencer sequencer, int maxChangesPerTransaction) {
		this.sequencer = sequencer;
		this.maxChangesPerTransaction = maxChangesPerTransaction;
	}

	void capture(SharedSessionContractImplementor session, LiveDataChange change) {
		if (!session.isTransactionInProgress()) {
			this.sequencer.deliverNow(List.of(change));
			return;
		}
		Buffer buffer = this.buffers.get(session);
		if (buffer == null) {
			buffer = new Buffer();
			this.buffers.put(session, buffer);
			TransactionCompletionCallbacks callbacks = session.getTransactionCompletionCallbacks();
			callbacks.registerCallback((BeforeCompletionCallback) buffer);
			callbacks.registerCallback((AfterCompletionCallback) buffer);
		}
		buffer.add(change);
	}

	/**
	 * Returns how many transactions have captured changes and not completed yet.
	 * @return the count
	 */
	int openTransactions() {
		return this.buffers.size();
	}

	/**
	 * One transaction's changes, in flush order. Used by the session's thread only (a session is
	 * not shared between threads), except that a JTA transaction may complete on another thread,
	 * hence the volatile ticket and the synchronized list.
	 */
	private final class Buffer implements BeforeCompletionCallback, AfterCompletionCallback {

		private final List<LiveDataChange> changes = Collections.synchronizedList(new ArrayList<>());

		private volatile long ticket = ChangeSequencer.NO_TICKET;

		private volatile boolean overflowed;

		void add(LiveDataChange change) {
			if (this.overflowed) {
				return;
			}
			if (this.changes.size() >= TransactionBuffers.this.maxChangesPerTransaction) {
				// Holding every row of a huge batch would cost memory without bound, and sending
				// only some would tell subscribers a wrong story: the transaction sends nothing.
				this.overflowed = true;
				this.changes.clear();
				TransactionBuffers.this.dropped.incrementAndGet();
				logger.warn("Live data: a transaction changed more than "
						+ TransactionBuffers.this.maxChangesPerTransaction
						+ " watched rows; none of its changes will be sent");
				return;
			}
			this.changes.add(change);
		}

		private final AtomicBoolean completed = new AtomicBoolean();

		@Override
		public void doBeforeTransactionCompletion(SharedSessionContractImplementor session) {
			if (this.ticket == ChangeSequencer.NO_TICKET) {
				this.ticket = TransactionBuffers.this.sequencer.ticket();
			}
		}

		@Override
		public void doAfterTransactionCompletion(boolean success, SharedSessionContractImplementor session) {
			if (!this.completed.compareAndSet(false, true)) {
				// A transaction completes once; a second call must not deliver it twice.
				return;
			}
			TransactionBuffers.this.buffers.remove(session);
			long place = this.ticket;
			if (success) {
				if (place == ChangeSequencer.NO_TICKET) {
					// Registered too late for the before-completion callbacks (a flush during
					// them): the commit is done, so now is still after every earlier commit.
					place = TransactionBuffers.this.sequencer.ticket();
				}
				List<LiveDataChange> committed;
				synchronized (this.changes) {
					committed = List.copyOf(this.changes);
				}
				TransactionBuffers.this.sequencer.complete(place, committed);
			}
			else if (place != ChangeSequencer.NO_TICKET) {
				TransactionBuffers.this.sequencer.complete(place, List.of());
			}
		}

	}

	/**
	 * Returns how many transactions changed more watched rows than the limit and sent nothing.
	 * @return the count since start
	 */
	long droppedTransactions() {
		return this.dropped.get();
	}

}
