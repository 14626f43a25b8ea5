package dev.cryo.server.web;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.cryo.server.support.ReassemblyBudget;
import dev.cryo.server.support.ReassemblyShare;
import dev.cryo.server.support.ReassemblyShare.Refusal;

/**
 * Joins the parts of the WebSocket binary messages of one connection, within the server's
 * limits. The container delivers messages in parts of its (small) buffer size, so no connection
 * needs a receive buffer as large as the largest legal message; only a connection that is
 * receiving a large message holds one, only while it does, and only what it reserved from the
 * server's {@link ReassemblyBudget}.
 *
 * <p>A small message that arrives in one part is handed over in the container's buffer, without
 * a copy. Any other message is collected in blocks that grow with it (each as large as all
 * before it together, from 16 KiB up to 1 MiB), and joined into one array of exactly its length
 * when its last part arrives: that array is the message's own, no one reuses it, so whoever
 * receives it may keep views of it. Each block reserves twice its size from the budget, once for
 * itself and once for its share of that array, so a message whose parts were admitted is never
 * refused at its end. The joined message stays reserved until {@link #delivered()}. The first
 * block (16 KiB) of a joined message is kept for the next message, as the only buffer an idle
 * connection may hold.
 *
 * <p>A message larger than the limit, or than the whole budget, is refused as
 * {@link Refusal#TOO_BIG}; one that does not fit into what is left of the budget as
 * {@link Refusal#NO_ROOM}. Either way its reservation is given back and the connection must
 * be closed: everything it delivers afterwards is discarded. The container calls one
 * connection's message callbacks one at a time, but its close may come from another thread, so
 * the methods synchronize.
 */
final class MessageAssembler {

	/** A message that arrives whole up to this size is passed on in the container's buffer. */
	static final int PASS_THROUGH_LIMIT = 64 * 1024;

	/** The size of the first block of a message. */
	static final int MIN_BLOCK = 16 * 1024;

	/** The size the blocks stop growing at. */
	static final int MAX_BLOCK = 1024 * 1024;

	private final int maxMessageSize;

	private final ReassemblyShare share;

	private final List<byte[]> blocks = new ArrayList<>();

	/**
	 * The first block of the last joined message, kept for the next one: a connection that
	 * receives many messages of a few KiB does not allocate it for each.
	 */
	private byte @Nullable [] spare;

	/** The bytes of the message received so far. */
	private int length;

	/** The bytes of all blocks together. */
	private long capacity;

	/** The bytes used in the last block. */
	private int filled;

	/** Whether the message last completed is an array of its own rather than the container's buffer. */
	private boolean joined;

	private boolean closed;

	/**
	 * Creates the assembler of one connection.
	 * @param maxMessageSize the largest message accepted
	 * @param budget the server's budget
	 */
	MessageAssembler(int maxMessageSize, ReassemblyBudget budget) {
		this.maxMessageSize = maxMessageSize;
		this.share = new ReassemblyShare(budget);
	}

	/**
	 * Adds one part.
	 * @param part the bytes of the part, read during the call only
	 * @param last whether this part ends the message
	 * @return the complete message when {@code last} is set and the message was admitted,
	 * otherwise {@code null}; see {@link #takeRefusal()}
	 */
	synchronized @Nullable ByteBuffer append(ByteBuffer part, boolean last) {
		if (this.closed || this.share.isRefused()) {
			return null;
		}
		int size = part.remaining();
		if (size > this.maxMessageSize - this.length) {
			refuse(Refusal.TOO_BIG);
			return null;
		}
		if (last && this.length == 0) {
			return whole(part);
		}
		while (part.hasRemaining()) {
			if (this.length == this.capacity && !addBlock()) {
				return null;
			}
			byte[] block = this.blocks.get(this.blocks.size() - 1);
			int count = Math.min(part.remaining(), block.length - this.filled);
			part.get(block, this.filled, count);
			this.filled += count;
			this.length += count;
		}
		return last ? join() : null;
	}

	/** A message in one part: a small one as it is, a large one copied once into its own array. */
	private @Nullable ByteBuffer whole(ByteBuffer part) {
		int size = part.remaining();
		if (size <= PASS_THROUGH_LIMIT) {
			this.joined = false;
			return part;
		}
		if (!reserve(size)) {
			return null;
		}
		byte[] message = new byte[size];
		part.get(message);
		this.joined = true;
		return ByteBuffer.wrap(message);
	}

	private boolean addBlock() {
		// The total doubles up to the largest block, and never passes the limit (the caller
		// checked that the part fits under it, so at least one byte is left).
		long size = Math.min(Math.min(Math.max(MIN_BLOCK, this.capacity), MAX_BLOCK),
				this.maxMessageSize - this.capacity);
		// The block, and its share of the array the message is joined into at its end.
		if (!reserve(2 * size)) {
			return false;
		}
		byte[] reused = this.spare;
		this.spare = null;
		this.blocks.add((reused != null && reused.length == size) ? reused : new byte[(int) size]);
		this.capacity += size;
		this.filled = 0;
		return true;
	}

	private boolean reserve(long bytes) {
		if (this.share.reserve(bytes)) {
			return true;
		}
		clearBlocks();
		return false;
	}

	private ByteBuffer join() {
		byte[] message;
		byte[] first = this.blocks.get(0);
		if (this.blocks.size() == 1 && this.filled == first.length) {
			message = first;
		}
		else {
			message = new byte[this.length];
			int at = 0;
			for (byte[] block : this.blocks) {
				int count = Math.min(block.length, this.length - at);
				System.arraycopy(block, 0, message, at, count);
				at += count;
			}
			if (first.length == MIN_BLOCK) {
				this.spare = first;
			}
		}
		// The blocks are garbage now: only the message stays reserved until it has been handled.
		this.share.keep(this.length);
		clearBlocks();
		this.joined = true;
		return ByteBuffer.wrap(message);
	}

	/**
	 * Returns whether the message {@link #append} returned last is an array of its own, which
	 * nobody changes afterwards, rather than the container's buffer, which it reuses.
	 * @return whether the message owns its bytes
	 */
	synchronized boolean joined() {
		return this.joined;
	}

	/** The message {@link #append} returned has been handled: gives its bytes back to the budget. */
	synchronized void delivered() {
		this.share.releaseAll();
	}

	/**
	 * Returns why the message being received was refused, once: the caller closes the
	 * connection. Later calls return {@code null}.
	 * @return the refusal, or {@code null} when there is none to report
	 */
	synchronized @Nullable Refusal takeRefusal() {
		return this.share.takeRefusal();
	}

	/** The connection is gone: gives everything back, and discards whatever still arrives. */
	synchronized void close() {
		this.closed = true;
		this.spare = null;
		releaseAll();
	}

	/**
	 * Returns the bytes this connection holds of the budget.
	 * @return the reserved bytes
	 */
	synchronized long reserved() {
		return this.share.reserved();
	}

	private void refuse(Refusal why) {
		this.share.refuse(why);
		clearBlocks();
	}

	private void releaseAll() {
		this.share.releaseAll();
		clearBlocks();
	}

	private void clearBlocks() {
		this.blocks.clear();
		this.capacity = 0;
		this.filled = 0;
		this.length = 0;
	}

}
