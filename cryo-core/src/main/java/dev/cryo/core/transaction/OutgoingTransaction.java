package dev.cryo.core.transaction;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxStartFrame;

/**
 * One transaction this endpoint sends (cryo-v1.md §10), from TX_START to TX_FINISH. In push
 * mode its data goes out as chunks in order, each once the send queue has room. In pull mode
 * the ranges the peer pulls are served one after the other (§10.4, sender rules) from a
 * {@link SpillBuffer} that holds the latest bytes read: the source is read only as far as the
 * furthest byte served plus a read-ahead, and bytes further back than the retention are let go.
 *
 * <p>The work runs on the given executor as one task at a time per transaction, which never
 * waits for the peer: when the send queue is full the task ends and is submitted again once
 * there is room, so a bounded pool serves any number of slow peers. A task also gives its thread
 * up after a few chunks, so that transactions sharing a pool take turns.
 *
 * <p>The {@link #result()} completes when the peer ACKs TX_FINISH, and fails on a TX_START
 * timeout, a cancel, a source error or the end of the session. Whoever completes it must then
 * call {@link #release()}.
 */
final class OutgoingTransaction {

	private static final System.Logger logger = System.getLogger(OutgoingTransaction.class.getName());

	/** Pull mode: bytes read from the source at a time. */
	private static final int READ_BLOCK = 64 * 1024;

	/** Chunks sent or blocks read before a task gives its thread to the next transaction. */
	private static final int TURN = 16;

	/** Set once before TX_START is sent: by the caller, or in CAMP from the TX_START's ack number. */
	private volatile int txid;

	private final StreamSource source;

	private final FlowBehaviour mode;

	private final TransactionLayout layout;

	/** cryo-protocol 1.4: the sequence number of the next chunk. Touched only by the task. */
	private int sequence;

	/** CAMP push: the byte offset of the next chunk. Touched only by the task. */
	private long pushOffset;

	private final TransactionChannel channel;

	private final int chunkSize;

	private final long readAhead;

	private final Executor executor;

	private final CompletableFuture<Void> result = new CompletableFuture<>();

	/** What a step returns when the task has nothing left to do; never completed. */
	private final CompletableFuture<Void> idle = new CompletableFuture<>();

	/** Pull mode: the latest bytes read, addressable by range. */
	private final @Nullable SpillBuffer data;

	/** Pull mode: the ranges waiting to be served, in arrival order. Guarded by this. */
	private final ArrayDeque<long[]> pulls = new ArrayDeque<>();

	/** Whether a task runs, is queued, or waits for room: at most one at a time. Guarded by this. */
	private boolean scheduled;

	// The state below is touched only by the task; handing it to the executor orders the accesses.

	/**
	 * Push mode: a chunk read from the source that waits for room, as the message it will be
	 * sent as (see {@link #newMessage}).
	 */
	private @Nullable ByteBuffer pending;

	/** Pull mode: where a block of the source is read before it goes into {@link #data}; empty in push mode. */
	private final ByteBuffer readBuffer;

	/** The bytes a chunk's header takes in front of its payload in this transaction's layout. */
	private final int headerRoom;

	/** The messages chunks are read into, reused once written. */
	private final ChunkMessages messages;

	private boolean sourceDone;

	/** Pull mode: the range being served, if {@link #serving}. */
	private long position;

	private long end;

	private boolean serving;

	/** Pull mode: the furthest byte served so far; the source is read up to this plus the read-ahead. */
	private long frontier;

	private volatile boolean finished;

	/**
	 * Creates a transaction; nothing is sent before {@link #start(String)}.
	 * @param txid the transaction id
	 * @param source the data, closed by {@link #release()}
	 * @param mode push, or pull when the peer asked for it (Cryo v1) or the caller chose it (CAMP)
	 * @param layout the layout of the transaction's frames
	 * @param channel the session's side of its transactions
	 * @param options the chunk size, and for pull mode the memory threshold, read-ahead,
	 * retention and spill directory
	 * @param executor runs the work
	 * @param space where a pull buffer reserves its file
	 */
	OutgoingTransaction(int txid, StreamSource source, FlowBehaviour mode, TransactionLayout layout,
			TransactionChannel channel, TransactionOptions options, Executor executor, SpillSpace space) {
		this.txid = txid;
		this.source = source;
		this.mode = mode;
		this.layout = layout;
		this.channel = channel;
		this.chunkSize = Math.min(options.chunkSize(), channel.maxChunkPayload());
		this.readAhead = options.pullReadAhead();
		this.executor = executor;
		this.readBuffer = ByteBuffer.allocate((mode == FlowBehaviour.PULL) ? READ_BLOCK : 0);
		this.headerRoom = channel.chunkOverhead(layout);
		this.messages = new ChunkMessages(this.headerRoom, this.chunkSize, channel.maxQueuedBytes());
		// The window holds the retention behind the frontier, the read-ahead beyond it, and the
		// chunk being served may start a chunk before the frontier.
		// A CAMP pull transaction announces its size, so its whole source is read first, and
		// its peer may fetch any range of it: everything is kept (camp.md §7.4), within the
		// spill space.
		long capacity = (layout == TransactionLayout.CAMP) ? Long.MAX_VALUE
				: options.pullRetention() + options.pullReadAhead() + options.chunkSize() + READ_BLOCK;
		this.data = (mode == FlowBehaviour.PULL)
				? new SpillBuffer(capacity, options.memoryThreshold(), options.temporaryDirectory(), space) : null;
	}

	/** Creates a seed-layout transaction whose pull buffer uses a spill space of its own. */
	OutgoingTransaction(int txid, StreamSource source, FlowBehaviour mode, TransactionChannel channel,
			TransactionOptions options, Executor executor) {
		this(txid, source, mode, TransactionLayout.SEED, channel, options, executor, SpillSpace.of(options));
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

	TransactionLayout layout() {
		return this.layout;
	}

	/**
	 * Sends TX_START and, once the peer ACKs it, pushes the data or, in pull mode, reads ahead
	 * for the pulls to come. A CAMP pull transaction first reads its whole source, to announce
	 * its size.
	 * @param name the transaction name, not empty
	 * @param numbered told the txid once it is known, before TX_START can reach the peer
	 */
	void start(String name, Consumer<OutgoingTransaction> numbered) {
		synchronized (this) {
			// No pull is served before TX_START is ACKed: the first task starts then.
			this.scheduled = true;
		}
		if (this.layout == TransactionLayout.CAMP && this.mode == FlowBehaviour.PULL) {
			try {
				this.executor.execute(() -> {
					try {
						SpillBuffer data = pullData();
						while (!this.sourceDone && !this.result.isDone()) {
							readBlock(Long.MAX_VALUE);
						}
						sendStart(name, data.size(), numbered);
					}
					catch (Exception ex) {
						this.result.completeExceptionally(failure("could not read its source", ex));
					}
				});
			}
			catch (RejectedExecutionException ex) {
				this.result.completeExceptionally(failure("could not be scheduled", ex));
			}
			return;
		}
		sendStart(name, TxStartFrame.UNKNOWN_SIZE, numbered);
	}

	private void sendStart(String name, long size, Consumer<OutgoingTransaction> numbered) {
		CompletableFuture<Void> started;
		if (this.layout == TransactionLayout.CAMP) {
			// The txid is the ack number of the TX_START (camp.md §8 rule 5).
			started = this.channel.sendTracked((ack) -> {
				this.txid = ack;
				numbered.accept(this);
				return new TxStartFrame(this.channel.sid(), ack, ack, name, size, this.mode, TransactionLayout.CAMP);
			});
		}
		else {
			numbered.accept(this);
			started = this.channel.sendTracked(
					new TxStartFrame(this.channel.sid(), 0, this.txid, name, size, null, this.layout));
		}
		started.whenComplete((acknowledged, failure) -> {
			if (failure != null) {
				// The peer may still have started the stream: tell it this side gave up. Not when the
				// codec refused the frame (a CAMP name over 1 KiB): then it never left.
				if (!this.result.isDone() && !(unwrap(failure) instanceof CryoFrameException)) {
					this.channel.sendError("TX_START for txid " + Integer.toUnsignedString(this.txid)
							+ " was not acknowledged; the transaction is abandoned");
				}
				this.result.completeExceptionally(new CryoTransactionException(
						"TX_START of transaction " + Integer.toUnsignedString(this.txid) + " failed",
						unwrap(failure)));
			}
			else {
				submit();
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
			startServing = !this.scheduled;
			this.scheduled = true;
		}
		if (startServing) {
			submit();
		}
	}

	private void submit() {
		try {
			this.executor.execute(this::run);
		}
		catch (RejectedExecutionException ex) {
			this.result.completeExceptionally(failure("could not be scheduled", ex));
		}
	}

	/** One turn of work: ends when the work is done, a wait begins, or the turn is used up. */
	private void run() {
		try {
			for (int step = 0; step < TURN; step++) {
				if (this.result.isDone()) {
					return;
				}
				CompletableFuture<Void> room = (this.mode == FlowBehaviour.PUSH) ? pushStep() : pullStep();
				if (room == this.idle) {
					return;
				}
				if (room != null) {
					// Resumed by the room or by the end of the transaction, whichever comes first.
					CompletableFuture.anyOf(room, this.result).whenComplete((ignored, failure) -> submit());
					return;
				}
			}
			submit();
		}
		catch (Exception ex) {
			this.result.completeExceptionally(failure("failed while sending", ex));
		}
	}

	/**
	 * Push mode: reads the next chunk if none is pending and sends it if the queue has room.
	 * @return {@code null} to go on, the room to wait for, or {@link #idle}
	 */
	private @Nullable CompletableFuture<Void> pushStep() throws Exception {
		ByteBuffer message = this.pending;
		if (message == null) {
			if (this.sourceDone) {
				finish();
				return this.idle;
			}
			message = newMessage(this.chunkSize);
			this.sourceDone = fill(this.source, message);
			if (message.position() == this.headerRoom) {
				this.messages.give(message);
				return null;
			}
			this.pending = message.flip();
		}
		CompletableFuture<Void> room = room(message.remaining() - this.headerRoom);
		if (room != null) {
			return room;
		}
		sendChunk(message);
		this.pending = null;
		return null;
	}

	/**
	 * Pull mode: one piece of work, in order of urgency: the range being served, the next range
	 * asked for, then the read-ahead.
	 * @return {@code null} to go on, the room to wait for, or {@link #idle}
	 */
	private @Nullable CompletableFuture<Void> pullStep() throws Exception {
		SpillBuffer data = pullData();
		if (!this.serving) {
			long[] range;
			synchronized (this) {
				range = this.pulls.poll();
				if (range == null && (this.sourceDone || this.finished
						|| data.size() >= this.frontier + this.readAhead)) {
					this.scheduled = false;
					return this.idle;
				}
			}
			if (range == null) {
				readBlock(this.frontier + this.readAhead);
				return null;
			}
			String id = Integer.toUnsignedString(this.txid);
			if (this.finished) {
				// Queued behind the range that ended the data: the transaction is closed (rule 7).
				this.channel.sendError("TX_PULL for unknown txid " + id);
				return null;
			}
			if (Long.compareUnsigned(range[0], data.start()) < 0) {
				this.channel.refused(TransactionRefusal.PULL_RELEASED);
				this.channel.sendError("TX_PULL for txid " + id + " asks for bytes before " + data.start()
						+ ", which are no longer kept");
				return null;
			}
			this.position = range[0];
			this.end = range[1];
			this.serving = true;
		}
		if (Long.compareUnsigned(this.position, this.end) < 0) {
			// Sender rule 2: the next chunk of [start, min(end, size)).
			long wanted = unsignedMin(this.end, this.position + this.chunkSize);
			if (data.size() < wanted && !this.sourceDone) {
				readBlock(Math.max(wanted, this.frontier + this.readAhead));
				return null;
			}
			if (data.size() > this.position) {
				int length = (int) (Math.min(data.size(), wanted) - this.position);
				CompletableFuture<Void> room = room(length);
				if (room != null) {
					return room;
				}
				ByteBuffer message = newMessage(length);
				data.read(this.position, message);
				sendChunk(message.flip());
				this.position += length;
				this.frontier = Math.max(this.frontier, this.position);
				return null;
			}
		}
		// Served. Whether the data ends inside the range is only known once the source says so
		// (rule 4): read one byte beyond it, or to the end of the source.
		if (!this.sourceDone && Long.compareUnsigned(data.size(), this.end) <= 0) {
			readBlock(Math.max(this.end + 1, this.frontier + this.readAhead));
			return null;
		}
		this.serving = false;
		if (this.sourceDone && Long.compareUnsigned(this.end, data.size()) >= 0) {
			finish();
		}
		return null;
	}

	/** Pull mode: reads the next block of the source into the buffer, never beyond {@code limit}. */
	private void readBlock(long limit) throws IOException {
		SpillBuffer data = pullData();
		ByteBuffer block = this.readBuffer;
		block.clear().limit((int) Math.max(1, Math.min(READ_BLOCK, limit - data.size())));
		this.sourceDone = fill(this.source, block);
		block.flip();
		data.write(block);
	}

	/** {@code null} when the send queue has room for a chunk of this length now, else the room to wait for. */
	private @Nullable CompletableFuture<Void> room(int length) throws Exception {
		CompletableFuture<Void> room = this.channel.awaitRoom(this.headerRoom + length);
		if (!room.isDone()) {
			return room;
		}
		room.get();
		return null;
	}

	/**
	 * A message for a chunk of up to {@code payload} bytes (at most the chunk size), positioned
	 * after the room its header will take: the chunk is read straight into the message the
	 * session sends, so its bytes are copied once instead of twice (from the source, then into an
	 * encoded frame), and the message is reused once written.
	 */
	private ByteBuffer newMessage(int payload) {
		return this.messages.take(payload);
	}

	/** Sends the message from {@link #newMessage}, flipped: the room, then the payload. */
	private void sendChunk(ByteBuffer message) throws CryoTransactionException {
		ByteBuffer chunk = message.slice(this.headerRoom, message.remaining() - this.headerRoom);
		long position = switch (this.layout) {
			case SEED -> 0;
			case CRYO_PROTOCOL_1_4 -> Integer.toUnsignedLong(this.sequence++);
			// CAMP: the offset of the chunk's first byte; a pull chunk starts where its range is served.
			case CAMP -> (this.mode == FlowBehaviour.PULL) ? this.position : this.pushOffset;
		};
		int length = chunk.remaining();
		if (!this.channel.sendChunk(new TxChunkFrame(this.channel.sid(), this.txid, chunk, position, this.layout),
				message, () -> this.messages.give(message))) {
			throw new CryoTransactionException("The session is closing");
		}
		this.pushOffset += length;
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

	/**
	 * CAMP pull mode: whether a range starting at {@code start} is inside the transaction, whose
	 * whole source is read before TX_START; an empty transaction serves the range at 0 by
	 * finishing.
	 * @param start the first byte asked for
	 * @return whether the range can be served
	 */
	boolean servesFrom(long start) {
		long size = pullData().size();
		return Long.compareUnsigned(start, size) < 0 || (start == 0 && size == 0);
	}

	/** Pull mode: the bytes held in memory now. */
	long bytesInMemory() {
		return (this.data != null) ? this.data.bytesInMemory() : 0;
	}

	/** Closes the source and deletes the addressable copy. Call once the result is complete. */
	void release() {
		closeQuietly(this.source);
		if (this.data != null) {
			this.data.release();
		}
	}

	private static long unsignedMin(long a, long b) {
		return (Long.compareUnsigned(a, b) <= 0) ? a : b;
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
