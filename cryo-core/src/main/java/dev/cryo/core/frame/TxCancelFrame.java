package dev.cryo.core.frame;

import java.util.Objects;

import dev.cryo.core.SessionId;

/**
 * TX_CANCEL (0x05): the receiver of a transaction asks its sender to stop it. A compatibility
 * extension of the reference server that our server accepts but never sends (cryo-v1.md §4.3).
 *
 * @param sid the session id
 * @param ack the sender's ack number for this frame (unsigned)
 * @param txid a transaction started by the receiver of this frame (unsigned)
 */
public record TxCancelFrame(SessionId sid, int ack, int txid) implements Frame {

	public TxCancelFrame {
		Objects.requireNonNull(sid, "sid");
	}

	@Override
	public FrameType type() {
		return FrameType.TX_CANCEL;
	}

	@Override
	public String toString() {
		return "TX_CANCEL[sid=" + this.sid + ", ack=" + FrameSupport.u32(this.ack) + ", txid="
				+ FrameSupport.u32(this.txid) + "]";
	}

}
