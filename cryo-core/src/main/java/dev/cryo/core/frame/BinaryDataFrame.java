package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.util.Objects;

import dev.cryo.core.SessionId;

/**
 * BINARYDATA (0xF9): an application binary message.
 *
 * @param sid the session id
 * @param ack the sender's ack number for this frame (unsigned)
 * @param payload the bytes, at most 16 MiB; each call returns an independent read-only view
 */
public record BinaryDataFrame(SessionId sid, int ack, ByteBuffer payload) implements Frame {


	/**
	 * Creates a BINARYDATA frame over the remaining bytes of {@code payload}, which are not copied.
	 * @throws CryoFrameException if the payload is longer than {@link Frame#MAX_PAYLOAD} bytes
	 */
	public BinaryDataFrame {
		Objects.requireNonNull(sid, "sid");
		payload = FrameSupport.readOnlyView(payload);
		FrameSupport.checkPayloadLength(FrameType.BINARYDATA, payload.remaining());
	}

	@Override
	public ByteBuffer payload() {
		return this.payload.duplicate();
	}

	/**
	 * Returns the number of payload bytes.
	 * @return the payload length
	 */
	public int payloadLength() {
		return this.payload.remaining();
	}

	@Override
	public FrameType type() {
		return FrameType.BINARYDATA;
	}

	@Override
	public String toString() {
		return "BINARYDATA[sid=" + this.sid + ", ack=" + FrameSupport.u32(this.ack) + ", payload="
				+ this.payload.remaining() + " bytes]";
	}

}
