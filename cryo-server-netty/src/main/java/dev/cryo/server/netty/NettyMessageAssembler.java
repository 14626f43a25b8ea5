package dev.cryo.server.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import org.jspecify.annotations.Nullable;

import dev.cryo.server.support.ReassemblyBudget;
import dev.cryo.server.support.ReassemblyShare;
import dev.cryo.server.support.ReassemblyShare.Refusal;

/**
 * Joins the fragments of the WebSocket binary messages of one connection, within the server's
 * limits, the way the servlet transport's assembler does but without copying the fragments: each
 * fragment's buffer, as the frame decoder produced it, becomes a component of one composite
 * buffer, and only the end of a message in more than one fragment copies it once, into a heap
 * array of exactly its length that nobody reuses.
 *
 * <p>A message in one frame of at most {@value #PASS_THROUGH_LIMIT} bytes is passed on as it
 * is; a larger one reserves its size from the server's {@link ReassemblyBudget}. A fragmented
 * message reserves twice the size of each fragment as it arrives, once for the fragment and once
 * for its share of the joined copy, so a message whose fragments were admitted is never refused
 * at its end. The message stays reserved until {@link #delivered()}.
 *
 * <p>A message larger than the limit, or than the whole budget, is refused as
 * {@link Refusal#TOO_BIG} (close 1009); one that does not fit into what is left of the budget as
 * {@link Refusal#NO_ROOM} (close 1013). Either way its reservation is given back and everything
 * the connection delivers afterwards is discarded. Used on the channel's event loop only.
 */
final class NettyMessageAssembler {

	/** A message that arrives in one frame up to this size is passed on without a reservation. */
	static final int PASS_THROUGH_LIMIT = 64 * 1024;

	/**
	 * The most fragments a composite holds before it consolidates them (one copy): bounds the
	 * bookkeeping a peer can cause with many tiny fragments.
	 */
	static final int MAX_COMPONENTS = 1024;

	private final int maxMessageSize;

	private final ReassemblyShare share;

	private final ByteBufAllocator allocator;

	private @Nullable CompositeByteBuf parts;

	/** The bytes of the message received so far. */
	private int length;

	private boolean closed;

	/**
	 * Creates the assembler of one connection.
	 * @param maxMessageSize the largest message accepted
	 * @param budget the server's budget
	 * @param allocator allocates the composite buffers
	 */
	NettyMessageAssembler(int maxMessageSize, ReassemblyBudget budget, ByteBufAllocator allocator) {
		this.maxMessageSize = maxMessageSize;
		this.share = new ReassemblyShare(budget);
		this.allocator = allocator;
	}

	/**
	 * Adds one fragment, taking over its buffer.
	 * @param fragment the fragment's bytes; released here or with the message
	 * @param last whether this fragment ends the message
	 * @return the complete message, which the caller releases, when {@code last} is set and the
	 * message was admitted; otherwise {@code null} (see {@link #takeRefusal()})
	 */
	@Nullable ByteBuf append(ByteBuf fragment, boolean last) {
		if (this.closed || this.share.isRefused()) {
			fragment.release();
			return null;
		}
		int size = fragment.readableBytes();
		if (size > this.maxMessageSize - this.length) {
			fragment.release();
			refuse(Refusal.TOO_BIG);
			return null;
		}
		CompositeByteBuf composite = this.parts;
		if (composite == null && last) {
			if (size > PASS_THROUGH_LIMIT && !reserve(size)) {
				fragment.release();
				return null;
			}
			return fragment;
		}
		if (!reserve(2L * size)) {
			fragment.release();
			return null;
		}
		if (composite == null) {
			composite = this.allocator.compositeBuffer(MAX_COMPONENTS);
			this.parts = composite;
		}
		composite.addComponent(true, fragment);
		this.length += size;
		if (!last) {
			return null;
		}
		this.parts = null;
		this.length = 0;
		return composite;
	}

	private boolean reserve(long bytes) {
		if (this.share.reserve(bytes)) {
			return true;
		}
		releaseParts();
		return false;
	}

	/** The message {@link #append} returned has been handled: gives its bytes back to the budget. */
	void delivered() {
		this.share.releaseAll();
	}

	/**
	 * Hands over what the message {@link #append} returned holds of the budget, for whoever
	 * handles it on another thread to {@linkplain ReassemblyBudget#release(long) give back}.
	 * @return the reserved bytes, no longer counted by this assembler
	 */
	long takeReservation() {
		return this.share.take();
	}

	/**
	 * Returns why the message being received was refused, once: the caller closes the
	 * connection. Later calls return {@code null}.
	 * @return the refusal, or {@code null} when there is none to report
	 */
	@Nullable Refusal takeRefusal() {
		return this.share.takeRefusal();
	}

	/** The connection is gone: gives everything back, and discards whatever still arrives. */
	void close() {
		this.closed = true;
		releaseAll();
	}

	/**
	 * Returns the bytes this connection holds of the budget.
	 * @return the reserved bytes
	 */
	long reserved() {
		return this.share.reserved();
	}

	private void refuse(Refusal why) {
		this.share.refuse(why);
		releaseParts();
	}

	private void releaseAll() {
		this.share.releaseAll();
		releaseParts();
	}

	private void releaseParts() {
		CompositeByteBuf composite = this.parts;
		if (composite != null) {
			composite.release();
			this.parts = null;
		}
		this.length = 0;
	}

}
