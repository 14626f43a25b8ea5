package dev.cryo.core.transaction;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The buffers one outgoing transaction reads its chunks into. Each is the message its chunk is
 * sent as (room for the header, then the payload) and comes back once the session has written
 * it, so a transaction allocates about as many as its session's send queue holds at once
 * instead of one per chunk: on a push, the garbage collector otherwise copied the queued chunks
 * at every young collection and took a quarter of the server's CPU (BENCHMARKS.md, "Measured
 * once compiled").
 *
 * <p>Bounded by the session's send queue cap ({@code cryo.backpressure.max-queued-bytes}): it
 * keeps no more buffers than that cap holds chunks, plus one (128 of 64 KiB at the defaults),
 * which is about what the transaction can have outstanding at once anyway; more that come back
 * are left to the garbage collector, and the buffers kept go with the transaction when it ends.
 *
 * <p>Thread-safe: buffers are taken by the transaction's task and given back on whatever thread
 * the transport calls back on. A buffer that never comes back (its session ended with it
 * queued) is left to the garbage collector.
 */
final class ChunkMessages {

	private final int room;

	/** The most buffers kept for reuse. */
	private final int maxKept;

	private final int capacity;

	/** Buffers written and free to take again; guarded by this. */
	private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

	/**
	 * Creates the buffers of one transaction.
	 * @param room the length of a chunk's header in the transaction's layout
	 * @param chunkSize the largest payload of a chunk
	 * @param maxQueuedBytes the session's send queue cap
	 */
	ChunkMessages(int room, int chunkSize, long maxQueuedBytes) {
		this.room = room;
		this.capacity = room + chunkSize;
		this.maxKept = (int) Math.min(Integer.MAX_VALUE, maxQueuedBytes / this.capacity + 1);
	}

	/**
	 * Returns a buffer for a chunk of {@code payload} bytes, positioned after the room left for
	 * the header, its limit at the end of the payload.
	 * @param payload the most payload bytes, at most the chunk size
	 * @return the buffer, a reused one when one is free
	 */
	ByteBuffer take(int payload) {
		ByteBuffer buffer;
		synchronized (this) {
			buffer = this.free.poll();
		}
		if (buffer == null) {
			buffer = ByteBuffer.allocate(this.capacity);
		}
		return buffer.clear().limit(this.room + payload).position(this.room);
	}

	/**
	 * Takes back a buffer once the session no longer needs it.
	 * @param buffer a buffer from {@link #take}
	 */
	void give(ByteBuffer buffer) {
		synchronized (this) {
			if (this.free.size() < this.maxKept) {
				this.free.push(buffer);
			}
		}
	}

}
