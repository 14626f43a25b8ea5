package dev.cryo.core.dialect.camp;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.CryoFrameException.Rule;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameGenerators;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxCancelFrame;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.quicktheories.QuickTheory.qt;

/**
 * Property-based tests over random CAMP frames of every type: encoding and decoding are inverse,
 * the type byte is CAMP's, and truncation or padding is handled as for Cryo v1 (camp.md §4).
 */
class CampRoundTripPropertiesTests {

	private static final int EXAMPLES = 2_000;

	private static final CampCodec CODEC = CampCodec.INSTANCE;

	private static QuickTheory theory() {
		return qt().withExamples(EXAMPLES).withShrinkCycles(200);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = FrameType.class, mode = EnumSource.Mode.EXCLUDE, names = "TX_FLOW")
	void decodeInvertsEncode(FrameType type) {
		theory().forAll(frames(type)).checkAssert((frame) -> {
			ByteBuffer encoded = CODEC.encode(frame, Frame.headerNumber(frame));
			assertThat(encoded.getLong(0)).isEqualTo(frame.sid().asLong());
			assertThat(CODEC.peekType(encoded)).isEqualTo(type);
			Frame decoded = CODEC.decode(encoded);
			assertThat(decoded).isEqualTo(frame).hasSameHashCodeAs(frame);
			assertThat(encoded.position()).isZero();
			assertThat(CODEC.encode(decoded, Frame.headerNumber(decoded))).isEqualTo(encoded);
		});
	}

	@Test
	void everyPrefixShorterThanTheMinimumIsRejectedAsTooShort() {
		theory().forAll(anyFrame(), Generate.range(0, 40)).checkAssert((frame, cut) -> {
			byte[] encoded = CODEC.encode(frame, Frame.headerNumber(frame)).array();
			int length = Math.min(cut, CODEC.fixedLength(frame.type()) - 1);
			byte[] prefix = Arrays.copyOf(encoded, length);
			assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> CODEC.decode(ByteBuffer.wrap(prefix)))
				.satisfies((ex) -> {
					assertThat(ex.rule()).isEqualTo(Rule.TOO_SHORT);
					assertThat(ex.offset()).isEqualTo(length);
					assertThat(ex.frameType()).isEqualTo((length > 8) ? frame.type() : null);
				});
		});
	}

	@Test
	void trailingBytesAfterFixedLengthFramesAreIgnoredExceptAfterPingPong() {
		Gen<FrameType> fixed = Generate.pick(List.of(FrameType.ENDPOINT_INFO, FrameType.ACK, FrameType.PING_PONG,
				FrameType.TX_FINISH, FrameType.TX_PULL, FrameType.TX_CANCEL));
		theory().forAll(fixed.flatMap(CampRoundTripPropertiesTests::frames),
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

	private static Gen<Frame> anyFrame() {
		FrameType[] types = EnumSet.complementOf(EnumSet.of(FrameType.TX_FLOW)).toArray(FrameType[]::new);
		return Generate.range(0, types.length - 1).flatMap((index) -> frames(types[index]));
	}

	/** CAMP frames of a type, valid by every rule the decoder checks. */
	private static Gen<Frame> frames(FrameType type) {
		Gen<SessionId> sid = FrameGenerators.u64().map(SessionId::of);
		Gen<Integer> ack = FrameGenerators.u32();
		Gen<Integer> txid = FrameGenerators.u32();
		TransactionLayout camp = TransactionLayout.CAMP;
		return switch (type) {
			case ENDPOINT_INFO -> sid.zip(ack, FrameGenerators.u32(), FrameGenerators.u64(), EndpointInfoFrame::new);
			case BYE -> sid.zip(ack, FrameGenerators.texts(), ByeFrame::new);
			case ACK -> sid.zip(ack, AckFrame::new);
			case ERROR -> sid.zip(ack, FrameGenerators.texts(), ErrorFrame::new);
			// No ack field: a decoded ping always carries 0.
			case PING_PONG -> sid.zip(Generate.enumValues(PingPongFrame.Kind.class),
					(s, kind) -> new PingPongFrame(s, 0, kind));
			case UTF8DATA -> sid.zip(ack, FrameGenerators.texts(), Utf8DataFrame::of);
			case BINARYDATA -> sid.zip(ack, FrameGenerators.payloads(), BinaryDataFrame::new);
			case TX_START -> sid.zip(ack, txid, FrameGenerators.texts(), sizesAndBehaviours(),
					(s, a, t, name, sized) -> new TxStartFrame(s, a, t, name, sized.size(), sized.behaviour(), camp));
			case TX_CHUNK -> sid.zip(txid, FrameGenerators.payloads(), FrameGenerators.u64(),
					(s, t, payload, offset) -> new TxChunkFrame(s, t, payload, offset, camp));
			case TX_FINISH -> sid.zip(ack, txid, TxFinishFrame::new);
			case TX_PULL -> sid.zip(ack, txid, ranges(), (s, a, t, range) -> new TxPullFrame(s, a, t, range[0], range[1], camp));
			case TX_CANCEL -> sid.zip(ack, txid, TxCancelFrame::new);
			case TX_FLOW -> throw new IllegalArgumentException("CAMP has no TX_FLOW");
		};
	}

	/** Push with −1 or any size, pull with a size only (camp.md §4). */
	private static Gen<Sized> sizesAndBehaviours() {
		Gen<Long> sizes = FrameGenerators.u64().map((size) -> (size < -1) ? size & Long.MAX_VALUE : size);
		return sizes.zip(Generate.enumValues(FlowBehaviour.class), (size, behaviour) -> new Sized(
				(behaviour == FlowBehaviour.PULL && size < 0) ? 0 : size, behaviour));
	}

	/** Non-empty unsigned ranges [start, end). */
	private static Gen<long[]> ranges() {
		return FrameGenerators.u64().zip(FrameGenerators.u64(), (a, b) -> {
			if (a.longValue() == b.longValue()) {
				return (a == -1L) ? new long[] { a - 1, a } : new long[] { a, a + 1 };
			}
			return (Long.compareUnsigned(a, b) < 0) ? new long[] { a, b } : new long[] { b, a };
		});
	}

	private record Sized(long size, FlowBehaviour behaviour) {
	}

}
