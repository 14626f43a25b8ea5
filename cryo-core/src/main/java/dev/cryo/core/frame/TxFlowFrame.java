package dev.cryo.core.frame;

import java.util.Objects;

import dev.cryo.core.SessionId;

/**
 * TX_FLOW (0x03): the sender asks the peer to start its future transactions in push or pull
 * mode (cryo-v1.md §10.3). The behaviour byte is at offset 13, per the seed (D-C2).
 *
 * @param sid the session id
 * @param ack the sender's ack number for this frame (unsigned)
 * @param behaviour the requested mode
 */
public record TxFlowFrame(SessionId sid, int ack, FlowBehaviour behaviour) implements Frame {

	public TxFlowFrame {
		Objects.requireNonNull(sid, "sid");
		Objects.requireNonNull(behaviour, "behaviour");
	}

	@Override
	public FrameType type() {
		return FrameType.TX_FLOW;
	}

	@Override
	public String toString() {
		return "TX_FLOW[sid=" + this.sid + ", ack=" + FrameSupport.u32(this.ack) + ", behaviour="
				+ this.behaviour + "]";
	}

}
