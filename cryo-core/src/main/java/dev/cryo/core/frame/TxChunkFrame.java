package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.util.Objects;

import dev.cryo.core.SessionId;

/**
 * TX_CHUNK (0x01): the next bytes of a transaction. It has no ack field: bytes 9–12 hold the
 * txid, and chunks are never acknowledged (cryo-v1.md §4.3, §10). Besides the payload the
 * cryo-protocol 1.4 layout carries the chunk's sequence number and CAMP its byte offset
 * ({@link #position()}); the seed layout carries neither.
 *
 * @param sid the session id
 * @param txid the transaction, chosen by the sender of the TX_START (unsigned)
 * @param payload the bytes, at most 16 MiB; each call returns an independent read-only view
 * @param position where the chunk sits in its transaction in the unit of its layout: the
 * unsigned 32-bit sequence number in cryo-protocol 1.4, the unsigned 64-bit byte offset of the
 * first payload byte in CAMP, 0 in the seed layout
 * @param layout the layout the frame was decoded from or is encoded in
 */
public record TxChunkFrame(SessionId sid, int txid, ByteBuffer payload, long position,
		TransactionLayout layout) implements Frame {


	/**
	 * Creates a TX_CHUNK frame over the remaining bytes of {@code payload}, which are not copied.
	 * @throws CryoFrameException if the payload is longer than {@link Frame#MAX_PAYLOAD} bytes
	 */
	public TxChunkFrame {
		Objects.requireNonNull(sid, "sid");
		Objects.requireNonNull(layout, "layout");
		payload = FrameSupport.readOnlyView(payload);
		FrameSupport.checkPayloadLength(FrameType.TX_CHUNK, payload.remaining());
	}

	/**
	 * Creates a TX_CHUNK in the seed layout over the remaining bytes of {@code payload}, which
	 * are not copied.
	 * @param sid the session id
	 * @param txid the transaction (unsigned)
	 * @param payload the bytes, at most 16 MiB
	 */
	public TxChunkFrame(SessionId sid, int txid, ByteBuffer payload) {
		this(sid, txid, payload, 0, TransactionLayout.SEED);
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
		return "TX_CHUNK[sid=" + this.sid + ", txid=" + FrameSupport.u32(this.txid)
				+ ((this.layout != TransactionLayout.SEED) ? ", " + this.layout + " position=" + FrameSupport.u64(this.position) : "")
				+ ", payload=" + this.payload.remaining() + " bytes]";
	}

}
