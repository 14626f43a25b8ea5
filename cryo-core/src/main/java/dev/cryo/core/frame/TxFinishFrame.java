package dev.cryo.core.frame;

import java.util.Objects;

import dev.cryo.core.SessionId;

/**
 * TX_FINISH (0x02): completes a transaction.
 *
 * @param sid the session id
 * @param ack the sender's ack number for this frame (unsigned)
 * @param txid the transaction being completed (unsigned)
 */
public record TxFinishFrame(SessionId sid, int ack, int txid) implements Frame {

	public TxFinishFrame {
		Objects.requireNonNull(sid, "sid");
	}

	@Override
	public FrameType type() {
		return FrameType.TX_FINISH;
	}

	@Override
	public String toString() {
		return "TX_FINISH[sid=" + this.sid + ", ack=" + FrameSupport.u32(this.ack) + ", txid="
				+ FrameSupport.u32(this.txid) + "]";
	}

}
