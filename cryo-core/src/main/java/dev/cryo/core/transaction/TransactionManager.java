package dev.cryo.core.transaction;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.TxCancelFrame;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;

/**
 * The transactions of one session, both directions (cryo-v1.md §10). Incoming frames are
 * handed in by the session's receiving thread, one at a time and already ACKed; outgoing
 * transactions read their sources and serve pulls on the given executor, paced by the send
 * queue's room.
 */
public final class TransactionManager {

	private static final System.Logger logger = System.getLogger(TransactionManager.class.getName());

	/** TX_CHUNK header: sid, type, txid. */
	private static final int CHUNK_HEADER = 13;

	private final TransactionChannel channel;

	private final TransactionOptions options;

	private final Executor executor;

	private final ScheduledExecutorService scheduler;

	private final Map<Integer, Incoming> incoming = new HashMap<>();

	private final Map<Integer, Outgoing> outgoing = new ConcurrentHashMap<>();

	private final Map<String, ArrayDeque<IncomingStream>> unclaimed = new HashMap<>();

	private final Map<String, ArrayDeque<CompletableFuture<IncomingStream>>> waiting = new HashMap<>();

	private final AtomicInteger nextTxid = new AtomicInteger();

	private volatile FlowBehaviour peerRequestedMode = FlowBehaviour.PUSH;

	private volatile FlowBehaviour incomingMode = FlowBehaviour.PUSH;

	private volatile @Nullable Exception closed;

	/**
	 * Returns a process-wide pool of daemon threads for the blocking work of transactions, for
	 * owners that do not bring their own executor.
	 * @return the shared executor
	 */
	public static Executor sharedExecutor() {
		return SharedExecutor.INSTANCE;
	}

	/** Created on first use only. */
	private static final class SharedExecutor {

		private static final Executor INSTANCE = java.util.concurrent.Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "cryo-stream");
			thread.setDaemon(true);
			return thread;
		});

	}

	public TransactionManager(TransactionChannel channel, TransactionOptions options, Executor executor,
			ScheduledExecutorService scheduler) {
		this.channel = channel;
		this.options = options;
		this.executor = executor;
		this.scheduler = scheduler;
	}

	// ---- incoming transactions (the peer sends)

	/**
	 * A TX_START arrived: opens its stream (replacing a live one with the same txid), or refuses
	 * it with an ERROR frame when too many are running.
	 * @param frame the frame
	 */
	public void onStart(TxStartFrame frame) {
		int txid = frame.txid();
		IncomingStream stream;
		synchronized (this) {
			Incoming replaced = this.incoming.remove(txid);
			if (replaced != null) {
				replaced.stream.fail(new CryoTransactionException(
						"Transaction " + Integer.toUnsignedString(txid) + " was replaced by a new TX_START"));
			}
			if (this.incoming.size() >= this.options.maxConcurrent()) {
				this.channel.sendError("TX_START for txid " + Integer.toUnsignedString(txid)
						+ " refused: more than " + this.options.maxConcurrent() + " concurrent transactions");
				return;
			}
			stream = new IncomingStream(txid, frame.effectiveName(),
					new ReceiveBuffer(this.options.memoryThreshold(), this.options.temporaryDirectory()));
			Incoming state = new Incoming(stream);
			this.incoming.put(txid, state);
			offer(stream);
			if (this.incomingMode == FlowBehaviour.PULL) {
				requestWindow(state, 0);
			}
		}
		this.channel.streamStarted(stream);
	}

	/**
	 * A TX_CHUNK arrived: appends it, or drops it when the txid is unknown.
	 * @param frame the frame
	 */
	public void onChunk(TxChunkFrame frame) {
		int txid = frame.txid();
		Incoming state;
		synchronized (this) {
			state = this.incoming.get(txid);
			if (state == null) {
				logger.log(Level.DEBUG, () -> "Dropped a chunk for unknown txid " + Integer.toUnsignedString(txid));
				return;
			}
			long maxSize = this.options.maxSize();
			if (maxSize > 0 && state.stream.received() + frame.payloadLength() > maxSize) {
				this.incoming.remove(txid);
				String message = "Transaction " + Integer.toUnsignedString(txid) + " exceeds the maximum size of "
						+ maxSize + " bytes";
				state.stream.fail(new CryoTransactionException(message));
				this.channel.sendError(message);
				return;
			}
		}
		try {
			state.stream.append(frame.payload());
		}
		catch (IOException ex) {
			synchronized (this) {
				this.incoming.remove(txid);
			}
			state.stream.fail(new CryoTransactionException("Storing transaction data failed", ex));
			this.channel.sendError("Transaction " + Integer.toUnsignedString(txid) + " could not be stored");
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
	public void onFinish(TxFinishFrame frame) {
		Incoming state;
		synchronized (this) {
			state = this.incoming.remove(frame.txid());
		}
		if (state == null) {
			logger.log(Level.DEBUG, () -> "TX_FINISH for unknown txid " + Integer.toUnsignedString(frame.txid()));
			return;
		}
		state.stream.finish();
	}

	/** Asks for the next window of a transaction received in pull mode (§10.4 receiver rule 2). */
	private void requestWindow(Incoming state, long start) {
		long end = start + this.options.pullWindow();
		state.windowEnd = end;
		this.channel.sendTracked(new TxPullFrame(this.channel.sid(), 0, state.stream.txid(), start, end));
	}

	// ---- flow control

	/**
	 * A TX_FLOW arrived: transactions this endpoint starts from now on use that mode.
	 * @param frame the frame
	 */
	public void onFlow(TxFlowFrame frame) {
		this.peerRequestedMode = frame.behaviour();
	}

	/**
	 * Asks the peer to start its future transactions in the given mode (sends TX_FLOW), and, for
	 * pull, requests their data in windows of {@code pullWindow} bytes.
	 * @param behaviour push or pull
	 * @return completes when the peer ACKs the TX_FLOW
	 */
	public CompletableFuture<Void> requestIncomingFlow(FlowBehaviour behaviour) {
		this.incomingMode = behaviour;
		return this.channel.sendTracked(new TxFlowFrame(this.channel.sid(), 0, behaviour));
	}

	// ---- outgoing transactions (this endpoint sends)

	/**
	 * Starts a transaction in the mode the peer asked for (push unless it sent TX_FLOW pull).
	 * @param source the data, closed when the transaction ends
	 * @param name the transaction name; empty becomes {@code anonymous}
	 * @return completes when the peer ACKs TX_FINISH; fails on a TX_START timeout, a cancel,
	 * a source error or the end of the session
	 */
	public CompletableFuture<Void> stream(StreamSource source, String name) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		Exception ended = this.closed;
		if (ended != null) {
			closeQuietly(source);
			result.completeExceptionally(new CryoTransactionException("The session has ended", ended));
			return result;
		}
		int txid = this.nextTxid.getAndIncrement();
		String effectiveName = name.isEmpty() ? TxStartFrame.ANONYMOUS : name;
		Outgoing transaction = new Outgoing(txid, source, this.peerRequestedMode, result);
		this.outgoing.put(txid, transaction);
		result.whenComplete((done, failure) -> {
			this.outgoing.remove(txid, transaction);
			transaction.release();
		});
		this.channel.sendTracked(new TxStartFrame(this.channel.sid(), 0, txid, effectiveName))
			.whenComplete((acknowledged, failure) -> {
				if (failure != null) {
					if (!result.isDone()) {
						this.channel.sendError("TX_START for txid " + Integer.toUnsignedString(txid)
								+ " was not acknowledged; the transaction is abandoned");
					}
					result.completeExceptionally(new CryoTransactionException(
							"TX_START of transaction " + Integer.toUnsignedString(txid) + " failed", unwrap(failure)));
				}
				else if (transaction.mode == FlowBehaviour.PUSH) {
					this.executor.execute(transaction::push);
				}
				else {
					this.executor.execute(transaction::readSource);
				}
			});
		return result;
	}

	/**
	 * A TX_PULL arrived for a transaction of this endpoint (§10.4 sender rules).
	 * @param frame the frame, already ACKed
	 */
	public void onPull(TxPullFrame frame) {
		Outgoing transaction = this.outgoing.get(frame.txid());
		String txid = Integer.toUnsignedString(frame.txid());
		if (transaction == null || transaction.finished) {
			this.channel.sendError("TX_PULL for unknown txid " + txid);
			return;
		}
		if (transaction.mode == FlowBehaviour.PUSH) {
			// A pull for a push-mode transaction is ACKed and ignored (§10.3).
			return;
		}
		if (!frame.isOrderedRange()) {
			this.channel.sendError("TX_PULL for txid " + txid + " has start " + Long.toUnsignedString(frame.start())
					+ " after end " + Long.toUnsignedString(frame.end()));
			return;
		}
		transaction.requestRange(frame.start(), frame.end());
	}

	/**
	 * A TX_CANCEL arrived: stops the transaction without TX_FINISH and discards its data.
	 * @param frame the frame, already ACKed
	 */
	public void onCancel(TxCancelFrame frame) {
		Outgoing transaction = this.outgoing.get(frame.txid());
		if (transaction == null) {
			logger.log(Level.DEBUG, () -> "TX_CANCEL for unknown txid " + Integer.toUnsignedString(frame.txid()));
			return;
		}
		transaction.result.completeExceptionally(new CryoTransactionException(
				"Transaction " + Integer.toUnsignedString(frame.txid()) + " was cancelled by the peer"));
	}

	// ---- waiting for streams by name

	/**
	 * Returns the next incoming stream with the given name: one that started and was not
	 * claimed yet, or the next one to start.
	 * @param name the transaction name
	 * @param timeout how long to wait
	 * @return the stream; fails with {@link TimeoutException} when none starts in time
	 */
	public synchronized CompletableFuture<IncomingStream> awaitStream(String name, Duration timeout) {
		ArrayDeque<IncomingStream> ready = this.unclaimed.get(name);
		if (ready != null && !ready.isEmpty()) {
			return CompletableFuture.completedFuture(ready.poll());
		}
		CompletableFuture<IncomingStream> claim = new CompletableFuture<>();
		Exception ended = this.closed;
		if (ended != null) {
			claim.completeExceptionally(new CryoTransactionException("The session has ended", ended));
			return claim;
		}
		this.waiting.computeIfAbsent(name, (key) -> new ArrayDeque<>()).add(claim);
		this.scheduler.schedule(() -> {
			synchronized (this) {
				ArrayDeque<CompletableFuture<IncomingStream>> queue = this.waiting.get(name);
				if (queue != null) {
					queue.remove(claim);
				}
			}
			claim.completeExceptionally(new TimeoutException("No transaction named '" + name + "' within " + timeout));
		}, timeout.toNanos(), TimeUnit.NANOSECONDS);
		return claim;
	}

	/** Hands a new stream to a waiting claim, or keeps it for a later one. Caller holds the lock. */
	private void offer(IncomingStream stream) {
		ArrayDeque<CompletableFuture<IncomingStream>> claims = this.waiting.get(stream.name());
		while (claims != null && !claims.isEmpty()) {
			if (claims.poll().complete(stream)) {
				return;
			}
		}
		ArrayDeque<IncomingStream> ready = this.unclaimed.computeIfAbsent(stream.name(), (key) -> new ArrayDeque<>());
		ready.add(stream);
		// A stream nobody claims must not be kept once it failed.
		stream.completion().whenComplete((size, failure) -> {
			if (failure != null) {
				synchronized (this) {
					ready.remove(stream);
				}
			}
		});
	}

	// ---- the end of the session

	/**
	 * Fails every running transaction and waiting claim, deleting their temporary files: the
	 * session has ended.
	 * @param cause why
	 */
	public void closeAll(Exception cause) {
		List<IncomingStream> streams = new ArrayList<>();
		List<CompletableFuture<IncomingStream>> claims = new ArrayList<>();
		synchronized (this) {
			this.closed = cause;
			this.incoming.values().forEach((state) -> streams.add(state.stream));
			this.incoming.clear();
			this.waiting.values().forEach(claims::addAll);
			this.waiting.clear();
		}
		CryoTransactionException failure = new CryoTransactionException("The session has ended", cause);
		streams.forEach((stream) -> stream.fail(failure));
		claims.forEach((claim) -> claim.completeExceptionally(failure));
		for (Outgoing transaction : this.outgoing.values()) {
			transaction.result.completeExceptionally(failure);
		}
	}

	private static Throwable unwrap(Throwable failure) {
		return (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null)
				? failure.getCause() : failure;
	}

	private static void closeQuietly(StreamSource source) {
		try {
			source.close();
		}
		catch (IOException | RuntimeException ex) {
			logger.log(Level.DEBUG, "Closing a transaction source failed", ex);
		}
	}

	/** An incoming transaction and, in pull mode, the end of the window requested last. */
	private static final class Incoming {

		private final IncomingStream stream;

		private long windowEnd;

		Incoming(IncomingStream stream) {
			this.stream = stream;
		}

	}

	/** An outgoing transaction: its source, its mode and, in pull mode, its addressable data. */
	private final class Outgoing {

		private final int txid;

		private final StreamSource source;

		private final FlowBehaviour mode;

		private final CompletableFuture<Void> result;

		/** Pull mode: the data read so far, kept addressable until the transaction ends. */
		private @Nullable SpillBuffer data;

		private boolean sourceDone;

		private final ArrayDeque<long[]> pulls = new ArrayDeque<>();

		private boolean serving;

		private volatile boolean finished;

		Outgoing(int txid, StreamSource source, FlowBehaviour mode, CompletableFuture<Void> result) {
			this.txid = txid;
			this.source = source;
			this.mode = mode;
			this.result = result;
			if (mode == FlowBehaviour.PULL) {
				this.data = new SpillBuffer(TransactionManager.this.options.memoryThreshold(),
						TransactionManager.this.options.temporaryDirectory());
			}
		}

		/** Push mode: chunks in order, each once the send queue has room, then TX_FINISH. */
		void push() {
			int chunkSize = TransactionManager.this.options.chunkSize();
			ByteBuffer chunk = ByteBuffer.allocate(chunkSize);
			try {
				boolean end = false;
				while (!end && !this.result.isDone()) {
					chunk.clear();
					end = TransactionManager.fill(this.source, chunk);
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

		/** Pull mode: reads the whole source into the addressable buffer, serving pulls as data arrives. */
		void readSource() {
			ByteBuffer block = ByteBuffer.allocate(64 * 1024);
			try {
				boolean end = false;
				while (!end && !this.result.isDone()) {
					block.clear();
					end = TransactionManager.fill(this.source, block);
					block.flip();
					this.data.write(block);
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

		/** Queues a byte range; ranges are served one after the other, in arrival order (rule 3). */
		void requestRange(long start, long end) {
			boolean startServing;
			synchronized (this) {
				this.pulls.add(new long[] { start, end });
				startServing = !this.serving;
				this.serving = true;
			}
			if (startServing) {
				TransactionManager.this.executor.execute(this::servePulls);
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
						TransactionManager.this.channel
							.sendError("TX_PULL for unknown txid " + Integer.toUnsignedString(this.txid));
						continue;
					}
					serve(range[0], range[1]);
				}
			}
			catch (Exception ex) {
				this.result.completeExceptionally(failure("failed while serving a pull", ex));
			}
		}

		/** Sends [start, min(end, size)) as chunks, then TX_FINISH if the data ends inside the range (rule 2, 4). */
		private void serve(long start, long end) throws Exception {
			int chunkSize = TransactionManager.this.options.chunkSize();
			ByteBuffer chunk = ByteBuffer.allocate(chunkSize);
			long position = start;
			while (Long.compareUnsigned(position, end) < 0 && !this.result.isDone()) {
				long available = awaitData(position);
				if (Long.compareUnsigned(available, position) <= 0) {
					// The data ended before this position: the rest of the range does not exist.
					break;
				}
				chunk.clear();
				long limit = (Long.compareUnsigned(available, end) < 0) ? available : end;
				long wanted = Math.min(chunkSize, limit - position);
				chunk.limit((int) wanted);
				int read = this.data.read(position, chunk);
				chunk.flip();
				sendChunk(chunk);
				position += read;
			}
			// The range may end exactly where the data read so far ends: whether the data ends
			// there too is only known once the source says so (rule 4), so wait for that.
			awaitData(position);
			long size;
			synchronized (this) {
				size = this.sourceDone ? this.data.size() : -1;
			}
			if (size >= 0 && Long.compareUnsigned(end, size) >= 0) {
				finish();
			}
		}

		/** Waits until data beyond {@code position} exists or the source ended; returns the bytes available. */
		private synchronized long awaitData(long position) throws InterruptedException {
			while (Long.compareUnsigned(this.data.size(), position) <= 0 && !this.sourceDone && !this.result.isDone()) {
				wait(1000);
			}
			return this.data.size();
		}

		private void sendChunk(ByteBuffer chunk) throws Exception {
			TransactionChannel channel = TransactionManager.this.channel;
			CompletableFuture<Void> room = channel.awaitRoom(CHUNK_HEADER + chunk.remaining());
			while (!room.isDone()) {
				// A cancelled transaction must not keep its worker waiting on a stalled peer.
				if (this.result.isDone()) {
					throw new CryoTransactionException("Transaction " + Integer.toUnsignedString(this.txid) + " ended");
				}
				try {
					room.get(100, TimeUnit.MILLISECONDS);
				}
				catch (TimeoutException ex) {
					// Check the transaction again, then keep waiting.
				}
			}
			room.get();
			if (!channel.sendChunk(new TxChunkFrame(channel.sid(), this.txid, chunk))) {
				throw new CryoTransactionException("The session is closing");
			}
		}

		private void finish() {
			if (this.result.isDone() || this.finished) {
				return;
			}
			this.finished = true;
			TransactionChannel channel = TransactionManager.this.channel;
			channel.sendTracked(new TxFinishFrame(channel.sid(), 0, this.txid)).whenComplete((done, failure) -> {
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

		/** Closes the source and deletes the addressable copy; wakes up pull servers. */
		void release() {
			closeQuietly(this.source);
			synchronized (this) {
				notifyAll();
			}
			if (this.data != null) {
				this.data.release();
			}
		}

	}

	/**
	 * Reads until {@code target} is full or the source ends.
	 * @return whether the source ended
	 */
	static boolean fill(StreamSource source, ByteBuffer target) throws IOException {
		while (target.hasRemaining()) {
			if (source.read(target) == -1) {
				return true;
			}
		}
		return false;
	}

}
