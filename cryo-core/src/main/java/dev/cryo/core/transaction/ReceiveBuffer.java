package dev.cryo.core.transaction;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;

import org.jspecify.annotations.Nullable;

/**
 * The bytes of one incoming transaction, between the session that appends them and the one
 * reader that consumes them in order. At most {@code memoryThreshold} unread bytes are held in
 * memory; while the reader lags further behind, new bytes go to a temporary file and are read
 * back from it in order. Consumed bytes are let go at once, so a reader that keeps up never
 * touches the disk however large the transaction, and once the reader has caught up with the
 * file, bytes are held in memory again. The file is deleted by {@link #release()}. Every byte
 * written to the file is first reserved in the endpoint's {@link SpillSpace}, and given back
 * when the file is emptied or deleted.
 *
 * <p>Unlike {@link SpillBuffer}, which an outgoing pull transaction needs to address by range,
 * this buffer is read exactly once, front to back.
 */
final class ReceiveBuffer {

	private static final int BLOCK = 64 * 1024;

	private final long memoryThreshold;

	/** Memory blocks; the first starts at stream position {@link #blocksStart}. */
	private final ArrayDeque<byte[]> blocks = new ArrayDeque<>();

	private long blocksStart;

	/** Stream position just past the last byte held in memory. */
	private long memoryEnd;

	/** Bytes appended so far. */
	private long size;

	/** Bytes the reader has consumed. */
	private long consumed;

	/** Stream position of the file's first byte while bytes are spilled to it; -1 when none are. */
	private long fileStart = -1;

	private final SpillFile file;

	private final SpillSpace space;

	private final Path directory;

	/** Bytes of the file reserved in {@link #space}. */
	private long reserved;

	private boolean released;

	/** Creates a buffer whose file is limited by nothing but the disk. */
	ReceiveBuffer(long memoryThreshold, Path directory) {
		this(memoryThreshold, directory, new SpillSpace(0, 0, (bytes) -> {
		}));
	}

	ReceiveBuffer(long memoryThreshold, Path directory, SpillSpace space) {
		this.memoryThreshold = memoryThreshold;
		this.directory = directory;
		this.space = space;
		this.file = new SpillFile(directory);
	}

	/** Appends the remaining bytes of {@code data}; its position is left unchanged. */
	synchronized void write(ByteBuffer data) throws IOException {
		if (this.released) {
			throw new IOException("buffer released");
		}
		ByteBuffer source = data.duplicate();
		while (source.hasRemaining()) {
			if (this.fileStart < 0) {
				long room = this.memoryThreshold - (this.memoryEnd - this.consumed);
				if (room <= 0) {
					// The reader is a whole threshold behind: what comes next waits on disk.
					this.fileStart = this.memoryEnd;
					continue;
				}
				appendToMemory(source, room);
			}
			else {
				// Reserved before the file exists or grows: a refusal leaves the disk untouched.
				long end = this.size - this.fileStart + source.remaining();
				if (end > this.reserved) {
					this.space.reserve(this.directory, end - this.reserved);
					this.reserved = end;
				}
				FileChannel channel = this.file.channel();
				int written = channel.write(source, this.size - this.fileStart);
				this.size += written;
			}
		}
	}

	private void appendToMemory(ByteBuffer source, long room) {
		if (this.blocks.isEmpty()) {
			this.blocksStart = this.memoryEnd;
		}
		long used = this.memoryEnd - this.blocksStart;
		if (used == (long) this.blocks.size() * BLOCK) {
			this.blocks.addLast(new byte[BLOCK]);
		}
		int offset = (int) (used - (long) (this.blocks.size() - 1) * BLOCK);
		int count = (int) Math.min(Math.min(source.remaining(), BLOCK - offset), room);
		source.get(this.blocks.peekLast(), offset, count);
		this.memoryEnd += count;
		this.size += count;
	}

	/**
	 * Copies the next unread bytes into {@code target}, as many as have arrived and fit.
	 * @param position where the reader is; must equal the bytes it consumed so far
	 * @return the number of bytes copied, 0 when no unread byte has arrived yet
	 */
	synchronized int read(long position, ByteBuffer target) throws IOException {
		if (this.released) {
			throw new IOException("buffer released");
		}
		if (position != this.consumed) {
			throw new IllegalStateException("Sequential reads only: at " + this.consumed + ", asked for " + position);
		}
		int copied = 0;
		while (target.hasRemaining() && this.consumed < this.size) {
			int count;
			if (this.consumed < this.memoryEnd) {
				int offset = (int) (this.consumed - this.blocksStart);
				count = (int) Math.min(Math.min(target.remaining(), BLOCK - offset), this.memoryEnd - this.consumed);
				target.put(this.blocks.peekFirst(), offset, count);
			}
			else {
				ByteBuffer window = target.slice();
				window.limit((int) Math.min(window.remaining(), this.size - this.consumed));
				count = this.file.channel().read(window, this.consumed - this.fileStart);
				if (count <= 0) {
					break;
				}
				target.position(target.position() + count);
			}
			this.consumed += count;
			copied += count;
			letGoOfConsumedBlocks();
		}
		if (this.fileStart >= 0 && this.consumed == this.size) {
			// Caught up with the file: empty it and hold new bytes in memory again.
			this.file.channel().truncate(0);
			this.space.release(this.reserved);
			this.reserved = 0;
			this.fileStart = -1;
			this.blocks.clear();
			this.blocksStart = this.size;
			this.memoryEnd = this.size;
		}
		return copied;
	}

	private void letGoOfConsumedBlocks() {
		while (!this.blocks.isEmpty() && this.consumed >= this.blocksStart + BLOCK) {
			this.blocks.removeFirst();
			this.blocksStart += BLOCK;
		}
	}

	/** Unread bytes held in memory: never more than the threshold. */
	synchronized long bytesInMemory() {
		return this.released ? 0 : Math.max(0, this.memoryEnd - this.consumed);
	}

	synchronized long size() {
		return this.size;
	}

	/** Whether a temporary file has been created for this buffer and not yet deleted. */
	synchronized boolean hasSpilled() {
		return this.file.exists();
	}

	synchronized @Nullable Path spillFile() {
		return this.file.path();
	}

	/** Frees the memory and deletes the temporary file. Idempotent. */
	synchronized void release() {
		if (this.released) {
			return;
		}
		this.released = true;
		this.blocks.clear();
		this.file.delete();
		this.space.release(this.reserved);
		this.reserved = 0;
	}

}
