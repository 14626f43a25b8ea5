package dev.cryo.core.dialect.camp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.CryoFrameException.Rule;
import dev.cryo.core.frame.DecoderFuzzing;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.Hex;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds random and mutated byte arrays to {@link CampCodec#decode} and asserts that nothing but
 * {@link CryoFrameException} ever escapes, that a refused TX_START or TX_FETCH names the ack and
 * txid at offsets 9 and 13 (the session answers it by them, camp.md §8 rules 7–8), and that
 * whatever is accepted re-encodes to a frame that decodes to itself.
 *
 * <p>One million inputs by default; {@code -Dcryo.test.full=true} runs twenty million. The seed
 * is printed and can be fixed with {@code -Dcryo.test.seed=...} to replay a failure.
 */
class CampCodecRobustnessTests {

	/** CAMP's type bytes (camp.md §3): 0x00–0x04 and the base frames 0xF9–0xFF. */
	private static final int[] CAMP_CODES = { 0x00, 0x01, 0x02, 0x03, 0x04, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF };

	@Test
	void onlyTheCodecsOwnExceptionEverEscapes() {
		DecoderFuzzing.Report report = new DecoderFuzzing("CAMP", CampCodec.INSTANCE::decode,
				(frame) -> CampCodec.INSTANCE.encode(frame, Frame.headerNumber(frame)), corpus(), CAMP_CODES)
			.checkingRejections(CampCodecRobustnessTests::checkRejection)
			.run();
		Set<FrameType> campTypes = EnumSet.complementOf(EnumSet.of(FrameType.TX_FLOW));
		assertThat(report.accepted().keySet()).containsExactlyInAnyOrderElementsOf(campTypes);
		assertThat(report.rejected().keySet()).containsExactlyInAnyOrder(Rule.TOO_SHORT, Rule.TOO_LONG,
				Rule.UNKNOWN_TYPE, Rule.INVALID_PING_PONG_PAYLOAD, Rule.INVALID_TRANSACTION);
	}

	private static void checkRejection(byte[] input, CryoFrameException ex) {
		assertThat(ex.frameType()).isNotEqualTo(FrameType.TX_FLOW);
		if (ex.rule() == Rule.INVALID_TRANSACTION) {
			assertThat(ex.frameType()).isIn(FrameType.TX_START, FrameType.TX_PULL);
			assertThat(ex.identifiesTransaction()).isTrue();
			assertThat(ex.ack()).isEqualTo(ByteBuffer.wrap(input).getInt(9));
			assertThat(ex.txid()).isEqualTo(ByteBuffer.wrap(input).getInt(13));
		}
		else {
			assertThat(ex.identifiesTransaction()).isFalse();
		}
		if (ex.rule() == Rule.TOO_SHORT && ex.frameType() != null) {
			assertThat(input.length).isEqualTo(ex.offset()).isLessThan(CampCodec.INSTANCE.fixedLength(ex.frameType()));
		}
	}

	/** Every message of the vector file: valid, invalid (the oversized one by its prefix) and the client captures. */
	private static List<byte[]> corpus() {
		List<byte[]> corpus = new ArrayList<>();
		List<JsonNode> entries = new ArrayList<>(CampVectors.vectors());
		entries.addAll(CampVectors.invalid());
		entries.addAll(CampVectors.clientCaptures());
		for (JsonNode entry : entries) {
			corpus.add(entry.has("hex") ? CampVectors.message(entry)
					: Hex.bytes(entry.path("hexPrefix").stringValue()));
		}
		return corpus;
	}

}
