package dev.cryo.core.transaction;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An append-only store of bytes that keeps the first {@code memoryThreshold} bytes in memory
 * and the rest in a temporary file, and lets readers read any range that has been written.
 * The file is deleted by {@link #release()}. One writer, any number of readers.
 */
final class SpillBuffer {

	private static final int BLOCK = 64 * 1024;

	private final long memoryThreshold;

	private final List<byte[]> blocks = new ArrayList<>();

	private long size;

	private final SpillFile file;

	private boolean released;

	SpillBuffer(long memoryThreshold, Path directory) {
		this.memoryThreshold = memoryThreshold;
		this.file = new SpillFile(directory);
	}

	/** Appends the remaining bytes of {@code data}. */
	synchronized void write(ByteBuffer data) throws IOException {
		if (this.released) {
			throw new IOException("buffer released");
		}
		ByteBuffer source = data.duplicate();
		while (source.hasRemaining() && this.size < this.memoryThreshold) {
			int offsetInBlock = (int) (this.size % BLOCK);
			if (offsetInBlock == 0) {
				this.blocks.add(new byte[BLOCK]);
			}
			int count = (int) Math.min(Math.min(source.remaining(), BLOCK - offsetInBlock),
					this.memoryThreshold - this.size);
			source.get(this.blocks.get(this.blocks.size() - 1), offsetInBlock, count);
			this.size += count;
		}
		if (source.hasRemaining()) {
			FileChannel channel = this.file.channel();
			long position = this.size - this.memoryThreshold;
			while (source.hasRemaining()) {
				int written = channel.write(source, position);
				position += written;
				this.size += written;
			}
		}
	}

	/**
	 * Copies bytes starting at {@code position} into {@code target}, as many as are written and fit.
	 * @return the number of bytes copied, 0 when nothing at that position has been written yet
	 */
	synchronized int read(long position, ByteBuffer target) throws IOException {
		if (this.released) {
			throw new IOException("buffer released");
		}
		int copied = 0;
		while (target.hasRemaining() && position < this.size) {
			if (position < this.memoryThreshold) {
				byte[] block = this.blocks.get((int) (position / BLOCK));
				int offset = (int) (position % BLOCK);
				int count = (int) Math.min(Math.min(target.remaining(), BLOCK - offset), this.size - position);
				count = (int) Math.min(count, this.memoryThreshold - position);
				target.put(block, offset, count);
				position += count;
				copied += count;
			}
			else {
				ByteBuffer window = target.slice();
				int limit = (int) Math.min(window.remaining(), this.size - position);
				window.limit(limit);
				int read = this.file.channel().read(window, position - this.memoryThreshold);
				if (read <= 0) {
					break;
				}
				target.position(target.position() + read);
				position += read;
				copied += read;
			}
		}
		return copied;
	}

	/** Bytes held in memory (the rest is in the file): never more than the threshold. */
	synchronized long bytesInMemory() {
		return this.released ? 0 : Math.min(this.size, this.memoryThreshold);
	}

	synchronized long size() {
		return this.size;
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
		this.blocks.clear();
		this.file.delete();
	}

}
