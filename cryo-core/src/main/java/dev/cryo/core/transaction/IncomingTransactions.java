package dev.cryo.core.transaction;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxCancelFrame;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;

/**
 * The transactions the peer sends to one session (cryo-v1.md §10, camp.md §7): a stream per
 * TX_START, appended to by TX_CHUNK in arrival order and completed by TX_FINISH, within the
 * limits of {@link TransactionOptions}. A transaction the peer offers in pull mode — every one
 * after this endpoint asked a Cryo v1 peer for pull mode, or a CAMP TX_START with TX_PULL — is
 * requested window by window with at most one request outstanding (§10.4 receiver rules,
 * camp.md §8 rule 3), or range by range when the application asks for ranges. Frames are handed
 * in by the session's receiving thread, one at a time and already ACKed.
 */
final class IncomingTransactions implements IncomingStream.Control {

	private static final System.Logger logger = System.getLogger(IncomingTransactions.class.getName());

	/** Spill space a new transaction needs left, in the quota and on the disk, to be accepted. */
	private static final long START_HEADROOM = 64 * 1024;

	private final TransactionChannel channel;

	private final TransactionOptions options;

	private final StreamClaims claims;

	private final SpillSpace space;

	private final Map<Integer, Incoming> running = new HashMap<>();

	private volatile FlowBehaviour mode = FlowBehaviour.PUSH;

	/**
	 * Creates the incoming side of one session.
	 * @param channel the session's side of its transactions
	 * @param options the limits and sizes
	 * @param claims where new streams are offered to their readers
	 * @param space where the streams reserve their temporary files
	 */
	IncomingTransactions(TransactionChannel channel, TransactionOptions options, StreamClaims claims,
			SpillSpace space) {
		this.channel = channel;
		this.options = options;
		this.claims = claims;
		this.space = space;
	}

	/**
	 * A TX_START arrived: opens its stream (replacing a live one with the same txid), or refuses
	 * it when too many are running, it announces more than the maximum size, or the spill space
	 * is used up: with an ERROR frame in Cryo v1, with TX_CANCEL in CAMP (camp.md §8 rule 7).
	 * @param frame the frame
	 */
	void onStart(TxStartFrame frame) {
		int txid = frame.txid();
		TransactionLayout layout = frame.layout();
		// The mode: CAMP says it per transaction; in Cryo v1 this endpoint chose it with TX_FLOW,
		// and a cryo-protocol 1.4 peer is never fetched from (its fetch counts chunks, §10.5).
		FlowBehaviour behaviour = (frame.behaviour() != null) ? frame.behaviour()
				: (layout == TransactionLayout.SEED) ? this.mode : FlowBehaviour.PUSH;
		IncomingStream stream;
		Incoming state;
		synchronized (this) {
			Incoming replaced = this.running.remove(txid);
			if (replaced != null) {
				replaced.end(new CryoTransactionException(
						"Transaction " + Integer.toUnsignedString(txid) + " was replaced by a new TX_START"));
			}
			if (this.running.size() >= this.options.maxConcurrent()) {
				refuse(frame, TransactionRefusal.MAX_CONCURRENT,
						"more than " + this.options.maxConcurrent() + " concurrent transactions");
				return;
			}
			long maxSize = this.options.maxSize();
			if (maxSize > 0 && frame.hasSize() && frame.size() > maxSize) {
				refuse(frame, TransactionRefusal.MAX_SIZE,
						"announces " + frame.size() + " bytes, more than the maximum of " + maxSize);
				return;
			}
			if (this.space.isExhausted(this.options.temporaryDirectory(), START_HEADROOM)) {
				// Any transaction may have to spill: none starts that could not.
				refuse(frame, TransactionRefusal.SPILL_SPACE, "no spill space left");
				return;
			}
			stream = new IncomingStream(txid, frame.effectiveName(), new ReceiveBuffer(this.options.memoryThreshold(),
					this.options.temporaryDirectory(), this.space), behaviour, frame.hasSize() ? frame.size() : -1, this);
			state = new Incoming(stream, layout, frame.hasSize() ? frame.size() : -1);
			this.running.put(txid, state);
			// Offered while the lock is held, so that the end of the session sees the stream
			// either running here or handed to a claim, never in between.
			this.claims.offer(stream);
		}
		// The listener runs first: it may ask for ranges of its own instead of the whole.
		this.channel.streamStarted(stream);
		if (behaviour == FlowBehaviour.PULL) {
			synchronized (this) {
				if (this.running.get(txid) == state && !state.manual) {
					state.fetchingWhole = true;
					requestWindow(state, 0);
				}
			}
		}
	}

	/** Refuses a TX_START the session has ACKed already; the caller holds the lock. */
	private void refuse(TxStartFrame frame, TransactionRefusal reason, String why) {
		this.channel.refused(reason);
		String txid = Integer.toUnsignedString(frame.txid());
		if (frame.layout() == TransactionLayout.CAMP) {
			logger.log(Level.DEBUG, () -> "TX_START for txid " + txid + " refused with TX_CANCEL: " + why);
			this.channel.sendTracked(new TxCancelFrame(this.channel.sid(), 0, frame.txid()));
		}
		else {
			this.channel.sendError("TX_START for txid " + txid + " refused: " + why);
		}
	}

	/**
	 * A TX_CHUNK arrived: appends it in arrival order, or drops it when the txid is unknown.
	 * @param frame the frame
	 */
	void onChunk(TxChunkFrame frame) {
		int txid = frame.txid();
		Incoming state;
		TxChunkFrame chunk;
		synchronized (this) {
			state = this.running.get(txid);
			if (state == null) {
				logger.log(Level.DEBUG, () -> "Dropped a chunk for unknown txid " + Integer.toUnsignedString(txid));
				return;
			}
			chunk = ChunkLayouts.inLayout(frame, state.layout);
			if (chunk == null) {
				logger.log(Level.DEBUG, () -> "Dropped a chunk too short for the layout of txid "
						+ Integer.toUnsignedString(txid));
				return;
			}
			long maxSize = this.options.maxSize();
			if (maxSize > 0 && state.stream.received() + chunk.payloadLength() > maxSize) {
				this.running.remove(txid);
				String message = "Transaction " + Integer.toUnsignedString(txid) + " exceeds the maximum size of "
						+ maxSize + " bytes";
				this.channel.refused(TransactionRefusal.MAX_SIZE);
				state.end(new CryoTransactionException(message));
				stop(state, message);
				return;
			}
		}
		// Appending may write to the spill file: not under the lock.
		try {
			state.stream.append(chunk.payload());
		}
		catch (IOException ex) {
			synchronized (this) {
				this.running.remove(txid);
			}
			state.end(new CryoTransactionException("Storing transaction data failed", ex));
			if (ex instanceof SpillSpace.SpillSpaceExhaustedException) {
				this.channel.refused(TransactionRefusal.SPILL_SPACE);
				stop(state, "Transaction " + Integer.toUnsignedString(txid) + " could not be stored: no spill space left");
			}
			else {
				stop(state, "Transaction " + Integer.toUnsignedString(txid) + " could not be stored");
			}
			return;
		}
		RequestedRange arrived = null;
		synchronized (this) {
			if (state.awaitedEnd >= 0 && state.stream.received() >= state.awaitedEnd) {
				arrived = rangeArrived(state);
			}
		}
		if (arrived != null) {
			// Outside the lock: the application's callbacks run on completion.
			arrived.arrived().complete(null);
		}
	}

	/** Tells the peer a transaction it sends was given up: TX_CANCEL in CAMP, an ERROR frame in Cryo v1. */
	private void stop(Incoming state, String message) {
		if (state.layout == TransactionLayout.CAMP) {
			this.channel.sendTracked(new TxCancelFrame(this.channel.sid(), 0, state.stream.txid()));
		}
		else {
			this.channel.sendError(message);
		}
	}

	/**
	 * A TX_FINISH arrived: completes the stream (an unknown txid is only logged; the session has
	 * ACKed it already).
	 * @param frame the frame
	 */
	void onFinish(TxFinishFrame frame) {
		Incoming state;
		synchronized (this) {
			state = this.running.remove(frame.txid());
		}
		if (state == null) {
			logger.log(Level.DEBUG, () -> "TX_FINISH for unknown txid " + Integer.toUnsignedString(frame.txid()));
			return;
		}
		state.stream.finish();
		state.settleRanges(null);
	}

	/**
	 * Asks the peer to start its future transactions in the given mode (sends TX_FLOW), and, for
	 * pull, requests their data in windows of {@code pullWindow} bytes. Only in the seed layout.
	 * @param behaviour push or pull
	 * @return completes when the peer ACKs the TX_FLOW; fails at once in another layout
	 */
	CompletableFuture<Void> requestFlow(FlowBehaviour behaviour) {
		TransactionLayout layout = this.channel.layout();
		if (layout != TransactionLayout.SEED) {
			// CAMP has no TX_FLOW; a cryo-protocol 1.4 peer is never sent one, since its pull mode
			// is broken and it would answer with 1.4 pull transactions (cryo-v1.md §10.5).
			return CompletableFuture.failedFuture(new IllegalStateException((layout == TransactionLayout.CAMP)
					? "CAMP has no TX_FLOW: the sender of a transaction chooses its mode"
					: "A session in the cryo-protocol 1.4 layout never asks for pull mode"));
		}
		this.mode = behaviour;
		return this.channel.sendTracked(new TxFlowFrame(this.channel.sid(), 0, behaviour));
	}

	@Override
	public CompletableFuture<Void> requestRange(IncomingStream stream, long start, long end) {
		synchronized (this) {
			Incoming state = this.running.get(stream.txid());
			if (state == null || state.stream != stream) {
				return CompletableFuture.failedFuture(new CryoTransactionException(
						"Transaction " + Integer.toUnsignedString(stream.txid()) + " is not running"));
			}
			if (stream.behaviour() != FlowBehaviour.PULL) {
				return CompletableFuture.failedFuture(new IllegalStateException(
						"Transaction " + Integer.toUnsignedString(stream.txid()) + " is pushed, not offered for pulling"));
			}
			if (state.fetchingWhole) {
				return CompletableFuture.failedFuture(new IllegalStateException("Transaction "
						+ Integer.toUnsignedString(stream.txid())
						+ " is fetched whole; ask for ranges from the listener that announces the stream"));
			}
			if (state.size >= 0 && start >= state.size && !(start == 0 && state.size == 0)) {
				// The peer answers such a fetch with an ERROR and no chunks (camp.md §8 rule 8): the
				// range would never arrive and would hold up every range asked for after it.
				return CompletableFuture.failedFuture(new IllegalArgumentException("Transaction "
						+ Integer.toUnsignedString(stream.txid()) + " has " + state.size + " bytes; a range from "
						+ start + " is past its end"));
			}
			state.manual = true;
			CompletableFuture<Void> arrived = new CompletableFuture<>();
			state.ranges.add(new RequestedRange(start, end, arrived));
			if (state.awaitedEnd < 0) {
				requestNextRange(state);
			}
			return arrived;
		}
	}

	@Override
	public CompletableFuture<Void> cancel(IncomingStream stream) {
		Incoming state;
		synchronized (this) {
			state = this.running.get(stream.txid());
			if (state == null || state.stream != stream) {
				return CompletableFuture.completedFuture(null);
			}
			this.running.remove(stream.txid());
		}
		state.end(new CryoTransactionException(
				"Transaction " + Integer.toUnsignedString(stream.txid()) + " was cancelled by this endpoint"));
		if (state.layout == TransactionLayout.CAMP) {
			return this.channel.sendTracked(new TxCancelFrame(this.channel.sid(), 0, stream.txid()));
		}
		// Cryo v1 only receives TX_CANCEL (cryo-v1.md §4.3): the peer's further chunks are dropped as unknown.
		return CompletableFuture.completedFuture(null);
	}

	/**
	 * The range being received is complete: asks for the next. The caller holds the lock.
	 * @return the application's range that arrived, for the caller to complete once it let go of the lock
	 */
	private @Nullable RequestedRange rangeArrived(Incoming state) {
		state.awaitedEnd = -1;
		if (state.fetchingWhole) {
			long next = state.requestedEnd;
			if (state.size < 0 || next < state.size) {
				requestWindow(state, next);
			}
			return null;
		}
		RequestedRange done = state.ranges.poll();
		requestNextRange(state);
		return done;
	}

	/** Asks for the next window of a transaction fetched whole (§10.4 receiver rule 2, camp.md §8 rule 3). */
	private void requestWindow(Incoming state, long start) {
		long end = start + this.options.pullWindow();
		if (state.size >= 0) {
			// Never past the announced size; a transaction of size 0 is asked for one byte, which
			// its sender answers by finishing.
			end = Math.max(start + 1, Math.min(end, state.size));
		}
		request(state, start, end);
	}

	/** Asks for the first of the application's ranges still waiting, if any. The caller holds the lock. */
	private void requestNextRange(Incoming state) {
		RequestedRange next = state.ranges.peek();
		if (next != null) {
			request(state, next.start(), next.end());
		}
	}

	private void request(Incoming state, long start, long end) {
		long expected = (state.size >= 0) ? Math.max(0, Math.min(end, state.size) - start) : end - start;
		state.requestedEnd = end;
		state.awaitedEnd = state.stream.received() + expected;
		TransactionLayout fetchLayout = (state.layout == TransactionLayout.CAMP) ? TransactionLayout.CAMP
				: TransactionLayout.SEED;
		this.channel.sendTracked(new TxPullFrame(this.channel.sid(), 0, state.stream.txid(), start, end, fetchLayout));
	}

	/**
	 * Fails every running stream and every waiting claim, deleting the streams' temporary files:
	 * the session has ended.
	 * @param cause why, kept for claims made later
	 * @param failure what the streams and claims fail with
	 */
	void end(Exception cause, CryoTransactionException failure) {
		List<Incoming> states = new ArrayList<>();
		List<CompletableFuture<IncomingStream>> waiting;
		synchronized (this) {
			states.addAll(this.running.values());
			this.running.clear();
			waiting = this.claims.end(cause);
		}
		states.forEach((state) -> state.end(failure));
		waiting.forEach((claim) -> claim.completeExceptionally(failure));
	}

	/** A range the application asked for, and the future its arrival completes. */
	private record RequestedRange(long start, long end, CompletableFuture<Void> arrived) {
	}

	/**
	 * An incoming transaction, its layout and announced size, and in pull mode what was asked for.
	 * Guarded by the lock of {@link IncomingTransactions}, except the stream.
	 */
	private static final class Incoming {

		private final IncomingStream stream;

		private final TransactionLayout layout;

		private final long size;

		/** Pull mode: the stream length at which the range asked for last is complete, -1 when none is outstanding. */
		private long awaitedEnd = -1;

		/** Pull mode: the end of the range asked for last. */
		private long requestedEnd;

		/** Pull mode: whether the transaction is fetched whole, window by window. */
		private boolean fetchingWhole;

		/** Pull mode: whether the application asks for the ranges. */
		private boolean manual;

		private final ArrayDeque<RequestedRange> ranges = new ArrayDeque<>();

		Incoming(IncomingStream stream, TransactionLayout layout, long size) {
			this.stream = stream;
			this.layout = layout;
			this.size = size;
		}

		void end(Exception failure) {
			this.stream.fail(failure);
			settleRanges(failure);
		}

		/** Completes the ranges still waiting, normally at TX_FINISH or with the failure. */
		void settleRanges(@Nullable Exception failure) {
			List<RequestedRange> waiting;
			synchronized (this) {
				waiting = new ArrayList<>(this.ranges);
				this.ranges.clear();
			}
			for (RequestedRange range : waiting) {
				if (failure == null) {
					range.arrived().complete(null);
				}
				else {
					range.arrived().completeExceptionally(failure);
				}
			}
		}

	}

}
