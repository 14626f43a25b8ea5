package dev.cryo.core.frame;

import java.util.Objects;

import dev.cryo.core.SessionId;

/**
 * TX_PULL (0x04 in Cryo v1): requests the half-open range {@code [start, end)} of a pull-mode
 * transaction started by the receiver of this frame. In the seed layout it is the 33-byte
 * project frame of cryo-v1.md §4.3 with byte offsets; a frame with {@code start > end} is
 * well-formed and answered with an ERROR frame (§10.4, sender rule 6). CAMP's TX_FETCH (0x03,
 * camp.md §4) is the same frame in the {@link TransactionLayout#CAMP CAMP} layout; the 25-byte
 * TX_FETCH of cryo-protocol 1.4 (cryo-v1.md §10.5) counts in chunk indexes instead of bytes.
 *
 * @param sid the session id
 * @param ack the sender's ack number for this frame (unsigned)
 * @param txid a transaction started by the receiver of this frame (unsigned)
 * @param start the first requested byte, inclusive (unsigned)
 * @param end the end of the range, exclusive (unsigned)
 * @param layout the layout: bytes in {@code SEED} and {@code CAMP}, chunk indexes in
 * {@code CRYO_PROTOCOL_1_4}
 */
public record TxPullFrame(SessionId sid, int ack, int txid, long start, long end,
		TransactionLayout layout) implements Frame {

	public TxPullFrame {
		Objects.requireNonNull(sid, "sid");
		Objects.requireNonNull(layout, "layout");
	}

	/**
	 * Creates a TX_PULL in the seed layout.
	 * @param sid the session id
	 * @param ack the sender's ack number for this frame (unsigned)
	 * @param txid a transaction started by the receiver of this frame (unsigned)
	 * @param start the first requested byte, inclusive (unsigned)
	 * @param end the end of the range, exclusive (unsigned)
	 */
	public TxPullFrame(SessionId sid, int ack, int txid, long start, long end) {
		this(sid, ack, txid, start, end, TransactionLayout.SEED);
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
		return ((this.layout == TransactionLayout.SEED) ? "TX_PULL" : "TX_FETCH(" + this.layout + ")") + "[sid=" + this.sid + ", ack=" + FrameSupport.u32(this.ack) + ", txid="
				+ FrameSupport.u32(this.txid) + ", range=[" + FrameSupport.u64(this.start) + ", " + FrameSupport.u64(this.end)
				+ ")]";
	}

}
