package dev.cryo.core.dialect.legacy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.CryoFrameException.Rule;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameGenerators;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.Utf8DataFrame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.quicktheories.QuickTheory.qt;

/**
 * Property-based tests over random legacy frames of every type and random handshake frames:
 * encoding and decoding are inverse, the sid is the UUID's 16 bytes and the type byte the
 * generation's, and truncation or padding is handled as legacy-v0.md §3 and §10.5 say.
 */
class LegacyRoundTripPropertiesTests {

	private static final int EXAMPLES = 2_000;

	private static final LegacyCodec CODEC = LegacyCodec.INSTANCE;

	private static final FrameType[] LEGACY_TYPES = { FrameType.ACK, FrameType.ERROR, FrameType.PING_PONG,
			FrameType.UTF8DATA, FrameType.BINARYDATA };

	private static QuickTheory theory() {
		return qt().withExamples(EXAMPLES).withShrinkCycles(200);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = FrameType.class, names = { "ACK", "ERROR", "PING_PONG", "UTF8DATA", "BINARYDATA" })
	void decodeInvertsEncode(FrameType type) {
		theory().forAll(frames(type)).checkAssert((frame) -> {
			ByteBuffer encoded = CODEC.encode(frame, Frame.headerNumber(frame));
			UUID uuid = frame.sid().asUuid();
			assertThat(encoded.getLong(0)).isEqualTo(uuid.getMostSignificantBits());
			assertThat(encoded.getLong(8)).isEqualTo(uuid.getLeastSignificantBits());
			assertThat(encoded.getInt(16)).isEqualTo(Frame.headerNumber(frame));
			assertThat(encoded.get(20) & 0xFF).isEqualTo(LegacyCodecTests.code(type));
			assertThat(CODEC.peekType(encoded)).isEqualTo(type);
			assertThat(LegacyCodec.handshakeType(encoded)).isNull();
			Frame decoded = CODEC.decode(encoded);
			assertThat(decoded).isEqualTo(frame).hasSameHashCodeAs(frame);
			assertThat(encoded.position()).isZero();
			assertThat(CODEC.encode(decoded, Frame.headerNumber(decoded))).isEqualTo(encoded);
		});
	}

	@Test
	void everyPrefixShorterThanTheMinimumIsRejectedAsTooShort() {
		theory().forAll(anyFrame(), Generate.range(0, 30)).checkAssert((frame, cut) -> {
			byte[] encoded = CODEC.encode(frame, Frame.headerNumber(frame)).array();
			int length = Math.min(cut, CODEC.fixedLength(frame.type()) - 1);
			byte[] prefix = Arrays.copyOf(encoded, length);
			assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> CODEC.decode(ByteBuffer.wrap(prefix)))
				.satisfies((ex) -> {
					assertThat(ex.rule()).isEqualTo(Rule.TOO_SHORT);
					assertThat(ex.offset()).isEqualTo(length);
					// Only a cut PING_PONG gets far enough to name its type: the others end before their type byte.
					assertThat(ex.frameType()).isEqualTo((length > 20) ? FrameType.PING_PONG : null);
				});
		});
	}

	@Test
	void trailingBytesAfterAnAckAreIgnoredButNotAfterAPingPong() {
		Gen<Frame> fixed = Generate.pick(List.of(FrameType.ACK, FrameType.PING_PONG))
			.flatMap(LegacyRoundTripPropertiesTests::frames);
		theory().forAll(fixed,
				Generate.byteArrays(Generate.range(1, 16), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0)))
			.checkAssert((frame, extra) -> {
				ByteBuffer encoded = CODEC.encode(frame, Frame.headerNumber(frame));
				ByteBuffer padded = ByteBuffer.allocate(encoded.remaining() + extra.length).put(encoded).put(extra).flip();
				if (frame.type() == FrameType.PING_PONG) {
					assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> CODEC.decode(padded))
						.satisfies((ex) -> assertThat(ex.rule()).isEqualTo(Rule.TOO_LONG));
				}
				else {
					assertThat(CODEC.decode(padded)).isEqualTo(frame);
				}
			});
	}

	@Test
	void handshakeDecodingInvertsEncoding() {
		theory().forAll(handshakes()).checkAssert((handshake) -> {
			ByteBuffer encoded = LegacyCodec.encodeHandshake(handshake.type(), handshake.sid(), handshake.ack(),
					handshake.payloadBytes());
			assertThat(encoded.get(20) & 0xFF).isEqualTo(handshake.type().code());
			assertThat(LegacyCodec.handshakeType(encoded)).isEqualTo(handshake.type());
			assertThat(LegacyCodec.decodeHandshake(encoded)).isEqualTo(handshake).hasSameHashCodeAs(handshake);
			assertThat(LegacyCodec.readHandshakePayload(encoded)).isEqualTo(handshake.payloadBytes());
			assertThat(CODEC.peekType(encoded)).isNull();
			assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> CODEC.decode(encoded))
				.satisfies((ex) -> assertThat(ex.rule()).isEqualTo(Rule.HANDSHAKE_OUTSIDE_CALE));
		});
	}

	private static Gen<Frame> anyFrame() {
		return Generate.range(0, LEGACY_TYPES.length - 1).flatMap((index) -> frames(LEGACY_TYPES[index]));
	}

	/** Random UUID session ids, the all-zero and all-ones UUIDs of the vectors mixed in. */
	private static Gen<SessionId> sids() {
		return FrameGenerators.u64()
			.zip(FrameGenerators.u64(), (msb, lsb) -> SessionId.of(new UUID(msb, lsb)))
			.mix(Generate.pick(List.of(SessionId.of(new UUID(0, 0)), SessionId.of(new UUID(-1, -1)))), 10);
	}

	/** Legacy frames of a type, valid by every rule the decoder checks. */
	private static Gen<Frame> frames(FrameType type) {
		Gen<SessionId> sid = sids();
		Gen<Integer> ack = FrameGenerators.u32();
		return switch (type) {
			case ACK -> sid.zip(ack, AckFrame::new);
			case ERROR -> sid.zip(ack, FrameGenerators.texts(), ErrorFrame::new);
			case PING_PONG -> sid.zip(ack, Generate.enumValues(PingPongFrame.Kind.class), PingPongFrame::new);
			case UTF8DATA -> sid.zip(ack, FrameGenerators.texts(), Utf8DataFrame::of);
			case BINARYDATA -> sid.zip(ack, FrameGenerators.payloads(), BinaryDataFrame::new);
			default -> throw new IllegalArgumentException("the legacy generation has no " + type);
		};
	}

	/** Hellos with 65 random key bytes, HANDSHAKE_DONE with any payload. */
	private static Gen<LegacyHandshakeFrame> handshakes() {
		Gen<byte[]> keys = Generate.byteArrays(Generate.constant(LegacyCodec.PUBLIC_KEY_LENGTH),
				Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
		Function<byte[], ByteBuffer> wrap = ByteBuffer::wrap;
		Gen<ByteBuffer> payloads = FrameGenerators.payloads();
		return Generate.enumValues(LegacyHandshake.class).flatMap((type) -> sids().zip(FrameGenerators.u32(),
				type.isHello() ? keys.map(wrap) : payloads,
				(sid, ack, payload) -> new LegacyHandshakeFrame(type, sid, ack, payload)));
	}

}
