package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * BYE (0xFE): the sender is leaving. The reason is the optional trailing text every reference
 * encoder writes; a 13-byte BYE decodes with an empty reason (cryo-v1.md §4.3, D-C4).
 *
 * @param sid the session id (unsigned)
 * @param ack the sender's ack number for this frame (unsigned)
 * @param reason why the sender leaves, possibly empty, at most 16 MiB of UTF-8
 */
public record ByeFrame(long sid, int ack, String reason) implements Frame {

	private static final int REASON_OFFSET = 13;

	/**
	 * Creates a BYE frame.
	 * @throws CryoFrameException if the reason is longer than {@link FrameCodec#MAX_PAYLOAD} bytes
	 */
	public ByeFrame {
		Objects.requireNonNull(reason, "reason");
		WireFormat.checkTextLength(FrameType.BYE, REASON_OFFSET, reason);
	}

	@Override
	public FrameType type() {
		return FrameType.BYE;
	}

	@Override
	public int encodedLength() {
		return REASON_OFFSET + WireFormat.utf8Length(this.reason);
	}

	@Override
	public void encodeTo(ByteBuffer target) {
		WireFormat.putHeader(target, this.sid, FrameType.BYE, this.ack);
		WireFormat.putUtf8(target, this.reason);
	}

	@Override
	public String toString() {
		return "BYE[sid=" + WireFormat.u64(this.sid) + ", ack=" + WireFormat.u32(this.ack) + ", reason=\"" + this.reason
				+ "\"]";
	}

}
