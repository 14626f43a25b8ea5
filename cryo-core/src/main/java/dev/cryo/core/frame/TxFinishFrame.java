package dev.cryo.core.frame;

import java.nio.ByteBuffer;

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
	public int encodedLength() {
		return 17;
	}

	@Override
	public void encodeTo(ByteBuffer target) {
		WireFormat.putHeader(target, this.sid, FrameType.TX_FINISH, this.ack);
		WireFormat.putU32(target, this.txid);
	}

	@Override
	public String toString() {
		return "TX_FINISH[sid=" + WireFormat.u64(this.sid) + ", ack=" + WireFormat.u32(this.ack) + ", txid="
				+ WireFormat.u32(this.txid) + "]";
	}

}
