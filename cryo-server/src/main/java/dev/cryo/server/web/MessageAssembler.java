package dev.cryo.server.web;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * Joins the parts of one WebSocket binary message. The container delivers messages in parts of
 * its (small) buffer size, so no connection needs a receive buffer as large as the largest legal
 * message; only a connection that is receiving a large message holds one, and only while it
 * does. A message that fits in one part is passed through without copying.
 */
final class MessageAssembler {

	/** Buffers up to this size are kept for the next multi-part message; larger ones are freed. */
	private static final int RETAINED_CAPACITY = 64 * 1024;

	private final int maxMessageLength;

	private byte @Nullable [] buffer;

	private int length;

	private boolean overflowed;

	MessageAssembler(int maxMessageLength) {
		this.maxMessageLength = maxMessageLength;
	}

	/**
	 * Adds one part.
	 * @param part the bytes of the part
	 * @param last whether this part ends the message
	 * @return the complete message when {@code last} is set and the message fits, otherwise {@code null}
	 */
	@Nullable ByteBuffer append(ByteBuffer part, boolean last) {
		if (this.overflowed) {
			return null;
		}
		if (last && this.length == 0) {
			if (part.remaining() > this.maxMessageLength) {
				this.overflowed = true;
				return null;
			}
			return part;
		}
		int needed = this.length + part.remaining();
		if (needed > this.maxMessageLength || needed < 0) {
			this.overflowed = true;
			this.buffer = null;
			this.length = 0;
			return null;
		}
		ensureCapacity(needed);
		part.get(this.buffer, this.length, part.remaining());
		this.length = needed;
		if (!last) {
			return null;
		}
		ByteBuffer message = ByteBuffer.wrap(this.buffer, 0, this.length);
		this.length = 0;
		if (this.buffer.length > RETAINED_CAPACITY) {
			// The message view stays valid: only this assembler lets go of the array.
			this.buffer = null;
		}
		return message;
	}

	/**
	 * Returns whether the message being received exceeded the limit; the connection must be
	 * closed with 1009.
	 * @return whether the limit was exceeded
	 */
	boolean overflowed() {
		return this.overflowed;
	}

	private void ensureCapacity(int needed) {
		byte[] current = this.buffer;
		if (current != null && current.length >= needed) {
			return;
		}
		int capacity = (current != null) ? current.length : 8 * 1024;
		while (capacity < needed) {
			capacity = (int) Math.min(this.maxMessageLength, capacity * 2L);
		}
		byte[] grown = new byte[capacity];
		if (current != null && this.length > 0) {
			System.arraycopy(current, 0, grown, 0, this.length);
		}
		this.buffer = grown;
	}

}
