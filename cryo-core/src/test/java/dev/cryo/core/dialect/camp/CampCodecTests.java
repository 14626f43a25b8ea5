package dev.cryo.core.dialect.camp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

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
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.Hex;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxCancelFrame;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Rules of the CAMP codec the vectors do not reach: the 1 MiB and 1 KiB limits on both sides,
 * the largest message, the type codes, the ping without ack and the refusals that still name
 * their transaction (camp.md §2–§4).
 */
class CampCodecTests {

	private static final CampCodec CODEC = CampCodec.INSTANCE;

	private static final SessionId SID = SessionId.of(1);

	@Test
	void limitsAreThoseOfCampNotCryoV1() {
		assertThat(CampCodec.MAX_PAYLOAD).isEqualTo(CODEC.maxPayload()).isEqualTo(1_048_576);
		assertThat(CampCodec.MAX_NAME).isEqualTo(1024);
		assertThat(CampCodec.MAX_MESSAGE_LENGTH).isEqualTo(CODEC.maxMessageLength()).isEqualTo(1_048_597);
	}

	@Test
	void encoderRefusesPayloadsOverOneMebibyte() {
		ByteBuffer tooBig = ByteBuffer.allocate(CampCodec.MAX_PAYLOAD + 1);
		String tooLongText = "a".repeat(CampCodec.MAX_PAYLOAD + 1);
		List<Frame> frames = List.of(new Utf8DataFrame(SID, 1, tooBig), new BinaryDataFrame(SID, 1, tooBig),
				new ErrorFrame(SID, 1, tooLongText), new ByeFrame(SID, 1, tooLongText),
				new TxChunkFrame(SID, 1, tooBig, 0, TransactionLayout.CAMP));
		for (Frame frame : frames) {
			assertOversizedOnEncode(frame);
		}
	}

	@Test
	void exactlyOneMebibyteIsAccepted() {
		ByteBuffer limit = ByteBuffer.allocate(CampCodec.MAX_PAYLOAD);
		String limitText = "é".repeat(CampCodec.MAX_PAYLOAD / 2);
		List<Frame> frames = List.of(new Utf8DataFrame(SID, 1, limit), new BinaryDataFrame(SID, 1, limit),
				new ErrorFrame(SID, 1, limitText), new ByeFrame(SID, 1, limitText));
		for (Frame frame : frames) {
			ByteBuffer encoded = CODEC.encode(frame, 1);
			assertThat(encoded.remaining()).as(frame.type().name()).isEqualTo(13 + CampCodec.MAX_PAYLOAD);
			assertThat(CODEC.decode(encoded)).isEqualTo(frame);
		}
	}

	/** Read into its message after 21 bytes of room, a chunk encodes to the bytes a copying encode writes. */
	@Test
	void chunkEncodedInPlaceIsTheSameMessageAsOneEncodedWithACopy() {
		byte[] payload = { 1, 2, 3, 4, 5 };
		assertThat(CODEC.fixedLength(FrameType.TX_CHUNK)).isEqualTo(21);
		ByteBuffer message = ByteBuffer.allocate(21 + payload.length).put(21, payload);
		TxChunkFrame chunk = new TxChunkFrame(SID, 9, message.slice(21, payload.length), 3L << 20, TransactionLayout.CAMP);
		ByteBuffer inPlace = CODEC.encodeChunkInPlace(chunk, message);
		assertThat(inPlace).isSameAs(message).isEqualTo(CODEC.encode(chunk, 9));
		assertThat(CODEC.decode(inPlace)).isEqualTo(chunk);
	}

	@Test
	void largestMessageIsAChunkOfOneMebibyte() {
		byte[] payload = new byte[CampCodec.MAX_PAYLOAD];
		payload[payload.length - 1] = 0x7F;
		TxChunkFrame chunk = new TxChunkFrame(SID, 9, ByteBuffer.wrap(payload), 3L << 20, TransactionLayout.CAMP);
		ByteBuffer encoded = CODEC.encode(chunk, 9);
		assertThat(encoded.remaining()).isEqualTo(CampCodec.MAX_MESSAGE_LENGTH).isEqualTo(1_048_597);
		TxChunkFrame decoded = (TxChunkFrame) CODEC.decode(encoded);
		assertThat(decoded).isEqualTo(chunk);
		assertThat(decoded.position()).isEqualTo(3L << 20);
		// One byte more is over the payload limit: not malformed, the connection ends with 1009.
		byte[] oversized = new byte[CampCodec.MAX_MESSAGE_LENGTH + 1];
		encoded.get(0, oversized, 0, CampCodec.MAX_MESSAGE_LENGTH);
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> CODEC.decode(ByteBuffer.wrap(oversized)))
			.satisfies((ex) -> {
				assertThat(ex.rule()).isEqualTo(Rule.PAYLOAD_TOO_LARGE);
				assertThat(ex.rule().isMalformed()).isFalse();
				assertThat(ex.frameType()).isEqualTo(FrameType.TX_CHUNK);
				assertThat(ex.offset()).isEqualTo(21);
			});
	}

	@Test
	void encoderRefusesNamesOverOneKibibyte() {
		for (String name : List.of("a".repeat(1025), "é".repeat(512) + "a", "✓".repeat(342))) {
			assertOversizedOnEncode(start(name, FlowBehaviour.PUSH, TxStartFrame.UNKNOWN_SIZE));
		}
	}

	@Test
	void nameOfExactlyOneKibibyteIsAccepted() {
		for (String name : List.of("a".repeat(1024), "é".repeat(512), "✓".repeat(341) + "a")) {
			assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
			TxStartFrame start = start(name, FlowBehaviour.PULL, 5000);
			ByteBuffer encoded = CODEC.encode(start, 3);
			assertThat(encoded.remaining()).isEqualTo(26 + 1024);
			assertThat(CODEC.decode(encoded)).isEqualTo(start);
		}
	}

	@Test
	void encoderRefusesTxFlowWhichCampDoesNotHave() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CODEC.encode(new TxFlowFrame(SID, 1, FlowBehaviour.PULL), 1))
			.withMessageContaining("TX_FLOW");
	}

	@Test
	void uuidSidCannotBeEncoded() {
		AckFrame frame = new AckFrame(SessionId.of(UUID.fromString("123e4567-e89b-12d3-a456-426614174000")), 1);
		assertThatIllegalArgumentException().isThrownBy(() -> CODEC.encode(frame, 1))
			.withMessageContaining("numeric session ids only");
		PingPongFrame ping = PingPongFrame.ping(frame.sid(), 0);
		assertThatIllegalArgumentException().isThrownBy(() -> CODEC.encode(ping, 0));
	}

	@Test
	void pingAndPongHaveNoAckField() {
		ByteBuffer ping = CODEC.encode(PingPongFrame.ping(SID, 77), 77);
		assertThat(Hex.of(ping)).isEqualTo("0000000000000001fb70696e67");
		assertThat(CODEC.decode(ping)).isEqualTo(PingPongFrame.ping(SID, 0));
		ByteBuffer pong = CODEC.encode(PingPongFrame.pong(SID, 5), 5);
		assertThat(Hex.of(pong)).isEqualTo("0000000000000001fb706f6e67");
		assertThat(CODEC.decode(pong)).isEqualTo(PingPongFrame.pong(SID, 0));
		assertThat(CODEC.fixedLength(FrameType.PING_PONG)).isEqualTo(13);
	}

	@Test
	void pingPayloadMustBeExactlyPingOrPong() {
		for (String hex : List.of("0000000000000001fb70616e67", "0000000000000001fb50494e47")) {
			assertRejected(hex, Rule.INVALID_PING_PONG_PAYLOAD, FrameType.PING_PONG, 9);
		}
		assertRejected("0000000000000001fb70696e", Rule.TOO_SHORT, FrameType.PING_PONG, 12);
		assertRejected("0000000000000001fb70696e6700", Rule.TOO_LONG, FrameType.PING_PONG, 13);
	}

	@Test
	void typeCodesAreThoseOfCamp() {
		TxPullFrame fetch = new TxPullFrame(SID, 7, 1, 0, 10, TransactionLayout.CAMP);
		TxCancelFrame cancel = new TxCancelFrame(SID, 9, 1);
		assertThat(CODEC.encode(fetch, 7).get(8)).isEqualTo((byte) 0x03);
		assertThat(CODEC.encode(cancel, 9).get(8)).isEqualTo((byte) 0x04);
		assertThat(CODEC.peekType(CODEC.encode(fetch, 7))).isEqualTo(FrameType.TX_PULL);
		assertThat(CODEC.peekType(CODEC.encode(cancel, 9))).isEqualTo(FrameType.TX_CANCEL);
		assertThat(CODEC.peekType(Hex.buffer("00000000000000010500000001"))).isNull();
		assertThat(CODEC.peekType(Hex.buffer("00000000000000010300000001"))).isEqualTo(FrameType.TX_PULL);
		for (int code : new int[] { 0x05, 0x06, 0x7F, 0xF8 }) {
			byte[] message = Hex.bytes("0000000000000001000000000100000001000000000000000000000000000000ff");
			message[8] = (byte) code;
			assertRejected(Hex.of(message), Rule.UNKNOWN_TYPE, null, 8);
		}
	}

	@Test
	void fixedLengthsAreThoseOfCamp() {
		assertThat(CODEC.fixedLength(FrameType.ENDPOINT_INFO)).isEqualTo(25);
		assertThat(CODEC.fixedLength(FrameType.ACK)).isEqualTo(13);
		assertThat(CODEC.fixedLength(FrameType.TX_START)).isEqualTo(26);
		assertThat(CODEC.fixedLength(FrameType.TX_CHUNK)).isEqualTo(21);
		assertThat(CODEC.fixedLength(FrameType.TX_FINISH)).isEqualTo(17);
		assertThat(CODEC.fixedLength(FrameType.TX_PULL)).isEqualTo(33);
		assertThat(CODEC.fixedLength(FrameType.TX_CANCEL)).isEqualTo(17);
		// One layout only: the session's layout changes nothing.
		assertThat(CODEC.fixedLength(FrameType.TX_START, TransactionLayout.SEED)).isEqualTo(26);
		byte[] chunk = Hex.bytes("00000000000000010100000001000000000000000000017f80feffdeadbeef");
		assertThat(CODEC.decode(ByteBuffer.wrap(chunk), TransactionLayout.CRYO_PROTOCOL_1_4))
			.isEqualTo(CODEC.decode(ByteBuffer.wrap(chunk)));
	}

	@Test
	void sizeBelowMinusOneIsARefusedTransactionThatNamesItself() {
		ByteBuffer message = ByteBuffer.allocate(27).putLong(1).put((byte) 0x00).putInt(3).putInt(255).putLong(-2)
			.put((byte) 0).put((byte) 'x').flip();
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> CODEC.decode(message))
			.satisfies((ex) -> {
				assertThat(ex.rule()).isEqualTo(Rule.INVALID_TRANSACTION);
				assertThat(ex.rule().isMalformed()).isTrue();
				assertThat(ex.offset()).isEqualTo(17);
				assertThat(ex.identifiesTransaction()).isTrue();
				assertThat(ex.ack()).isEqualTo(3);
				assertThat(ex.txid()).isEqualTo(255);
				assertThat(ex.peerMessage()).startsWith("malformed frame: TX_START size");
			});
	}

	@Test
	void pushAndPullOfKnownSizeAndPushOfUnknownSizeAreAccepted() {
		for (TxStartFrame start : List.of(start("a", FlowBehaviour.PUSH, TxStartFrame.UNKNOWN_SIZE),
				start("b", FlowBehaviour.PUSH, 0), start("c", FlowBehaviour.PULL, 0),
				start("", FlowBehaviour.PULL, Long.MAX_VALUE))) {
			TxStartFrame decoded = (TxStartFrame) CODEC.decode(CODEC.encode(start, start.ack()));
			assertThat(decoded).isEqualTo(start);
			assertThat(decoded.hasSize()).isEqualTo(start.size() >= 0);
		}
		assertThat(((TxStartFrame) CODEC.decode(CODEC.encode(start("", FlowBehaviour.PUSH, -1), 3))).effectiveName())
			.isEqualTo(TxStartFrame.ANONYMOUS);
	}

	@Test
	void fetchRangesCompareUnsigned() {
		// start 1, end 2^63: a valid range although end is negative as a signed long.
		TxPullFrame wide = new TxPullFrame(SID, 7, 1, 1, Long.MIN_VALUE, TransactionLayout.CAMP);
		assertThat(CODEC.decode(CODEC.encode(wide, 7))).isEqualTo(wide);
		// start 2^63, end 1: empty.
		TxPullFrame inverted = new TxPullFrame(SID, 7, 1, Long.MIN_VALUE, 1, TransactionLayout.CAMP);
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> CODEC.decode(CODEC.encode(inverted, 7)))
			.satisfies((ex) -> {
				assertThat(ex.rule()).isEqualTo(Rule.INVALID_TRANSACTION);
				assertThat(ex.frameType()).isEqualTo(FrameType.TX_PULL);
				assertThat(ex.ack()).isEqualTo(7);
				assertThat(ex.txid()).isEqualTo(1);
				assertThat(ex.getMessage()).contains("[9223372036854775808, 1)");
			});
	}

	@Test
	void trailingBytesAfterFixedLengthFramesAreIgnoredExceptAfterPing() {
		List<Frame> frames = List.of(new EndpointInfoFrame(SID, 0, 1, 1), new AckFrame(SID, 4),
				new TxFinishFrame(SID, 6, 1), new TxCancelFrame(SID, 9, 1),
				new TxPullFrame(SID, 7, 1, 0, 131072, TransactionLayout.CAMP));
		for (Frame frame : frames) {
			ByteBuffer encoded = CODEC.encode(frame, Frame.headerNumber(frame));
			ByteBuffer padded = ByteBuffer.allocate(encoded.remaining() + 3).put(encoded).put(new byte[] { 1, 2, 3 }).flip();
			assertThat(CODEC.decode(padded)).as(frame.type().name()).isEqualTo(frame);
		}
	}

	@Test
	void decodeLeavesTheMessageBufferUntouchedAndReadsFromItsPosition() {
		ByteBuffer buffer = ByteBuffer.allocateDirect(40).order(ByteOrder.LITTLE_ENDIAN);
		buffer.position(5);
		buffer.put(Hex.bytes("000000000000000103000000070000000100000000000000000000000000020000"));
		buffer.flip().position(5);
		TxPullFrame fetch = (TxPullFrame) CODEC.decode(buffer);
		assertThat(buffer.position()).isEqualTo(5);
		assertThat(buffer.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
		assertThat(fetch).isEqualTo(new TxPullFrame(SID, 7, 1, 0, 131072, TransactionLayout.CAMP));
		assertThat(Hex.of(CODEC.payloadView(CODEC.encode(Utf8DataFrame.of(SID, 2, "hi"), 2)))).isEqualTo("6869");
	}

	@Test
	void peerMessagesSayCamp() {
		assertThatExceptionOfType(CryoFrameException.class)
			.isThrownBy(() -> CODEC.decode(Hex.buffer("00000000000000010500000001")))
			.satisfies((ex) -> assertThat(ex.peerMessage()).isEqualTo("malformed frame: unknown CAMP type 0x05"));
	}

	private static TxStartFrame start(String name, FlowBehaviour behaviour, long size) {
		return new TxStartFrame(SID, 3, 1, name, size, behaviour, TransactionLayout.CAMP);
	}

	private static void assertOversizedOnEncode(Frame frame) {
		assertThatExceptionOfType(CryoFrameException.class).as(frame.type().name())
			.isThrownBy(() -> CODEC.encode(frame, 1))
			.satisfies((ex) -> {
				assertThat(ex.rule()).isEqualTo(Rule.PAYLOAD_TOO_LARGE);
				assertThat(ex.frameType()).isEqualTo(frame.type());
				// Where the refused part would start: 26 for a name, 21 for a chunk payload, 13 otherwise.
				assertThat(ex.offset()).isEqualTo(CODEC.fixedLength(frame.type()));
				assertThat(ex.getMessage()).contains("CAMP limit");
			});
	}

	private static void assertRejected(String hex, Rule rule, FrameType type, int offset) {
		assertThatExceptionOfType(CryoFrameException.class).as(hex).isThrownBy(() -> CODEC.decode(Hex.buffer(hex)))
			.satisfies((ex) -> {
				assertThat(ex.rule()).isEqualTo(rule);
				assertThat(ex.frameType()).isEqualTo(type);
				assertThat(ex.offset()).isEqualTo(offset);
				assertThat(ex.identifiesTransaction()).isFalse();
			});
	}

}
