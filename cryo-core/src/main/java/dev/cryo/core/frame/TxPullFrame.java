package dev.cryo.core.frame;

import java.util.Objects;

import dev.cryo.core.SessionId;

/**
 * TX_PULL (0x04): requests the half-open byte range {@code [start, end)} of a pull-mode
 * transaction started by the receiver of this frame (the 33-byte project layout of
 * cryo-v1.md §4.3). A frame with {@code start > end} is well-formed; the session answers it
 * with an ERROR frame (§10.4, sender rule 6).
 *
 * @param sid the session id
 * @param ack the sender's ack number for this frame (unsigned)
 * @param txid a transaction started by the receiver of this frame (unsigned)
 * @param start the first requested byte, inclusive (unsigned)
 * @param end the end of the range, exclusive (unsigned)
 */
public record TxPullFrame(SessionId sid, int ack, int txid, long start, long end) implements Frame {

	public TxPullFrame {
		Objects.requireNonNull(sid, "sid");
	}

	/**
	 * Returns whether {@code start <= end}, comparing both as unsigned values.
	 * @return whether the range is well ordered
	 */
	public boolean isOrderedRange() {
		return Long.compareUnsigned(this.start, this.end) <= 0;
	}

	@Override
	public FrameType type() {
		return FrameType.TX_PULL;
	}

	@Override
	public String toString() {
		return "TX_PULL[sid=" + this.sid + ", ack=" + FrameSupport.u32(this.ack) + ", txid="
				+ FrameSupport.u32(this.txid) + ", range=[" + FrameSupport.u64(this.start) + ", " + FrameSupport.u64(this.end)
				+ ")]";
	}

}
