package dev.cryo.server.event;

import java.nio.ByteBuffer;

import dev.cryo.server.CryoSession;

/** A binary message arrived (and was ACKed). The event owns its bytes; they may be kept. */
public class CryoBinaryMessageEvent extends CryoSessionEvent {

	private static final long serialVersionUID = 1L;

	private final byte[] payload;

	public CryoBinaryMessageEvent(CryoSession session, byte[] payload) {
		super(session);
		this.payload = payload;
	}

	/**
	 * Returns a read-only view of the message bytes, with its own position.
	 * @return the payload
	 */
	public ByteBuffer payload() {
		return ByteBuffer.wrap(this.payload).asReadOnlyBuffer();
	}

	/**
	 * Returns a copy of the message bytes.
	 * @return the payload as an array
	 */
	public byte[] bytes() {
		return this.payload.clone();
	}

	/**
	 * Returns the number of bytes in the message.
	 * @return the payload length
	 */
	public int size() {
		return this.payload.length;
	}

}
