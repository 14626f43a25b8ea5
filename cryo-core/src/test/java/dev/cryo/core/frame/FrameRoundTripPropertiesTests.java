package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.CryoV1Codec;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.frame.CryoFrameException.Rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.quicktheories.QuickTheory.qt;

/**
 * Property-based tests over random frames of every type: encoding and decoding are inverse, the
 * header sits where §4.1 puts it, and truncation or padding is handled as §4.5 says.
 */
class FrameRoundTripPropertiesTests {

	/** Examples per property; QuickTheories shrinks any counterexample it finds. */
	static final int EXAMPLES = 2_000;

	private static QuickTheory theory() {
		return qt().withExamples(EXAMPLES).withShrinkCycles(200);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(FrameType.class)
	void decodeInvertsEncode(FrameType type) {
		theory().forAll(FrameGenerators.frames(type)).checkAssert((frame) -> {
			ByteBuffer encoded = FrameCodec.encode(frame);
			assertThat(encoded.remaining()).isEqualTo(FrameCodec.encodedLength(frame));
			assertThat(encoded.getLong(0)).isEqualTo(frame.sid().asLong());
			assertThat(encoded.get(8)).isEqualTo((byte) type.code());
			Frame decoded = FrameCodec.decode(encoded);
			assertThat(decoded).isEqualTo(frame).hasSameHashCodeAs(frame);
			assertThat(encoded.position()).isZero();
			assertThat(FrameCodec.encode(decoded)).isEqualTo(encoded);
		});
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = FrameType.class, names = { "TX_START", "TX_CHUNK", "TX_PULL" })
	void decodeInvertsEncodeInTheCryoProtocol14Layout(FrameType type) {
		TransactionLayout v14 = TransactionLayout.CRYO_PROTOCOL_1_4;
		theory().forAll(FrameGenerators.cryoProtocol14Frames(type)).checkAssert((frame) -> {
			ByteBuffer encoded = CryoV1Codec.INSTANCE.encode(frame);
			assertThat(encoded.getLong(0)).isEqualTo(frame.sid().asLong());
			assertThat(encoded.get(8)).isEqualTo((byte) type.code());
			int variable = encoded.remaining() - CryoV1Codec.INSTANCE.fixedLength(type, v14);
			assertThat(variable).isEqualTo((frame instanceof TxStartFrame start)
					? start.name().getBytes(StandardCharsets.UTF_8).length
					: (frame instanceof TxChunkFrame chunk) ? chunk.payloadLength() : 0);
			Frame decoded = CryoV1Codec.INSTANCE.decode(encoded, v14);
			assertThat(decoded).isEqualTo(frame).hasSameHashCodeAs(frame);
			assertThat(CryoV1Codec.INSTANCE.encode(decoded)).isEqualTo(encoded);
			if (frame instanceof TxStartFrame start && !start.hasSize()) {
				// A seed session recognises it by its size −1 (§10.5 rule 3).
				assertThat(CryoV1Codec.INSTANCE.decode(encoded, TransactionLayout.SEED)).isEqualTo(frame);
			}
		});
	}

	@Test
	void everyPrefixShorterThanTheCryoProtocol14MinimumIsRejectedAsTooShort() {
		TransactionLayout v14 = TransactionLayout.CRYO_PROTOCOL_1_4;
		Gen<Frame> frames = Generate.pick(List.of(FrameType.TX_START, FrameType.TX_CHUNK, FrameType.TX_PULL))
			.flatMap(FrameGenerators::cryoProtocol14Frames);
		theory().forAll(frames, Generate.range(9, 24)).checkAssert((frame, cut) -> {
			byte[] encoded = CryoV1Codec.INSTANCE.encode(frame).array();
			int length = Math.min(cut, CryoV1Codec.INSTANCE.fixedLength(frame.type(), v14) - 1);
			byte[] prefix = Arrays.copyOf(encoded, length);
			assertThatExceptionOfType(CryoFrameException.class)
				.isThrownBy(() -> CryoV1Codec.INSTANCE.decode(ByteBuffer.wrap(prefix), v14))
				.satisfies((ex) -> {
					assertThat(ex.rule()).isEqualTo(Rule.TOO_SHORT);
					assertThat(ex.offset()).isEqualTo(length);
					assertThat(ex.frameType()).isEqualTo(frame.type());
				});
		});
	}

	@Test
	void textSurvivesTheRoundTripUnchanged() {
		theory().forAll(FrameGenerators.texts()).checkAssert((text) -> {
			Utf8DataFrame frame = (Utf8DataFrame) FrameCodec.decode(FrameCodec.encode(Utf8DataFrame.of(SessionId.of(7), 7, text)));
			assertThat(frame.text()).isEqualTo(text);
			assertThat(((ByeFrame) FrameCodec.decode(FrameCodec.encode(new ByeFrame(SessionId.of(7), 7, text)))).reason())
				.isEqualTo(text);
			assertThat(((TxStartFrame) FrameCodec.decode(FrameCodec.encode(new TxStartFrame(SessionId.of(7), 7, 7, text)))).name())
				.isEqualTo(text);
		});
	}

	@Test
	void everyPrefixShorterThanTheMinimumIsRejectedAsTooShort() {
		theory().forAll(FrameGenerators.anyFrame(), Generate.range(0, 32)).checkAssert((frame, cut) -> {
			byte[] encoded = FrameCodec.encode(frame).array();
			int length = Math.min(cut, frame.type().minLength() - 1);
			byte[] prefix = Arrays.copyOf(encoded, length);
			assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> FrameCodec.decode(prefix))
				.satisfies((ex) -> {
					assertThat(ex.rule()).isEqualTo(Rule.TOO_SHORT);
					assertThat(ex.offset()).isEqualTo(length);
					assertThat(ex.frameType()).isEqualTo((length > 8) ? frame.type() : null);
				});
		});
	}

	@Test
	void trailingBytesAfterFixedLengthFramesAreIgnoredExceptAfterPingPong() {
		theory().forAll(FrameGenerators.framesOf(FrameType::isFixedLength),
				Generate.byteArrays(Generate.range(1, 16), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0)))
			.checkAssert((frame, extra) -> {
				byte[] encoded = FrameCodec.encode(frame).array();
				byte[] padded = CryoV1Vectors.concat(encoded, extra);
				if (frame.type() == FrameType.PING_PONG) {
					assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> FrameCodec.decode(padded))
						.satisfies((ex) -> assertThat(ex.rule()).isEqualTo(Rule.TOO_LONG));
				}
				else {
					assertThat(FrameCodec.decode(padded)).isEqualTo(frame);
				}
			});
	}

}
