package dev.cryo.core.transaction;

import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxCancelFrame;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;

/**
 * The transactions one session sends (cryo-v1.md §10): numbers them, starts each in the mode
 * the peer asked for last with TX_FLOW, and routes the peer's TX_PULL and TX_CANCEL to the
 * transaction they name. The frames are handed in by the session's receiving thread, already
 * ACKed; transactions are started from any thread.
 */
final class OutgoingTransactions {

	private static final System.Logger logger = System.getLogger(OutgoingTransactions.class.getName());

	private final TransactionChannel channel;

	private final TransactionOptions options;

	private final Executor executor;

	private final SpillSpace space;

	/** The running transactions by txid, once numbered; guarded by itself for changes. */
	private final Map<Integer, OutgoingTransaction> running = new ConcurrentHashMap<>();

	/** Every transaction from its start until it ends, numbered or not; guarded by {@link #running}. */
	private final Set<OutgoingTransaction> active = new HashSet<>();

	private final AtomicInteger nextTxid = new AtomicInteger();

	private volatile FlowBehaviour peerRequestedMode = FlowBehaviour.PUSH;

	private volatile @Nullable Exception ended;

	/**
	 * Creates the outgoing side of one session.
	 * @param channel the session's side of its transactions
	 * @param options the limits and sizes
	 * @param executor runs the work of the transactions
	 * @param space where pull transactions reserve their temporary files
	 */
	OutgoingTransactions(TransactionChannel channel, TransactionOptions options, Executor executor,
			SpillSpace space) {
		this.channel = channel;
		this.options = options;
		this.executor = executor;
		this.space = space;
	}

	/**
	 * Starts a transaction. In Cryo v1 the mode is the one the peer asked for last with TX_FLOW
	 * (push with a cryo-protocol 1.4 peer, which cannot pull, cryo-v1.md §10.5); in CAMP the
	 * caller chooses it per transaction (camp.md §7).
	 * @param source the data, closed when the transaction ends
	 * @param name the transaction name; empty becomes {@code anonymous}
	 * @param behaviour the mode, or {@code null} for the session's: the peer's choice in Cryo v1,
	 * push in CAMP
	 * @return completes when the peer ACKs TX_FINISH; fails on a TX_START timeout, a cancel,
	 * a source error or the end of the session, and at once when the session already runs
	 * {@link TransactionOptions#maxConcurrentOutgoing()} transactions or the mode is not one the
	 * session can use
	 */
	CompletableFuture<Void> stream(StreamSource source, String name, @Nullable FlowBehaviour behaviour) {
		Exception cause = this.ended;
		if (cause != null) {
			OutgoingTransaction.closeQuietly(source);
			return CompletableFuture.failedFuture(new CryoTransactionException("The session has ended", cause));
		}
		TransactionLayout layout = this.channel.layout();
		FlowBehaviour mode = switch (layout) {
			case SEED -> this.peerRequestedMode;
			case CRYO_PROTOCOL_1_4 -> FlowBehaviour.PUSH;
			case CAMP -> (behaviour != null) ? behaviour : FlowBehaviour.PUSH;
		};
		if (behaviour != null && behaviour != mode) {
			OutgoingTransaction.closeQuietly(source);
			return CompletableFuture.failedFuture(new IllegalArgumentException((layout == TransactionLayout.SEED)
					? "A Cryo v1 peer chooses the mode of the transactions it receives with TX_FLOW; it asked for " + mode
					: "A peer in the cryo-protocol 1.4 layout can only receive pushed transactions"));
		}
		@Nullable OutgoingTransaction transaction;
		synchronized (this.running) {
			int limit = this.options.maxConcurrentOutgoing();
			if (this.active.size() >= limit) {
				transaction = null;
			}
			else {
				// CAMP numbers a transaction by the ack of its TX_START when it is sent.
				int txid = (layout == TransactionLayout.CAMP) ? 0 : this.nextTxid.getAndIncrement();
				transaction = new OutgoingTransaction(txid, source, mode, layout, this.channel, this.options,
						this.executor, this.space);
				this.active.add(transaction);
			}
		}
		if (transaction == null) {
			// Refused before TX_START: the peer never hears of it, the caller does.
			OutgoingTransaction.closeQuietly(source);
			this.channel.refused(TransactionRefusal.MAX_CONCURRENT_OUTGOING);
			// The name is not repeated: it may come from the peer, and the message may reach a log.
			return CompletableFuture.failedFuture(new CryoTransactionException("Outgoing transaction refused: more than "
					+ this.options.maxConcurrentOutgoing() + " concurrent outgoing transactions in the session"));
		}
		// Unknown to TX_PULL before its buffer is deleted, so that a late pull gets an ERROR
		// (§10.4 sender rule 7) rather than silence.
		transaction.result().whenComplete((done, failure) -> {
			synchronized (this.running) {
				this.active.remove(transaction);
				this.running.remove(transaction.txid(), transaction);
			}
			transaction.release();
		});
		transaction.start(name.isEmpty() ? TxStartFrame.ANONYMOUS : name, (numbered) -> {
			synchronized (this.running) {
				if (this.active.contains(numbered)) {
					this.running.put(numbered.txid(), numbered);
				}
			}
		});
		return transaction.result();
	}

	/**
	 * A TX_FLOW arrived: transactions this endpoint starts from now on use that mode.
	 * @param frame the frame
	 */
	void onFlow(TxFlowFrame frame) {
		this.peerRequestedMode = frame.behaviour();
	}

	/**
	 * A TX_PULL arrived for a transaction of this endpoint (§10.4 sender rules).
	 * @param frame the frame, already ACKed
	 */
	void onPull(TxPullFrame frame) {
		OutgoingTransaction transaction = this.running.get(frame.txid());
		String txid = Integer.toUnsignedString(frame.txid());
		String what = (frame.layout() == TransactionLayout.CAMP) ? "TX_FETCH" : "TX_PULL";
		if (transaction == null || transaction.isFinished()) {
			this.channel.sendError(what + " for unknown txid " + txid);
			return;
		}
		if (transaction.mode() == FlowBehaviour.PUSH) {
			// A pull for a push-mode transaction is ACKed and ignored (§10.3).
			return;
		}
		if (!frame.isOrderedRange()) {
			this.channel.sendError(what + " for txid " + txid + " has start " + Long.toUnsignedString(frame.start())
					+ " after end " + Long.toUnsignedString(frame.end()));
			return;
		}
		if (transaction.layout() == TransactionLayout.CAMP && !transaction.servesFrom(frame.start())) {
			// camp.md §8 rule 8: a range that starts at or past the announced size.
			this.channel.sendError(what + " for txid " + txid + " starts at " + Long.toUnsignedString(frame.start())
					+ ", at or past the end of the transaction");
			return;
		}
		transaction.requestRange(frame.start(), frame.end());
	}

	/**
	 * A TX_CANCEL arrived: stops the transaction without TX_FINISH and discards its data.
	 * @param frame the frame, already ACKed
	 */
	void onCancel(TxCancelFrame frame) {
		OutgoingTransaction transaction = this.running.get(frame.txid());
		if (transaction == null) {
			logger.log(Level.DEBUG, () -> "TX_CANCEL for unknown txid " + Integer.toUnsignedString(frame.txid()));
			return;
		}
		transaction.fail(new CryoTransactionException(
				"Transaction " + Integer.toUnsignedString(frame.txid()) + " was cancelled by the peer"));
	}

	/**
	 * Fails every running transaction, and every one started from now on: the session has ended.
	 * @param cause why, named by the failures of later transactions
	 * @param failure what the running transactions fail with
	 */
	void end(Exception cause, CryoTransactionException failure) {
		this.ended = cause;
		List<OutgoingTransaction> ending;
		synchronized (this.running) {
			ending = List.copyOf(this.active);
		}
		for (OutgoingTransaction transaction : ending) {
			transaction.fail(failure);
		}
	}

}
