package dev.cryo.server.event;

import java.nio.ByteBuffer;

import dev.cryo.server.CryoSession;

/**
 * A binary message arrived (and was ACKed). The event owns its bytes, which nobody changes; they
 * may be kept. A server hands it the message's own bytes without copying them again.
 */
public class CryoBinaryMessageEvent extends CryoSessionEvent {

	private static final long serialVersionUID = 1L;

	/** Read-only, from position 0 to its limit; like the session, not serialized. */
	private final transient ByteBuffer payload;

	/**
	 * Creates the event over an array that it takes over: it must not be changed afterwards.
	 * @param session the session that received the message
	 * @param payload the message bytes
	 */
	public CryoBinaryMessageEvent(CryoSession session, byte[] payload) {
		this(session, ByteBuffer.wrap(payload));
	}

	/**
	 * Creates the event over the remaining bytes of a buffer, which it keeps without a copy: the
	 * bytes must not be changed afterwards.
	 * @param session the session that received the message
	 * @param payload the message bytes, from its position to its limit
	 */
	public CryoBinaryMessageEvent(CryoSession session, ByteBuffer payload) {
		super(session);
		this.payload = payload.slice().asReadOnlyBuffer();
	}

	/**
	 * Returns a read-only view of the message bytes, with its own position.
	 * @return the payload
	 */
	public ByteBuffer payload() {
		return this.payload.duplicate();
	}

	/**
	 * Returns a copy of the message bytes.
	 * @return the payload as an array
	 */
	public byte[] bytes() {
		byte[] copy = new byte[this.payload.remaining()];
		this.payload.get(0, copy);
		return copy;
	}

	/**
	 * Returns the number of bytes in the message.
	 * @return the payload length
	 */
	public int size() {
		return this.payload.remaining();
	}

}
