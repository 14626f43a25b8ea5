package dev.cryo.core.transaction;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.frame.FlowBehaviour;

/**
 * A transaction the peer is sending: its bytes as they arrive, readable once with
 * {@link #inputStream()} or {@link #transferTo(Path)}. Bytes are let go as soon as they are
 * read; while the reader lags more than the memory threshold behind, the bytes beyond it wait
 * in a temporary file, which is deleted when the stream is closed, read to the end, fails, or
 * the session ends. A reader that keeps up never touches the disk.
 *
 * <p>The stream is filled on the session's thread: read it on another thread (or after
 * {@link #completion()}), never blocking inside the event listener that announced it.
 *
 * <p>A transaction the peer offers in pull mode (a CAMP TX_START with TX_PULL, or any
 * transaction after this endpoint asked a Cryo v1 peer for pull mode) is fetched whole, window by
 * window, unless the listener that announced it asks for ranges of its own with
 * {@link #requestRange(long, long)}; the stream then holds the requested ranges one after the
 * other. Either side may stop a transaction: {@link #cancel()} sends TX_CANCEL where the
 * dialect has it.
 */
public final class IncomingStream implements AutoCloseable {

	private final int txid;

	private final String name;

	private final ReceiveBuffer buffer;

	private final CompletableFuture<Long> completion = new CompletableFuture<>();

	private boolean finished;

	private @Nullable Exception failure;

	private boolean opened;

	private boolean closed;

	/** Run once when the stream is taken or over; see {@link #whenTaken(Runnable)}. Guarded by this. */
	private @Nullable Runnable taken;

	private final FlowBehaviour behaviour;

	private final long announcedSize;

	private final Control control;

	/** What the stream asks of the transactions that feed it. */
	interface Control {

		/** Requests a range of a pull transaction; see {@link IncomingStream#requestRange}. */
		CompletableFuture<Void> requestRange(IncomingStream stream, long start, long end);

		/** Stops the transaction; see {@link IncomingStream#cancel()}. */
		CompletableFuture<Void> cancel(IncomingStream stream);

	}

	/** A control for streams that are not fed by a session: ranges and cancels are refused. */
	static final Control DETACHED = new Control() {

		@Override
		public CompletableFuture<Void> requestRange(IncomingStream stream, long start, long end) {
			return CompletableFuture.failedFuture(new IllegalStateException("The stream is not a pull transaction"));
		}

		@Override
		public CompletableFuture<Void> cancel(IncomingStream stream) {
			stream.fail(new CryoTransactionException("Transaction cancelled"));
			return CompletableFuture.completedFuture(null);
		}

	};

	IncomingStream(int txid, String name, ReceiveBuffer buffer) {
		this(txid, name, buffer, FlowBehaviour.PUSH, -1, DETACHED);
	}

	IncomingStream(int txid, String name, ReceiveBuffer buffer, FlowBehaviour behaviour, long announcedSize,
			Control control) {
		this.txid = txid;
		this.name = name;
		this.buffer = buffer;
		this.behaviour = behaviour;
		this.announcedSize = announcedSize;
		this.control = control;
	}

	/**
	 * Returns how the peer delivers the transaction: pushed, or offered for this endpoint to
	 * fetch.
	 * @return the mode
	 */
	public FlowBehaviour behaviour() {
		return this.behaviour;
	}

	/**
	 * Returns the length the peer announced in its TX_START (CAMP, cryo-protocol 1.4), which is
	 * informational: the stream ends at TX_FINISH whatever arrived.
	 * @return the announced length in bytes, or -1 when none was announced
	 */
	public long announcedSize() {
		return this.announcedSize;
	}

	/**
	 * Asks the peer for a byte range of a transaction it offers in pull mode (camp-server's
	 * {@code StreamRequestRange}). Called from the listener that announced the stream, the first
	 * call turns off the automatic fetching of the whole transaction; ranges are then requested
	 * one at a time, in the order asked, and their bytes are appended to this stream in that
	 * order. Ranges that reach the announced size make the peer finish the transaction.
	 * @param start the first byte, inclusive
	 * @param end the byte after the last; must be greater than {@code start}
	 * @return completes when the range's bytes have arrived (or the transaction finished); fails
	 * when the transaction is not in pull mode, is already being fetched whole, or ends first, and
	 * at once when the range starts at or past the announced size (only an empty transaction
	 * may be asked for {@code [0, 1)}, which its sender answers by finishing)
	 */
	public CompletableFuture<Void> requestRange(long start, long end) {
		if (start < 0 || end <= start) {
			return CompletableFuture.failedFuture(new IllegalArgumentException(
					"A range needs 0 <= start < end, got [" + start + ", " + end + ")"));
		}
		return this.control.requestRange(this, start, end);
	}

	/**
	 * Stops the transaction: the peer is sent TX_CANCEL (in dialects that have it) and sends
	 * nothing more for it, and the stream fails with a {@link CryoTransactionException}.
	 * @return completes when the peer ACKs the TX_CANCEL, or at once in a dialect without one
	 */
	public CompletableFuture<Void> cancel() {
		return this.control.cancel(this);
	}

	/**
	 * Returns the transaction id the peer chose (unsigned).
	 * @return the txid bits
	 */
	public int txid() {
		return this.txid;
	}

	/**
	 * Returns the transaction's name, {@code anonymous} when the peer sent none.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Returns the number of bytes received so far.
	 * @return the bytes received
	 */
	public long received() {
		return this.buffer.size();
	}

	/**
	 * Returns the unread bytes of this stream held in memory; never more than the memory
	 * threshold, whatever the size of the transaction.
	 * @return the bytes in memory
	 */
	public long bytesInMemory() {
		return this.buffer.bytesInMemory();
	}

	/**
	 * Returns a future that completes with the total size when TX_FINISH arrives, and fails
	 * when the transaction is cancelled, replaced, over a limit, or the session ends.
	 * @return the completion
	 */
	public CompletableFuture<Long> completion() {
		return this.completion;
	}

	/**
	 * Returns the stream's bytes, blocking on reads until more arrive; ends at TX_FINISH and
	 * throws {@link IOException} if the transaction fails. Can be opened once.
	 * @return the data
	 */
	public InputStream inputStream() {
		Runnable taken;
		synchronized (this) {
			if (this.opened) {
				throw new IllegalStateException("The stream of transaction '" + this.name + "' was already opened");
			}
			this.opened = true;
			taken = takeAction();
		}
		run(taken);
		return new Reader();
	}

	/**
	 * Writes the whole stream to a file as it arrives and returns once it is complete.
	 * @param target the file, created or replaced
	 * @return the number of bytes written
	 * @throws IOException if the transaction fails or the file cannot be written
	 */
	public long transferTo(Path target) throws IOException {
		try (InputStream in = inputStream();
				FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
						StandardOpenOption.TRUNCATE_EXISTING)) {
			byte[] chunk = new byte[64 * 1024];
			long total = 0;
			int read;
			while ((read = in.read(chunk)) != -1) {
				ByteBuffer data = ByteBuffer.wrap(chunk, 0, read);
				while (data.hasRemaining()) {
					out.write(data);
				}
				total += read;
			}
			return total;
		}
	}

	/** Stops reading: the data is discarded and the temporary file deleted. Later chunks are dropped. */
	@Override
	public void close() {
		Runnable taken;
		synchronized (this) {
			this.closed = true;
			this.buffer.release();
			taken = takeAction();
			notifyAll();
		}
		run(taken);
	}

	/**
	 * Returns the temporary file holding the bytes beyond the memory threshold, if there is one.
	 * The file is opened delete-on-close: on Linux its name is removed from the directory at
	 * once, so the path may not exist although the data is there.
	 * @return the spill file, or {@code null} when nothing spilled or the data was released
	 */
	public @Nullable Path spillFile() {
		return this.buffer.hasSpilled() ? this.buffer.spillFile() : null;
	}

	// ---- the engine's side

	/**
	 * Runs an action once, as soon as nobody else may take this stream: it was opened, closed, or
	 * it failed (reading it to the end opens it first). Whoever holds streams for later claims
	 * lets go of them then, so a session keeps no stream beyond its use.
	 */
	void whenTaken(Runnable action) {
		synchronized (this) {
			if (!this.opened && !this.closed && this.failure == null) {
				this.taken = action;
				return;
			}
		}
		action.run();
	}

	/** The action of {@link #whenTaken}, at most once; run it after leaving this monitor, since it takes other locks. */
	private @Nullable Runnable takeAction() {
		Runnable action = this.taken;
		this.taken = null;
		return action;
	}

	private static void run(@Nullable Runnable action) {
		if (action != null) {
			action.run();
		}
	}

	synchronized void append(ByteBuffer chunk) throws IOException {
		if (this.closed || this.finished || this.failure != null) {
			return;
		}
		this.buffer.write(chunk);
		notifyAll();
	}

	void finish() {
		long size;
		synchronized (this) {
			if (this.finished || this.failure != null) {
				return;
			}
			this.finished = true;
			size = this.buffer.size();
			if (this.closed) {
				this.buffer.release();
			}
			notifyAll();
		}
		this.completion.complete(size);
	}

	void fail(Exception cause) {
		Runnable taken;
		synchronized (this) {
			if (this.finished || this.failure != null) {
				return;
			}
			this.failure = cause;
			this.buffer.release();
			taken = takeAction();
			notifyAll();
		}
		run(taken);
		this.completion.completeExceptionally(cause);
	}

	@Override
	public String toString() {
		return "IncomingStream[txid=" + Integer.toUnsignedString(this.txid) + ", name=" + this.name + ", received="
				+ received() + "]";
	}

	/** Reads the buffer from the start, waiting for bytes that have not arrived yet. */
	private final class Reader extends InputStream {

		private long position;

		private boolean ended;

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int read = read(one, 0, 1);
			return (read == -1) ? -1 : one[0] & 0xFF;
		}

		@Override
		public int read(byte[] target, int offset, int length) throws IOException {
			if (length == 0) {
				return 0;
			}
			IncomingStream stream = IncomingStream.this;
			synchronized (stream) {
				while (true) {
					if (stream.failure != null) {
						throw new IOException("Transaction '" + stream.name + "' failed: " + stream.failure.getMessage(),
								stream.failure);
					}
					if (stream.closed || this.ended) {
						return -1;
					}
					int read = stream.buffer.read(this.position, ByteBuffer.wrap(target, offset, length));
					if (read > 0) {
						this.position += read;
						return read;
					}
					if (stream.finished) {
						// Read to the end: nothing needs the data any more.
						this.ended = true;
						stream.buffer.release();
						return -1;
					}
					try {
						stream.wait();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new InterruptedIOException("Interrupted while waiting for transaction data");
					}
				}
			}
		}

		@Override
		public void close() {
			IncomingStream.this.close();
		}

	}

}
