package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.util.Objects;

import dev.cryo.core.SessionId;

/**
 * TX_CHUNK (0x01): the next bytes of a transaction. It has no ack field: bytes 9–12 hold the
 * txid, and chunks are never acknowledged (cryo-v1.md §4.3, §10).
 *
 * @param sid the session id
 * @param txid the transaction, chosen by the sender of the TX_START (unsigned)
 * @param payload the bytes, at most 16 MiB; each call returns an independent read-only view
 */
public record TxChunkFrame(SessionId sid, int txid, ByteBuffer payload) implements Frame {


	/**
	 * Creates a TX_CHUNK frame over the remaining bytes of {@code payload}, which are not copied.
	 * @throws CryoFrameException if the payload is longer than {@link Frame#MAX_PAYLOAD} bytes
	 */
	public TxChunkFrame {
		Objects.requireNonNull(sid, "sid");
		payload = FrameSupport.readOnlyView(payload);
		FrameSupport.checkPayloadLength(FrameType.TX_CHUNK, payload.remaining());
	}

	@Override
	public ByteBuffer payload() {
		return this.payload.duplicate();
	}

	/**
	 * Returns the number of payload bytes.
	 * @return the payload length
	 */
	public int payloadLength() {
		return this.payload.remaining();
	}

	@Override
	public FrameType type() {
		return FrameType.TX_CHUNK;
	}

	@Override
	public String toString() {
		return "TX_CHUNK[sid=" + this.sid + ", txid=" + FrameSupport.u32(this.txid) + ", payload="
				+ this.payload.remaining() + " bytes]";
	}

}
