package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * ERROR (0xFC): a protocol-level problem described in human-readable UTF-8 text with no
 * machine semantics (cryo-v1.md §8.3).
 *
 * @param sid the session id (unsigned)
 * @param ack the sender's ack number for this frame (unsigned)
 * @param message the text, possibly empty, at most 16 MiB of UTF-8
 */
public record ErrorFrame(long sid, int ack, String message) implements Frame {

	private static final int MESSAGE_OFFSET = 13;

	/**
	 * Creates an ERROR frame.
	 * @throws CryoFrameException if the message is longer than {@link FrameCodec#MAX_PAYLOAD} bytes
	 */
	public ErrorFrame {
		Objects.requireNonNull(message, "message");
		WireFormat.checkTextLength(FrameType.ERROR, MESSAGE_OFFSET, message);
	}

	@Override
	public FrameType type() {
		return FrameType.ERROR;
	}

	@Override
	public int encodedLength() {
		return MESSAGE_OFFSET + WireFormat.utf8Length(this.message);
	}

	@Override
	public void encodeTo(ByteBuffer target) {
		WireFormat.putHeader(target, this.sid, FrameType.ERROR, this.ack);
		WireFormat.putUtf8(target, this.message);
	}

	@Override
	public String toString() {
		return "ERROR[sid=" + WireFormat.u64(this.sid) + ", ack=" + WireFormat.u32(this.ack) + ", message=\""
				+ this.message + "\"]";
	}

}
