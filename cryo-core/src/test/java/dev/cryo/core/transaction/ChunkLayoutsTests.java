package dev.cryo.core.transaction;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.CryoV1Codec;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxChunkFrame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chunk read in the session's layout, read again in the layout of its transaction
 * (cryo-v1.md §10.5 rule 3: running transactions keep their layout when the session switches).
 */
class ChunkLayoutsTests {

	private static final SessionId SID = SessionId.of(42);

	@Test
	void seedChunkReadIn14IsReadAgainWithItsFourFirstBytes() {
		byte[] wire = seedChunk("abcdefg");
		TxChunkFrame as14 = (TxChunkFrame) CryoV1Codec.INSTANCE.decode(ByteBuffer.wrap(wire),
				TransactionLayout.CRYO_PROTOCOL_1_4);
		TxChunkFrame seed = ChunkLayouts.inLayout(as14, TransactionLayout.SEED);
		assertThat(seed.layout()).isEqualTo(TransactionLayout.SEED);
		assertThat(text(seed)).isEqualTo("abcdefg");
	}

	@Test
	void seedChunkOfExactlyFourBytesReadIn14IsReadAgainWhole() {
		TxChunkFrame as14 = (TxChunkFrame) CryoV1Codec.INSTANCE.decode(ByteBuffer.wrap(seedChunk("abcd")),
				TransactionLayout.CRYO_PROTOCOL_1_4);
		assertThat(as14.payloadLength()).isZero();
		assertThat(text(ChunkLayouts.inLayout(as14, TransactionLayout.SEED))).isEqualTo("abcd");
	}

	@Test
	void chunkOfA14TransactionReadInSeedLosesItsSequenceNumber() {
		TxChunkFrame v14 = new TxChunkFrame(SID, 3, ByteBuffer.wrap(bytes("payload")), 0x0102_0304L,
				TransactionLayout.CRYO_PROTOCOL_1_4);
		TxChunkFrame asSeed = (TxChunkFrame) CryoV1Codec.INSTANCE.decode(CryoV1Codec.INSTANCE.encode(v14),
				TransactionLayout.SEED);
		TxChunkFrame again = ChunkLayouts.inLayout(asSeed, TransactionLayout.CRYO_PROTOCOL_1_4);
		assertThat(again.position()).isEqualTo(0x0102_0304L);
		assertThat(text(again)).isEqualTo("payload");
	}

	@Test
	void chunkTooShortForA14SequenceNumberIsNone() {
		TxChunkFrame seed = new TxChunkFrame(SID, 3, ByteBuffer.wrap(bytes("abc")));
		assertThat(ChunkLayouts.inLayout(seed, TransactionLayout.CRYO_PROTOCOL_1_4)).isNull();
	}

	@Test
	void chunkAlreadyInItsTransactionsLayoutIsTheSameFrame() {
		TxChunkFrame seed = new TxChunkFrame(SID, 3, ByteBuffer.wrap(bytes("abc")));
		assertThat(ChunkLayouts.inLayout(seed, TransactionLayout.SEED)).isSameAs(seed);
		TxChunkFrame camp = new TxChunkFrame(SID, 3, ByteBuffer.wrap(bytes("abc")), 8, TransactionLayout.CAMP);
		assertThat(ChunkLayouts.inLayout(camp, TransactionLayout.CAMP)).isSameAs(camp);
	}

	private static byte[] seedChunk(String payload) {
		ByteBuffer encoded = CryoV1Codec.INSTANCE.encode(new TxChunkFrame(SID, 3, ByteBuffer.wrap(bytes(payload))));
		byte[] wire = new byte[encoded.remaining()];
		encoded.get(wire);
		return wire;
	}

	private static String text(TxChunkFrame chunk) {
		return StandardCharsets.UTF_8.decode(chunk.payload()).toString();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
