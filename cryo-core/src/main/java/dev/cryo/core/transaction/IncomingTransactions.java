package dev.cryo.core.transaction;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;

/**
 * The transactions the peer sends to one session (cryo-v1.md §10): a stream per TX_START,
 * appended to by TX_CHUNK and completed by TX_FINISH, within the limits of
 * {@link TransactionOptions}. When this endpoint asked for pull mode, it also requests the data
 * window by window (§10.4, receiver rules). Frames are handed in by the session's receiving
 * thread, one at a time and already ACKed.
 */
final class IncomingTransactions {

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
	 * it with an ERROR frame when too many are running or the spill space is used up.
	 * @param frame the frame
	 */
	void onStart(TxStartFrame frame) {
		int txid = frame.txid();
		IncomingStream stream;
		synchronized (this) {
			Incoming replaced = this.running.remove(txid);
			if (replaced != null) {
				replaced.stream.fail(new CryoTransactionException(
						"Transaction " + Integer.toUnsignedString(txid) + " was replaced by a new TX_START"));
			}
			if (this.running.size() >= this.options.maxConcurrent()) {
				this.channel.refused(TransactionRefusal.MAX_CONCURRENT);
				this.channel.sendError("TX_START for txid " + Integer.toUnsignedString(txid)
						+ " refused: more than " + this.options.maxConcurrent() + " concurrent transactions");
				return;
			}
			if (this.space.isExhausted(this.options.temporaryDirectory(), START_HEADROOM)) {
				// Any transaction may have to spill: none starts that could not.
				this.channel.refused(TransactionRefusal.SPILL_SPACE);
				this.channel.sendError("TX_START for txid " + Integer.toUnsignedString(txid)
						+ " refused: no spill space left");
				return;
			}
			stream = new IncomingStream(txid, frame.effectiveName(), new ReceiveBuffer(
					this.options.memoryThreshold(), this.options.temporaryDirectory(), this.space));
			Incoming state = new Incoming(stream);
			this.running.put(txid, state);
			// Offered while the lock is held, so that the end of the session sees the stream
			// either running here or handed to a claim, never in between.
			this.claims.offer(stream);
			if (this.mode == FlowBehaviour.PULL) {
				requestWindow(state, 0);
			}
		}
		this.channel.streamStarted(stream);
	}

	/**
	 * A TX_CHUNK arrived: appends it, or drops it when the txid is unknown.
	 * @param frame the frame
	 */
	void onChunk(TxChunkFrame frame) {
		int txid = frame.txid();
		Incoming state;
		synchronized (this) {
			state = this.running.get(txid);
			if (state == null) {
				logger.log(Level.DEBUG, () -> "Dropped a chunk for unknown txid " + Integer.toUnsignedString(txid));
				return;
			}
			long maxSize = this.options.maxSize();
			if (maxSize > 0 && state.stream.received() + frame.payloadLength() > maxSize) {
				this.running.remove(txid);
				String message = "Transaction " + Integer.toUnsignedString(txid) + " exceeds the maximum size of "
						+ maxSize + " bytes";
				this.channel.refused(TransactionRefusal.MAX_SIZE);
				state.stream.fail(new CryoTransactionException(message));
				this.channel.sendError(message);
				return;
			}
		}
		// Appending may write to the spill file: not under the lock.
		try {
			state.stream.append(frame.payload());
		}
		catch (IOException ex) {
			synchronized (this) {
				this.running.remove(txid);
			}
			state.stream.fail(new CryoTransactionException("Storing transaction data failed", ex));
			if (ex instanceof SpillSpace.SpillSpaceExhaustedException) {
				this.channel.refused(TransactionRefusal.SPILL_SPACE);
				this.channel.sendError("Transaction " + Integer.toUnsignedString(txid)
						+ " could not be stored: no spill space left");
			}
			else {
				this.channel.sendError("Transaction " + Integer.toUnsignedString(txid) + " could not be stored");
			}
			return;
		}
		synchronized (this) {
			if (state.windowEnd > 0 && state.stream.received() >= state.windowEnd) {
				requestWindow(state, state.windowEnd);
			}
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
	}

	/**
	 * Asks the peer to start its future transactions in the given mode (sends TX_FLOW), and, for
	 * pull, requests their data in windows of {@code pullWindow} bytes.
	 * @param behaviour push or pull
	 * @return completes when the peer ACKs the TX_FLOW
	 */
	CompletableFuture<Void> requestFlow(FlowBehaviour behaviour) {
		this.mode = behaviour;
		return this.channel.sendTracked(new TxFlowFrame(this.channel.sid(), 0, behaviour));
	}

	/** Asks for the next window of a transaction received in pull mode (§10.4 receiver rule 2). */
	private void requestWindow(Incoming state, long start) {
		long end = start + this.options.pullWindow();
		state.windowEnd = end;
		this.channel.sendTracked(new TxPullFrame(this.channel.sid(), 0, state.stream.txid(), start, end));
	}

	/**
	 * Fails every running stream and every waiting claim, deleting the streams' temporary files:
	 * the session has ended.
	 * @param cause why, kept for claims made later
	 * @param failure what the streams and claims fail with
	 */
	void end(Exception cause, CryoTransactionException failure) {
		List<IncomingStream> streams = new ArrayList<>();
		List<CompletableFuture<IncomingStream>> waiting;
		synchronized (this) {
			this.running.values().forEach((state) -> streams.add(state.stream));
			this.running.clear();
			waiting = this.claims.end(cause);
		}
		streams.forEach((stream) -> stream.fail(failure));
		waiting.forEach((claim) -> claim.completeExceptionally(failure));
	}

	/** An incoming transaction and, in pull mode, the end of the window requested last. */
	private static final class Incoming {

		private final IncomingStream stream;

		private long windowEnd;

		Incoming(IncomingStream stream) {
			this.stream = stream;
		}

	}

}
