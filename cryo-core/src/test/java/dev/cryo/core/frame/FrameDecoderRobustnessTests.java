package dev.cryo.core.frame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.cryo.core.dialect.v1.CryoV1Codec;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.frame.CryoFrameException.Rule;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds random and mutated byte arrays to the v1 decoder, in the seed layout
 * ({@link FrameCodec#decode(byte[])}) and in the cryo-protocol 1.4 layout, and asserts that
 * nothing but {@link CryoFrameException} ever escapes, and that whatever is accepted re-encodes
 * to a frame that decodes to itself.
 *
 * <p>One million inputs per layout by default; {@code -Dcryo.test.full=true} runs twenty million.
 * The seed is printed and can be fixed with {@code -Dcryo.test.seed=...} to replay a failure
 * ({@link DecoderFuzzing}).
 */
class FrameDecoderRobustnessTests {

	private static final int[] ASSIGNED_CODES = Arrays.stream(FrameType.values()).mapToInt(FrameType::code).toArray();

	@Test
	void onlyTheCodecsOwnExceptionEverEscapes() {
		DecoderFuzzing.Report report = new DecoderFuzzing("Cryo v1 (seed layout)", FrameCodec::decode,
				FrameCodec::encode, corpus(), ASSIGNED_CODES)
			.run();
		// The generator reaches every frame type and every malformed-frame rule, so both paths were exercised.
		assertThat(report.accepted().keySet()).containsExactlyInAnyOrder(FrameType.values());
		assertThat(report.rejected().keySet()).containsExactlyInAnyOrder(Rule.TOO_SHORT, Rule.TOO_LONG,
				Rule.UNKNOWN_TYPE, Rule.INVALID_PING_PONG_PAYLOAD, Rule.INVALID_FLOW_BEHAVIOUR);
	}

	@Test
	void onlyTheCodecsOwnExceptionEverEscapesInTheCryoProtocol14Layout() {
		DecoderFuzzing.Report report = new DecoderFuzzing("Cryo v1 (cryo-protocol 1.4 layout)",
				(message) -> CryoV1Codec.INSTANCE.decode(message, TransactionLayout.CRYO_PROTOCOL_1_4),
				CryoV1Codec.INSTANCE::encode, corpus(), ASSIGNED_CODES)
			.checkingRejections(FrameDecoderRobustnessTests::checkCryoProtocol14Rejection)
			.run();
		assertThat(report.accepted().keySet()).containsExactlyInAnyOrder(FrameType.values());
		assertThat(report.rejected().keySet()).containsExactlyInAnyOrder(Rule.TOO_SHORT, Rule.TOO_LONG,
				Rule.UNKNOWN_TYPE, Rule.INVALID_PING_PONG_PAYLOAD, Rule.INVALID_FLOW_BEHAVIOUR);
	}

	/** In the 1.4 layout a transaction frame is short below 21, 17 and 25 bytes, not the seed minimums. */
	private static void checkCryoProtocol14Rejection(byte[] input, CryoFrameException ex) {
		if (ex.rule() == Rule.TOO_SHORT && ex.frameType() != null) {
			assertThat(input.length).isEqualTo(ex.offset())
				.isLessThan(CryoV1Codec.INSTANCE.fixedLength(ex.frameType(), TransactionLayout.CRYO_PROTOCOL_1_4));
		}
	}

	/**
	 * Every message of the vector file: valid, invalid, lenient, the cryo-protocol 1.4 variants,
	 * the transcript and the client captures.
	 */
	private static List<byte[]> corpus() {
		List<JsonNode> entries = new ArrayList<>();
		entries.addAll(CryoV1Vectors.vectors());
		entries.addAll(CryoV1Vectors.invalid());
		entries.addAll(CryoV1Vectors.lenient());
		entries.addAll(CryoV1Vectors.referenceServerVariants());
		entries.addAll(CryoV1Vectors.clientCaptures());
		JsonNode transcript = CryoV1Vectors.referenceTranscript().path("frames");
		for (int i = 0; i < transcript.size(); i++) {
			entries.add(transcript.get(i));
		}
		return DecoderFuzzing.corpusOf(entries.stream().map((entry) -> entry.path("hex").stringValue()).toList());
	}

	@Test
	void fuzzingIsReproducibleFromItsSeed() {
		DecoderFuzzing fuzzing = new DecoderFuzzing("Cryo v1 (replay)", FrameCodec::decode, FrameCodec::encode,
				corpus(), ASSIGNED_CODES);
		DecoderFuzzing.Report first = fuzzing.run(20_000, 42);
		DecoderFuzzing.Report second = fuzzing.run(20_000, 42);
		assertThat(second.accepted()).isEqualTo(first.accepted());
		assertThat(second.rejected()).isEqualTo(first.rejected());
	}

}
