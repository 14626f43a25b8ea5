package dev.cryo.core.frame;

import java.util.Objects;

import dev.cryo.core.SessionId;

/**
 * ACK (0xFD): acknowledges the frame whose ack number it copies (cryo-v1.md §6).
 *
 * @param sid the session id
 * @param ack the ack number of the frame being acknowledged (unsigned)
 */
public record AckFrame(SessionId sid, int ack) implements Frame {

	public AckFrame {
		Objects.requireNonNull(sid, "sid");
	}

	@Override
	public FrameType type() {
		return FrameType.ACK;
	}

	@Override
	public String toString() {
		return "ACK[sid=" + this.sid + ", ack=" + FrameSupport.u32(this.ack) + "]";
	}

}
