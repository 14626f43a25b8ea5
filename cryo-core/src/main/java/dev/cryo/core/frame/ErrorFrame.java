package dev.cryo.core.frame;

import java.util.Objects;

import dev.cryo.core.LogText;
import dev.cryo.core.SessionId;

/**
 * ERROR (0xFC): a protocol-level problem described in human-readable UTF-8 text with no
 * machine semantics (cryo-v1.md §8.3).
 *
 * @param sid the session id
 * @param ack the sender's ack number for this frame (unsigned)
 * @param message the text, possibly empty, at most 16 MiB of UTF-8
 */
public record ErrorFrame(SessionId sid, int ack, String message) implements Frame {


	/**
	 * Creates an ERROR frame.
	 * @throws CryoFrameException if the message is longer than {@link Frame#MAX_PAYLOAD} bytes
	 */
	public ErrorFrame {
		Objects.requireNonNull(sid, "sid");
		Objects.requireNonNull(message, "message");
		FrameSupport.checkTextLength(FrameType.ERROR, message);
	}

	@Override
	public FrameType type() {
		return FrameType.ERROR;
	}

	@Override
	public String toString() {
		return "ERROR[sid=" + this.sid + ", ack=" + FrameSupport.u32(this.ack) + ", message=\""
				+ LogText.escape(this.message) + "\"]";
	}

}
