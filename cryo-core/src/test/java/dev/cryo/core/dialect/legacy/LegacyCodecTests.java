package dev.cryo.core.dialect.legacy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
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
 * Rules of the legacy codec the vectors do not reach: the 16 MiB limit and the largest message,
 * the UUID sid, the type codes and the types the generation lacks, the exact lengths, text as
 * received and as we write it, and the handshake helpers the CALE layer and the dispatcher use
 * (legacy-v0.md §3, §10.5).
 */
class LegacyCodecTests {

	private static final LegacyCodec CODEC = LegacyCodec.INSTANCE;

	private static final SessionId SID = SessionId.of(UUID.fromString("123e4567-e89b-42d3-a456-426614174000"));

	private static final String SID_HEX = "123e4567e89b42d3a456426614174000";

	private static final byte[] KEY = key();

	@Test
	void limitsAreThoseOfCryoV1() {
		assertThat(LegacyCodec.MAX_PAYLOAD).isEqualTo(CODEC.maxPayload()).isEqualTo(16 * 1024 * 1024);
		assertThat(LegacyCodec.MAX_MESSAGE_LENGTH).isEqualTo(CODEC.maxMessageLength()).isEqualTo(16_777_237);
	}

	@Test
	void largestMessageIsAcceptedAndOneByteMoreIsOverTheLimit() {
		for (FrameType type : List.of(FrameType.UTF8DATA, FrameType.BINARYDATA, FrameType.ERROR)) {
			byte[] message = new byte[LegacyCodec.MAX_MESSAGE_LENGTH];
			ByteBuffer.wrap(message).put(Hex.bytes(SID_HEX)).putInt(9).put((byte) code(type));
			message[message.length - 1] = 'z';
			Frame decoded = CODEC.decode(ByteBuffer.wrap(message));
			assertThat(decoded.type()).isEqualTo(type);
			assertThat(CODEC.encode(decoded).remaining()).isEqualTo(LegacyCodec.MAX_MESSAGE_LENGTH);
			// One byte more is over the payload limit: not malformed, the connection ends with 1009.
			byte[] oversized = Arrays.copyOf(message, message.length + 1);
			assertThatExceptionOfType(CryoFrameException.class)
				.isThrownBy(() -> CODEC.decode(ByteBuffer.wrap(oversized)))
				.satisfies((ex) -> {
					assertThat(ex.rule()).isEqualTo(Rule.PAYLOAD_TOO_LARGE);
					assertThat(ex.rule().isMalformed()).isFalse();
					assertThat(ex.frameType()).isEqualTo(type);
					assertThat(ex.offset()).isEqualTo(21);
				});
		}
	}

	@Test
	void sidIsTheUuidsSixteenBytesInTextOrder() {
		// legacy-v0.md §3: 123e4567-e89b-42d3-a456-426614174000 is 12 3e 45 67 e8 9b 42 d3 a4 56 42 66 14 17 40 00.
		ByteBuffer ack = CODEC.encode(new AckFrame(SID, 0x01020304), 0x01020304);
		assertThat(Hex.of(ack)).isEqualTo(SID_HEX + "01020304" + "00");
		Frame decoded = CODEC.decode(ack);
		assertThat(decoded.sid()).isEqualTo(SID);
		assertThat(decoded.sid().isNumeric()).isFalse();
		assertThat(decoded.sid().toString()).isEqualTo("123e4567-e89b-42d3-a456-426614174000");
	}

	@Test
	void numericSidCannotBeEncoded() {
		SessionId numeric = SessionId.of(7);
		assertThatIllegalArgumentException().isThrownBy(() -> CODEC.encode(new AckFrame(numeric, 1), 1))
			.withMessageContaining("UUID session ids only");
		assertThatIllegalArgumentException().isThrownBy(() -> CODEC.encode(PingPongFrame.ping(numeric, 0), 0));
		assertThatIllegalArgumentException().isThrownBy(() -> CODEC.encode(Utf8DataFrame.of(numeric, 0, "x"), 0));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LegacyCodec.encodeHandshake(LegacyHandshake.SERVER_HELLO, numeric, 0, KEY))
			.withMessageContaining("UUID session ids only");
		assertThatIllegalArgumentException().isThrownBy(() -> LegacyCodec.encodeHandshakeDone(numeric, 0));
	}

	@Test
	void typesTheGenerationLacksCannotBeEncoded() {
		List<Frame> frames = List.of(new EndpointInfoFrame(SID, 0, 1, 0), new ByeFrame(SID, 0, "bye"),
				new TxStartFrame(SID, 0, 1, "x"), new TxChunkFrame(SID, 1, ByteBuffer.allocate(1)),
				new TxFinishFrame(SID, 0, 1), new TxFlowFrame(SID, 0, FlowBehaviour.PULL),
				new TxPullFrame(SID, 0, 1, 0, 1), new TxCancelFrame(SID, 0, 1));
		for (Frame frame : frames) {
			assertThatIllegalArgumentException().isThrownBy(() -> CODEC.encode(frame, 0))
				.withMessageContaining("legacy generation has no " + frame.type());
		}
	}

	@Test
	void typeCodesAreThoseOfTheLegacyGeneration() {
		List<Frame> frames = List.of(new AckFrame(SID, 1), new ErrorFrame(SID, 1, "error"), PingPongFrame.ping(SID, 1),
				Utf8DataFrame.of(SID, 1, "text"), new BinaryDataFrame(SID, 1, ByteBuffer.allocate(2)));
		for (Frame frame : frames) {
			ByteBuffer encoded = CODEC.encode(frame);
			assertThat(encoded.get(20) & 0xFF).as(frame.type().name()).isEqualTo(code(frame.type()));
			assertThat(encoded.getInt(16)).isEqualTo(1);
			assertThat(CODEC.peekType(encoded)).isEqualTo(frame.type());
			assertThat(LegacyCodec.handshakeType(encoded)).isNull();
		}
		for (int code : new int[] { 8, 9, 0x7F, 0x80, 0xF9, 0xFF }) {
			byte[] message = Hex.bytes(SID_HEX + "00000001" + "00" + "70696e67");
			message[20] = (byte) code;
			assertRejected(message, Rule.UNKNOWN_TYPE, null, 20);
			assertThat(CODEC.peekType(ByteBuffer.wrap(message))).isNull();
			assertThat(LegacyCodec.handshakeType(ByteBuffer.wrap(message))).isNull();
		}
	}

	@Test
	void handshakeFramesAreRefusedByTheFrameCodecButRecognisable() {
		for (LegacyHandshake type : LegacyHandshake.values()) {
			ByteBuffer message = (type == LegacyHandshake.HANDSHAKE_DONE) ? LegacyCodec.encodeHandshakeDone(SID, 3)
					: LegacyCodec.encodeHandshake(type, SID, 3, KEY);
			assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> CODEC.decode(message))
				.satisfies((ex) -> {
					assertThat(ex.rule()).isEqualTo(Rule.HANDSHAKE_OUTSIDE_CALE);
					// §10.5: a handshake frame outside the CALE layer is malformed, dropped and counted.
					assertThat(ex.rule().isMalformed()).isTrue();
					assertThat(ex.frameType()).isNull();
					assertThat(ex.offset()).isEqualTo(20);
					assertThat(ex.peerMessage()).contains(type.name());
				});
			assertThat(LegacyCodec.handshakeType(message)).isEqualTo(type);
			assertThat(CODEC.peekType(message)).isNull();
			assertThat(message.position()).isZero();
		}
		// Recognised by the type byte alone, whatever the length: a short CLIENT_HELLO on a path
		// without CALE is still a CLIENT_HELLO (4010, §10.2), in the handshake a bad one (4011, §10.3).
		byte[] shortHello = Hex.bytes(SID_HEX + "00000000" + "06" + "04");
		assertThat(LegacyCodec.handshakeType(ByteBuffer.wrap(shortHello))).isEqualTo(LegacyHandshake.CLIENT_HELLO);
		assertRejected(shortHello, Rule.HANDSHAKE_OUTSIDE_CALE, null, 20);
		assertThat(LegacyCodec.handshakeType(ByteBuffer.wrap(Hex.bytes(SID_HEX + "00000000")))).isNull();
		assertThat(LegacyCodec.handshakeType(ByteBuffer.allocate(0))).isNull();
	}

	@Test
	void everyMessageShorterThanTheHeaderIsTooShort() {
		byte[] full = Hex.bytes(SID_HEX + "00000001" + "03");
		for (int length = 0; length < 21; length++) {
			assertRejected(Arrays.copyOf(full, length), Rule.TOO_SHORT, null, length);
		}
	}

	@Test
	void pingPongIsExactlyTwentyFiveBytesOfPingOrPong() {
		ByteBuffer ping = CODEC.encode(PingPongFrame.ping(SID, 77));
		assertThat(Hex.of(ping)).isEqualTo(SID_HEX + "0000004d" + "02" + "70696e67");
		// The pong copies the ping's number (§6).
		assertThat(Hex.of(CODEC.encode(PingPongFrame.pong(SID, 77)))).isEqualTo(SID_HEX + "0000004d" + "02" + "706f6e67");
		assertThat(CODEC.decode(ping)).isEqualTo(PingPongFrame.ping(SID, 77));
		String header = SID_HEX + "0000004d02";
		assertRejected(Hex.bytes(header), Rule.TOO_SHORT, FrameType.PING_PONG, 21);
		assertRejected(Hex.bytes(header + "70696e"), Rule.TOO_SHORT, FrameType.PING_PONG, 24);
		assertRejected(Hex.bytes(header + "70696e6700"), Rule.TOO_LONG, FrameType.PING_PONG, 25);
		for (String payload : List.of("70616e67", "50494e47", "00000000", "6e756c6c")) {
			assertRejected(Hex.bytes(header + payload), Rule.INVALID_PING_PONG_PAYLOAD, FrameType.PING_PONG, 21);
		}
	}

	@Test
	void ackIgnoresExtraBytesLikeTheFixedFramesOfCryoV1() {
		byte[] padded = Hex.bytes(SID_HEX + "0000000500" + "deadbeef");
		assertThat(CODEC.decode(ByteBuffer.wrap(padded))).isEqualTo(new AckFrame(SID, 5));
	}

	@Test
	void ackNumbersUseAllThirtyTwoBits() {
		ByteBuffer encoded = CODEC.encode(Utf8DataFrame.of(SID, -1, "x"));
		assertThat(Hex.of(encoded)).isEqualTo(SID_HEX + "ffffffff" + "03" + "78");
		assertThat(((Utf8DataFrame) CODEC.decode(encoded)).ack()).isEqualTo(-1);
		// The engine's number replaces the frame's own (WireCodec#encode).
		assertThat(CODEC.encode(new AckFrame(SID, 1), 2).getInt(16)).isEqualTo(2);
	}

	@Test
	void textIsWrittenByItsUtf8LengthAndEmptyTextAsAnEmptyPayload() {
		// §10.5: not the clients' UTF-16 sizing, not their "null" for an empty string.
		ByteBuffer multiByte = CODEC.encode(Utf8DataFrame.of(SID, 2, "héllo ✓ 🚀"));
		assertThat(multiByte.remaining()).isEqualTo(21 + 15);
		assertThat(((Utf8DataFrame) CODEC.decode(multiByte)).text()).isEqualTo("héllo ✓ 🚀");
		assertThat(CODEC.encode(Utf8DataFrame.of(SID, 0, "")).remaining()).isEqualTo(21);
		assertThat(CODEC.encode(new ErrorFrame(SID, 0, "")).remaining()).isEqualTo(21);
		ByteBuffer error = CODEC.encode(new ErrorFrame(SID, 4, "ünknown"));
		assertThat(error.remaining()).isEqualTo(21 + 8);
		assertThat(CODEC.decode(error)).isEqualTo(new ErrorFrame(SID, 4, "ünknown"));
	}

	@Test
	void textIsDecodedLenientlyAndHandedOverAsReceived() {
		// A cut multi-byte character and NUL fill, as the Node clients send (§3.1).
		byte[] cut = Hex.bytes(SID_HEX + "00000000" + "03" + "68e29c" + "0000");
		Utf8DataFrame data = (Utf8DataFrame) CODEC.decode(ByteBuffer.wrap(cut));
		assertThat(Hex.of(data.payload())).isEqualTo("68e29c0000");
		assertThat(data.text()).isEqualTo("h\uFFFD\u0000\u0000");
		byte[] error = Hex.bytes(SID_HEX + "00000000" + "01" + "6f6bff");
		assertThat(CODEC.decode(ByteBuffer.wrap(error))).isEqualTo(new ErrorFrame(SID, 0, "ok\uFFFD"));
	}

	@Test
	void payloadsAreViewsOfTheMessageAndTheBufferIsLeftAlone() {
		byte[] bytes = Hex.bytes("ffff" + SID_HEX + "00000003" + "04" + "00017f80");
		ByteBuffer message = ByteBuffer.wrap(bytes).position(2);
		BinaryDataFrame data = (BinaryDataFrame) CODEC.decode(message);
		assertThat(message.position()).isEqualTo(2);
		assertThat(message.limit()).isEqualTo(bytes.length);
		assertThat(data).isEqualTo(new BinaryDataFrame(SID, 3, ByteBuffer.wrap(Hex.bytes("00017f80"))));
		assertThat(data.payload().isReadOnly()).isTrue();
		ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length - 2).put(bytes, 2, bytes.length - 2).flip();
		assertThat(CODEC.decode(direct)).isEqualTo(data);
		assertThat(CODEC.peekType(message)).isEqualTo(FrameType.BINARYDATA);
		assertThat(Hex.of(CODEC.payloadView(message))).isEqualTo("00017f80");
		assertThat(Hex.of(CODEC.payloadView(CODEC.encode(data)))).isEqualTo("00017f80");
	}

	@Test
	void fixedLengthsAreTheHeaderAndTheTwentyFiveBytePing() {
		assertThat(CODEC.fixedLength(FrameType.ACK)).isEqualTo(21);
		assertThat(CODEC.fixedLength(FrameType.ERROR)).isEqualTo(21);
		assertThat(CODEC.fixedLength(FrameType.UTF8DATA)).isEqualTo(21);
		assertThat(CODEC.fixedLength(FrameType.BINARYDATA)).isEqualTo(21);
		assertThat(CODEC.fixedLength(FrameType.PING_PONG)).isEqualTo(25);
		// No transactions: whatever asks gets the header, one layout only.
		assertThat(CODEC.fixedLength(FrameType.TX_CHUNK)).isEqualTo(21);
		assertThat(CODEC.fixedLength(FrameType.TX_CHUNK, TransactionLayout.CRYO_PROTOCOL_1_4)).isEqualTo(21);
	}

	@Test
	void helloIsExactlyEightySixBytesWithASixtyFiveByteKey() {
		ByteBuffer hello = LegacyCodec.encodeHandshake(LegacyHandshake.CLIENT_HELLO, SID, 0, KEY);
		assertThat(hello.remaining()).isEqualTo(LegacyCodec.HELLO_LENGTH).isEqualTo(86);
		assertThat(Hex.of(hello)).isEqualTo(SID_HEX + "00000000" + "06" + Hex.of(KEY));
		LegacyHandshakeFrame decoded = LegacyCodec.decodeHandshake(hello);
		assertThat(decoded).isEqualTo(new LegacyHandshakeFrame(LegacyHandshake.CLIENT_HELLO, SID, 0, ByteBuffer.wrap(KEY)));
		assertThat(LegacyCodec.readHandshakePayload(hello)).isEqualTo(KEY);
		assertThat(hello.position()).isZero();
		byte[] bytes = hello.array();
		assertHandshakeRejected(Arrays.copyOf(bytes, 85), Rule.TOO_SHORT, 85);
		assertHandshakeRejected(Arrays.copyOf(bytes, 21), Rule.TOO_SHORT, 21);
		assertHandshakeRejected(Arrays.copyOf(bytes, 87), Rule.TOO_LONG, 86);
		for (int length : new int[] { 0, 64, 66 }) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> LegacyCodec.encodeHandshake(LegacyHandshake.SERVER_HELLO, SID, 0, new byte[length]))
				.withMessageContaining("65-byte");
		}
	}

	@Test
	void handshakeDoneCarriesNullAndAnyPayloadIsRead() {
		ByteBuffer done = LegacyCodec.encodeHandshakeDone(SID, 5);
		assertThat(Hex.of(done)).isEqualTo(SID_HEX + "00000005" + "07" + "6e756c6c");
		assertThat(LegacyCodec.readHandshakePayload(done)).isEqualTo("null".getBytes(StandardCharsets.US_ASCII));
		// Receivers ignore the payload (§7.1): empty or longer is read as it is.
		for (String payload : List.of("", "6e756c6c00", "ffff")) {
			LegacyHandshakeFrame decoded = LegacyCodec.decodeHandshake(Hex.buffer(SID_HEX + "00000005" + "07" + payload));
			assertThat(decoded.type()).isEqualTo(LegacyHandshake.HANDSHAKE_DONE);
			assertThat(decoded.ack()).isEqualTo(5);
			assertThat(Hex.of(decoded.payload())).isEqualTo(payload);
		}
		assertThat(decodedDone(LegacyCodec.MAX_PAYLOAD).payload().remaining()).isEqualTo(LegacyCodec.MAX_PAYLOAD);
		byte[] oversized = new byte[LegacyCodec.MAX_MESSAGE_LENGTH + 1];
		oversized[20] = 7;
		assertHandshakeRejected(oversized, Rule.PAYLOAD_TOO_LARGE, 21);
		assertThatIllegalArgumentException().isThrownBy(() -> LegacyCodec.encodeHandshake(LegacyHandshake.HANDSHAKE_DONE,
				SID, 0, new byte[LegacyCodec.MAX_PAYLOAD + 1]));
	}

	private static LegacyHandshakeFrame decodedDone(int payloadLength) {
		ByteBuffer message = LegacyCodec.encodeHandshake(LegacyHandshake.HANDSHAKE_DONE, SID, 0, new byte[payloadLength]);
		return LegacyCodec.decodeHandshake(message);
	}

	@Test
	void handshakeReaderRefusesTheModelFramesAndShortMessages() {
		ByteBuffer data = CODEC.encode(Utf8DataFrame.of(SID, 1, "hello"));
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> LegacyCodec.decodeHandshake(data))
			.satisfies((ex) -> {
				assertThat(ex.rule()).isEqualTo(Rule.UNKNOWN_TYPE);
				assertThat(ex.frameType()).isEqualTo(FrameType.UTF8DATA);
				assertThat(ex.offset()).isEqualTo(20);
			});
		assertHandshakeRejected(Hex.bytes(SID_HEX + "0000000008"), Rule.UNKNOWN_TYPE, 20);
		assertHandshakeRejected(Hex.bytes(SID_HEX + "00000000"), Rule.TOO_SHORT, 20);
	}

	@Test
	void aMessageHasAFrameTypeWhenItHoldsTheHeaderAndItsTypeByteIsAtMostSeven() {
		byte[] message = new byte[21];
		message[20] = 7;
		assertThat(LegacyCodec.hasFrameType(ByteBuffer.wrap(message))).isTrue();
		message[20] = 8;
		assertThat(LegacyCodec.hasFrameType(ByteBuffer.wrap(message))).isFalse();
		message[20] = (byte) 0xFF;
		assertThat(LegacyCodec.hasFrameType(ByteBuffer.wrap(message))).isFalse();
		assertThat(LegacyCodec.hasFrameType(ByteBuffer.wrap(new byte[20]))).isFalse();
		// Read from the buffer's position, which is left where it was.
		ByteBuffer shifted = ByteBuffer.allocate(22).put(21, (byte) 3).position(1);
		assertThat(LegacyCodec.hasFrameType(shifted)).isTrue();
		assertThat(shifted.position()).isEqualTo(1);
	}

	@Test
	void handshakeTypesHaveTheirCodes() {
		assertThat(LegacyHandshake.SERVER_HELLO.code()).isEqualTo(5);
		assertThat(LegacyHandshake.CLIENT_HELLO.code()).isEqualTo(6);
		assertThat(LegacyHandshake.HANDSHAKE_DONE.code()).isEqualTo(7);
		for (LegacyHandshake type : LegacyHandshake.values()) {
			assertThat(LegacyHandshake.fromCode(type.code())).isEqualTo(type);
			assertThat(type.isHello()).isEqualTo(type != LegacyHandshake.HANDSHAKE_DONE);
		}
		for (int code : new int[] { 0, 4, 8, 0x85, 0xFF, -1 }) {
			assertThat(LegacyHandshake.fromCode(code)).isNull();
		}
	}

	@Test
	void handshakeFrameShowsNoKeyBytes() {
		LegacyHandshakeFrame hello = new LegacyHandshakeFrame(LegacyHandshake.SERVER_HELLO, SID, 0, ByteBuffer.wrap(KEY));
		assertThat(hello).hasToString("SERVER_HELLO[sid=123e4567-e89b-42d3-a456-426614174000, ack=0, payload=65 bytes]");
		byte[] copy = hello.payloadBytes();
		copy[0] = 0;
		assertThat(hello.payloadBytes()[0]).isEqualTo((byte) 0x04);
	}

	private static void assertRejected(byte[] message, Rule rule, @Nullable FrameType type, int offset) {
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> CODEC.decode(ByteBuffer.wrap(message)))
			.satisfies((ex) -> {
				assertThat(ex.rule()).isEqualTo(rule);
				assertThat(ex.frameType()).isEqualTo(type);
				assertThat(ex.offset()).isEqualTo(offset);
			});
	}

	private static void assertHandshakeRejected(byte[] message, Rule rule, int offset) {
		assertThatExceptionOfType(CryoFrameException.class)
			.isThrownBy(() -> LegacyCodec.decodeHandshake(ByteBuffer.wrap(message)))
			.satisfies((ex) -> {
				assertThat(ex.rule()).isEqualTo(rule);
				assertThat(ex.offset()).isEqualTo(offset);
			});
	}

	/** The legacy type byte of a model type (§3.1). */
	static int code(FrameType type) {
		return switch (type) {
			case ACK -> 0;
			case ERROR -> 1;
			case PING_PONG -> 2;
			case UTF8DATA -> 3;
			case BINARYDATA -> 4;
			default -> throw new IllegalArgumentException(type + " is not a legacy frame");
		};
	}

	/** An uncompressed point's shape: prefix 0x04 and 64 more bytes (not necessarily on the curve). */
	private static byte[] key() {
		byte[] key = new byte[LegacyCodec.PUBLIC_KEY_LENGTH];
		key[0] = 0x04;
		for (int i = 1; i < key.length; i++) {
			key[i] = (byte) i;
		}
		return key;
	}

}
