package dev.cryo.core.transaction;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxChunkFrame;

/**
 * Reads a TX_CHUNK in the layout of its transaction. A Cryo v1 session decodes chunks in its
 * current layout, but a transaction keeps the layout it started with when the session switches
 * (cryo-v1.md §10.5 rule 3): a chunk of such a transaction is read again here. The two v1
 * layouts differ only in the 4-byte sequence number in front of the payload.
 */
final class ChunkLayouts {

	private static final int SEQUENCE_LENGTH = 4;

	private ChunkLayouts() {
	}

	/**
	 * Returns the chunk as its transaction's layout reads it.
	 * @param chunk the chunk as the session decoded it
	 * @param layout the layout of its transaction
	 * @return the chunk in that layout, or {@code null} when it is too short to be one
	 */
	static @Nullable TxChunkFrame inLayout(TxChunkFrame chunk, TransactionLayout layout) {
		if (chunk.layout() == layout || layout == TransactionLayout.CAMP || chunk.layout() == TransactionLayout.CAMP) {
			return chunk;
		}
		ByteBuffer payload = chunk.payload();
		if (layout == TransactionLayout.CRYO_PROTOCOL_1_4) {
			if (payload.remaining() < SEQUENCE_LENGTH) {
				return null;
			}
			long sequence = Integer.toUnsignedLong(payload.getInt(payload.position()));
			return new TxChunkFrame(chunk.sid(), chunk.txid(), payload.position(payload.position() + SEQUENCE_LENGTH),
					sequence, layout);
		}
		// A seed transaction's chunk read as 1.4: its first 4 bytes went into the sequence number.
		ByteBuffer whole = ByteBuffer.allocate(SEQUENCE_LENGTH + payload.remaining())
			.putInt((int) chunk.position())
			.put(payload)
			.flip();
		return new TxChunkFrame(chunk.sid(), chunk.txid(), whole, 0, layout);
	}

}
