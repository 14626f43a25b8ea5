package dev.cryo.core.frame;

/**
 * TX_FINISH (0x02): completes a transaction.
 *
 * @param sid the session id (unsigned)
 * @param ack the sender's ack number for this frame (unsigned)
 * @param txid the transaction being completed (unsigned)
 */
public record TxFinishFrame(long sid, int ack, int txid) implements Frame {

	@Override
	public FrameType type() {
		return FrameType.TX_FINISH;
	}

	@Override
	public String toString() {
		return "TX_FINISH[sid=" + FrameSupport.u64(this.sid) + ", ack=" + FrameSupport.u32(this.ack) + ", txid="
				+ FrameSupport.u32(this.txid) + "]";
	}

}
