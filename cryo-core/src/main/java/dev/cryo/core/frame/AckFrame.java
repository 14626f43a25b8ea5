package dev.cryo.core.frame;

import java.nio.ByteBuffer;

/**
 * ACK (0xFD): acknowledges the frame whose ack number it copies (cryo-v1.md §6).
 *
 * @param sid the session id (unsigned)
 * @param ack the ack number of the frame being acknowledged (unsigned)
 */
public record AckFrame(long sid, int ack) implements Frame {

	@Override
	public FrameType type() {
		return FrameType.ACK;
	}

	@Override
	public int encodedLength() {
		return 13;
	}

	@Override
	public void encodeTo(ByteBuffer target) {
		WireFormat.putHeader(target, this.sid, FrameType.ACK, this.ack);
	}

	@Override
	public String toString() {
		return "ACK[sid=" + WireFormat.u64(this.sid) + ", ack=" + WireFormat.u32(this.ack) + "]";
	}

}
