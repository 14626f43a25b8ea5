package dev.cryo.core.frame;

import java.util.Objects;

import dev.cryo.core.LogText;
import dev.cryo.core.SessionId;

/**
 * BYE (0xFE): the sender is leaving. The reason is the optional trailing text every reference
 * encoder writes; a 13-byte BYE decodes with an empty reason (cryo-v1.md §4.3, D-C4).
 *
 * @param sid the session id
 * @param ack the sender's ack number for this frame (unsigned)
 * @param reason why the sender leaves, possibly empty, at most 16 MiB of UTF-8
 */
public record ByeFrame(SessionId sid, int ack, String reason) implements Frame {


	/**
	 * Creates a BYE frame.
	 * @throws CryoFrameException if the reason is longer than {@link Frame#MAX_PAYLOAD} bytes
	 */
	public ByeFrame {
		Objects.requireNonNull(sid, "sid");
		Objects.requireNonNull(reason, "reason");
		FrameSupport.checkTextLength(FrameType.BYE, reason);
	}

	@Override
	public FrameType type() {
		return FrameType.BYE;
	}

	@Override
	public String toString() {
		return "BYE[sid=" + this.sid + ", ack=" + FrameSupport.u32(this.ack) + ", reason=\"" + LogText.escape(this.reason)
				+ "\"]";
	}

}
