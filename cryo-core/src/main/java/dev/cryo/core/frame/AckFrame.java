package dev.cryo.core.frame;

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
	public String toString() {
		return "ACK[sid=" + FrameSupport.u64(this.sid) + ", ack=" + FrameSupport.u32(this.ack) + "]";
	}

}
