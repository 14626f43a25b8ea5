package dev.cryo.core.transaction;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * The addressable part of an outgoing pull transaction's source: the latest {@code capacity}
 * bytes written, readable by range. Older bytes are overwritten as new ones arrive, so what
 * the buffer holds never grows beyond its capacity however long the source is. Byte {@code p}
 * lives in slot {@code p % capacity}; the first {@code memoryThreshold} slots are in memory,
 * the others in a temporary file whose growth is reserved in the endpoint's
 * {@link SpillSpace}. The file is deleted by {@link #release()}.
 */
final class SpillBuffer {

	private static final int BLOCK = 64 * 1024;

	private final long capacity;

	/** Slots held in memory: [0, memorySlots). */
	private final long memorySlots;

	private final byte[][] blocks;

	/** First byte still addressable. */
	private long start;

	/** Bytes written so far. */
	private long size;

	private final SpillFile file;

	private final SpillSpace space;

	private final Path directory;

	/** Length of the file reserved in {@link #space}. */
	private long reserved;

	private boolean released;

	/**
	 * Creates an empty buffer.
	 * @param capacity most bytes addressable at once, at least 1
	 * @param memoryThreshold bytes held in memory, the rest in the file
	 * @param directory where the file is created
	 * @param space where the file's bytes are reserved
	 */
	SpillBuffer(long capacity, long memoryThreshold, Path directory, SpillSpace space) {
		this.capacity = Math.max(1, capacity);
		this.memorySlots = Math.min(memoryThreshold, this.capacity);
		this.blocks = new byte[(int) ((this.memorySlots + BLOCK - 1) / BLOCK)][];
		this.directory = directory;
		this.space = space;
		this.file = new SpillFile(directory);
	}

	/** Appends the remaining bytes of {@code data}, letting go of the oldest bytes beyond the capacity. */
	synchronized void write(ByteBuffer data) throws IOException {
		if (this.released) {
			throw new IOException("buffer released");
		}
		ByteBuffer source = data.duplicate();
		while (source.hasRemaining()) {
			long slot = this.size % this.capacity;
			int count = (int) Math.min(source.remaining(), segmentEnd(slot) - slot);
			if (this.size + count - this.start > this.capacity) {
				this.start = this.size + count - this.capacity;
			}
			if (slot < this.memorySlots) {
				int index = (int) (slot / BLOCK);
				if (this.blocks[index] == null) {
					this.blocks[index] = new byte[BLOCK];
				}
				source.get(this.blocks[index], (int) (slot % BLOCK), count);
			}
			else {
				long offset = slot - this.memorySlots;
				if (offset + count > this.reserved) {
					this.space.reserve(this.directory, offset + count - this.reserved);
					this.reserved = offset + count;
				}
				ByteBuffer part = source.slice();
				part.limit(count);
				FileChannel channel = this.file.channel();
				while (part.hasRemaining()) {
					channel.write(part, offset + part.position());
				}
				source.position(source.position() + count);
			}
			this.size += count;
		}
	}

	/** Where the run of slots that contains {@code slot} ends: a memory block, the memory part, or the ring. */
	private long segmentEnd(long slot) {
		if (slot < this.memorySlots) {
			return Math.min((slot / BLOCK + 1) * BLOCK, this.memorySlots);
		}
		return this.capacity;
	}

	/**
	 * Copies bytes starting at {@code position} into {@code target}, as many as are written and fit.
	 * @param position at least {@link #start()}
	 * @return the number of bytes copied, 0 when nothing at that position has been written yet
	 * @throws IOException if the bytes are no longer addressable or cannot be read
	 */
	synchronized int read(long position, ByteBuffer target) throws IOException {
		if (this.released) {
			throw new IOException("buffer released");
		}
		if (position < this.start) {
			throw new IOException("bytes before " + this.start + " are no longer kept");
		}
		int copied = 0;
		while (target.hasRemaining() && position < this.size) {
			long slot = position % this.capacity;
			int count = (int) Math.min(Math.min(target.remaining(), this.size - position), segmentEnd(slot) - slot);
			if (slot < this.memorySlots) {
				target.put(this.blocks[(int) (slot / BLOCK)], (int) (slot % BLOCK), count);
			}
			else {
				ByteBuffer window = target.slice();
				window.limit(count);
				while (window.hasRemaining()) {
					if (this.file.channel().read(window, slot - this.memorySlots + window.position()) < 0) {
						throw new IOException("spill file ended early");
					}
				}
				target.position(target.position() + count);
			}
			position += count;
			copied += count;
		}
		return copied;
	}

	/** The first byte still addressable. */
	synchronized long start() {
		return this.start;
	}

	synchronized long size() {
		return this.size;
	}

	/** Bytes held in memory (the rest is in the file): never more than the threshold. */
	synchronized long bytesInMemory() {
		return this.released ? 0 : Math.min(this.size - this.start, this.memorySlots);
	}

	/** Whether part of the data lives in a temporary file. */
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
		java.util.Arrays.fill(this.blocks, null);
		this.file.delete();
		this.space.release(this.reserved);
		this.reserved = 0;
	}

}
