package dev.cryo.core.transaction;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxStartFrame;

/**
 * One transaction this endpoint sends (cryo-v1.md §10), from TX_START to TX_FINISH. In push
 * mode its data goes out as chunks in order, each once the send queue has room. In pull mode
 * the source is read into an addressable buffer and the ranges the peer pulls are served one
 * after the other (§10.4, sender rules). The blocking work runs on the given executor.
 *
 * <p>The {@link #result()} completes when the peer ACKs TX_FINISH, and fails on a TX_START
 * timeout, a cancel, a source error or the end of the session. Whoever completes it must then
 * call {@link #release()}: every wait of this class ends on that call.
 */
final class OutgoingTransaction {

	private static final System.Logger logger = System.getLogger(OutgoingTransaction.class.getName());

	/** Pull mode: bytes read from the source at a time. */
	private static final int READ_BLOCK = 64 * 1024;

	private final int txid;

	private final StreamSource source;

	private final FlowBehaviour mode;

	private final TransactionChannel channel;

	private final int chunkSize;

	private final Executor executor;

	private final CompletableFuture<Void> result = new CompletableFuture<>();

	/** Pull mode: the data read so far, kept addressable until the transaction ends. */
	private final @Nullable SpillBuffer data;

	/** Pull mode: whether the whole source is in {@link #data}. Guarded by this. */
	private boolean sourceDone;

	/** Pull mode: the ranges waiting to be served, in arrival order. Guarded by this. */
	private final ArrayDeque<long[]> pulls = new ArrayDeque<>();

	/** Pull mode: whether a worker is serving {@link #pulls}. Guarded by this. */
	private boolean serving;

	private volatile boolean finished;

	/**
	 * Creates a transaction; nothing is sent before {@link #start(String)}.
	 * @param txid the transaction id
	 * @param source the data, closed by {@link #release()}
	 * @param mode push, or pull when the peer asked for it
	 * @param channel the session's side of its transactions
	 * @param options the chunk size, and for pull mode the memory threshold and spill directory
	 * @param executor runs the blocking work
	 */
	OutgoingTransaction(int txid, StreamSource source, FlowBehaviour mode, TransactionChannel channel,
			TransactionOptions options, Executor executor) {
		this.txid = txid;
		this.source = source;
		this.mode = mode;
		this.channel = channel;
		this.chunkSize = options.chunkSize();
		this.executor = executor;
		this.data = (mode == FlowBehaviour.PULL)
				? new SpillBuffer(options.memoryThreshold(), options.temporaryDirectory()) : null;
	}

	int txid() {
		return this.txid;
	}

	FlowBehaviour mode() {
		return this.mode;
	}

	CompletableFuture<Void> result() {
		return this.result;
	}

	/** Whether TX_FINISH was sent: the peer may pull no more (§10.4 sender rule 7). */
	boolean isFinished() {
		return this.finished;
	}

	/**
	 * Sends TX_START and, once the peer ACKs it, pushes the data or, in pull mode, starts reading
	 * the source for the pulls to come.
	 * @param name the transaction name, not empty
	 */
	void start(String name) {
		this.channel.sendTracked(new TxStartFrame(this.channel.sid(), 0, this.txid, name))
			.whenComplete((acknowledged, failure) -> {
				if (failure != null) {
					// The peer may still have started the stream: tell it this side gave up.
					if (!this.result.isDone()) {
						this.channel.sendError("TX_START for txid " + Integer.toUnsignedString(this.txid)
								+ " was not acknowledged; the transaction is abandoned");
					}
					this.result.completeExceptionally(new CryoTransactionException(
							"TX_START of transaction " + Integer.toUnsignedString(this.txid) + " failed",
							unwrap(failure)));
				}
				else if (this.mode == FlowBehaviour.PUSH) {
					this.executor.execute(this::push);
				}
				else {
					this.executor.execute(this::readSource);
				}
			});
	}

	/**
	 * Ends the transaction with a failure (a cancel, the end of the session); a no-op once it
	 * has ended.
	 * @param failure the failure
	 */
	void fail(CryoTransactionException failure) {
		this.result.completeExceptionally(failure);
	}

	/** Push mode: chunks in order, each once the send queue has room, then TX_FINISH. */
	private void push() {
		ByteBuffer chunk = ByteBuffer.allocate(this.chunkSize);
		try {
			boolean end = false;
			while (!end && !this.result.isDone()) {
				chunk.clear();
				end = fill(this.source, chunk);
				chunk.flip();
				if (chunk.hasRemaining()) {
					sendChunk(chunk);
				}
			}
			finish();
		}
		catch (Exception ex) {
			this.result.completeExceptionally(failure("failed while sending", ex));
		}
	}

	/** Pull mode: reads the whole source into the addressable buffer, waking pull servers as data arrives. */
	private void readSource() {
		SpillBuffer data = pullData();
		ByteBuffer block = ByteBuffer.allocate(READ_BLOCK);
		try {
			boolean end = false;
			while (!end && !this.result.isDone()) {
				block.clear();
				end = fill(this.source, block);
				block.flip();
				data.write(block);
				synchronized (this) {
					notifyAll();
				}
			}
			synchronized (this) {
				this.sourceDone = true;
				notifyAll();
			}
		}
		catch (Exception ex) {
			this.result.completeExceptionally(failure("failed while reading its source", ex));
		}
	}

	/**
	 * Pull mode: queues a byte range the peer asked for; ranges are served one after the other,
	 * in arrival order (§10.4 sender rule 3).
	 * @param start the first byte
	 * @param end the byte after the last, unsigned and not before {@code start}
	 */
	void requestRange(long start, long end) {
		boolean startServing;
		synchronized (this) {
			this.pulls.add(new long[] { start, end });
			startServing = !this.serving;
			this.serving = true;
		}
		if (startServing) {
			this.executor.execute(this::servePulls);
		}
	}

	private void servePulls() {
		try {
			while (!this.result.isDone()) {
				long[] range;
				synchronized (this) {
					range = this.pulls.poll();
					if (range == null) {
						this.serving = false;
						return;
					}
				}
				if (this.finished) {
					// Queued behind the range that ended the data: the transaction is closed (rule 7).
					this.channel.sendError("TX_PULL for unknown txid " + Integer.toUnsignedString(this.txid));
					continue;
				}
				serve(range[0], range[1]);
			}
		}
		catch (Exception ex) {
			this.result.completeExceptionally(failure("failed while serving a pull", ex));
		}
	}

	/** Sends [start, min(end, size)) as chunks, then TX_FINISH if the data ends inside the range (rules 2, 4). */
	private void serve(long start, long end) throws Exception {
		SpillBuffer data = pullData();
		ByteBuffer chunk = ByteBuffer.allocate(this.chunkSize);
		long position = start;
		while (Long.compareUnsigned(position, end) < 0 && !this.result.isDone()) {
			long available = awaitData(position);
			if (Long.compareUnsigned(available, position) <= 0) {
				// The data ended before this position: the rest of the range does not exist.
				break;
			}
			chunk.clear();
			long limit = (Long.compareUnsigned(available, end) < 0) ? available : end;
			long wanted = Math.min(this.chunkSize, limit - position);
			chunk.limit((int) wanted);
			int read = data.read(position, chunk);
			chunk.flip();
			sendChunk(chunk);
			position += read;
		}
		// The range may end exactly where the data read so far ends: whether the data ends
		// there too is only known once the source says so (rule 4), so wait for that.
		awaitData(position);
		long size;
		synchronized (this) {
			size = this.sourceDone ? data.size() : -1;
		}
		if (size >= 0 && Long.compareUnsigned(end, size) >= 0) {
			finish();
		}
	}

	/**
	 * Waits until data beyond {@code position} exists, the source ended or the transaction did;
	 * returns the bytes available. No timeout is needed: each of those changes notifies this
	 * monitor ({@link #readSource()} after every block and at the end of the source,
	 * {@link #release()} once the result is complete), and each is checked under the monitor.
	 */
	private synchronized long awaitData(long position) throws InterruptedException {
		SpillBuffer data = pullData();
		while (Long.compareUnsigned(data.size(), position) <= 0 && !this.sourceDone && !this.result.isDone()) {
			wait();
		}
		return data.size();
	}

	/**
	 * Queues a chunk once the send queue has room for it. The wait also ends when the
	 * transaction does: a cancelled transaction must not keep its worker waiting on a peer that
	 * stopped reading.
	 */
	private void sendChunk(ByteBuffer chunk) throws Exception {
		CompletableFuture<Void> room = this.channel.awaitRoom(this.channel.chunkOverhead() + chunk.remaining());
		if (!room.isDone()) {
			// Whichever completes first; how it completed is looked at below.
			CompletableFuture.anyOf(room, this.result).exceptionally((failure) -> null).get();
			if (!room.isDone()) {
				throw new CryoTransactionException("Transaction " + Integer.toUnsignedString(this.txid) + " ended");
			}
		}
		room.get();
		if (!this.channel.sendChunk(new TxChunkFrame(this.channel.sid(), this.txid, chunk))) {
			throw new CryoTransactionException("The session is closing");
		}
	}

	private void finish() {
		if (this.result.isDone() || this.finished) {
			return;
		}
		this.finished = true;
		this.channel.sendTracked(new TxFinishFrame(this.channel.sid(), 0, this.txid))
			.whenComplete((done, failure) -> {
				if (failure != null) {
					this.result.completeExceptionally(failure("TX_FINISH was not acknowledged", unwrap(failure)));
				}
				else {
					this.result.complete(null);
				}
			});
	}

	private CryoTransactionException failure(String what, Throwable cause) {
		Throwable root = (cause instanceof ExecutionException && cause.getCause() != null) ? cause.getCause() : cause;
		return new CryoTransactionException(
				"Transaction " + Integer.toUnsignedString(this.txid) + " " + what + ": " + root.getMessage(), root);
	}

	/** Only the pull-mode paths call this, and in pull mode the buffer exists. */
	private SpillBuffer pullData() {
		SpillBuffer data = this.data;
		if (data == null) {
			throw new IllegalStateException("Transaction " + Integer.toUnsignedString(this.txid) + " is in push mode");
		}
		return data;
	}

	/** Closes the source and deletes the addressable copy; wakes up pull servers. Call once the result is complete. */
	void release() {
		closeQuietly(this.source);
		synchronized (this) {
			notifyAll();
		}
		if (this.data != null) {
			this.data.release();
		}
	}

	/**
	 * Reads until {@code target} is full or the source ends.
	 * @return whether the source ended
	 */
	private static boolean fill(StreamSource source, ByteBuffer target) throws IOException {
		while (target.hasRemaining()) {
			if (source.read(target) == -1) {
				return true;
			}
		}
		return false;
	}

	/** The failure of a tracked frame, without the wrapper that dependent futures add. */
	static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	/** Closes a source whose transaction ended; a failure to close changes nothing for the peer, so it is only logged. */
	static void closeQuietly(StreamSource source) {
		try {
			source.close();
		}
		catch (IOException | RuntimeException ex) {
			logger.log(Level.DEBUG, "Closing a transaction source failed", ex);
		}
	}

}
