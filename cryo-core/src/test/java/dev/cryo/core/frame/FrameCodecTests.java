package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.CryoV1Codec;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.frame.CryoFrameException.Rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Codec rules the vectors do not reach: the payload limit, payload views, byte order and buffer
 * positions, and the diagnostics of the exception.
 */
class FrameCodecTests {

	@Test
	void payloadOfExactlySixteenMebibytesIsAccepted() {
		byte[] message = message(FrameType.BINARYDATA, 13, FrameCodec.MAX_PAYLOAD);
		BinaryDataFrame frame = (BinaryDataFrame) FrameCodec.decode(message);
		assertThat(frame.payloadLength()).isEqualTo(FrameCodec.MAX_PAYLOAD);
	}

	/**
	 * §4.4 and §9: the largest legal message is a TX_START with a 16 MiB name, 16 777 233 bytes in
	 * the seed layout and 16 777 237 bytes in the cryo-protocol 1.4 layout (a 4-byte size before
	 * the name). The codec's limit is the larger of the two; a 1.4 TX_START of unknown size that
	 * long is recognised in a seed session too (§10.5 rule 3).
	 */
	@Test
	void largestLegalMessageIsATxStartWithSixteenMebibyteName() {
		assertThat(FrameCodec.MAX_MESSAGE_LENGTH).isEqualTo(CryoV1Codec.MAX_MESSAGE_LENGTH)
			.isEqualTo(CryoV1Codec.INSTANCE.maxMessageLength())
			.isEqualTo(16_777_237);
		byte[] seed = message(FrameType.TX_START, 17, FrameCodec.MAX_PAYLOAD);
		Arrays.fill(seed, 17, seed.length, (byte) 'n');
		assertThat(seed.length).isEqualTo(16_777_233);
		TxStartFrame seedStart = (TxStartFrame) FrameCodec.decode(seed);
		assertThat(seedStart.layout()).isEqualTo(TransactionLayout.SEED);
		assertThat(seedStart.name().length()).isEqualTo(FrameCodec.MAX_PAYLOAD);
		assertThat(FrameCodec.encodedLength(seedStart)).isEqualTo(16_777_233);
		byte[] v14 = v14Start(TxStartFrame.UNKNOWN_SIZE, FrameCodec.MAX_PAYLOAD);
		assertThat(v14.length).isEqualTo(FrameCodec.MAX_MESSAGE_LENGTH);
		for (TransactionLayout session : List.of(TransactionLayout.CRYO_PROTOCOL_1_4, TransactionLayout.SEED)) {
			TxStartFrame start = (TxStartFrame) CryoV1Codec.INSTANCE.decode(ByteBuffer.wrap(v14), session);
			assertThat(start.layout()).as(session.name()).isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4);
			assertThat(start.hasSize()).isFalse();
			assertThat(start.name().length()).isEqualTo(FrameCodec.MAX_PAYLOAD);
			assertThat(FrameCodec.encodedLength(start)).isEqualTo(FrameCodec.MAX_MESSAGE_LENGTH);
		}
		// With a size it is as long, but only a cryo-protocol-1.4 session reads it so.
		byte[] sized = v14Start(4096, FrameCodec.MAX_PAYLOAD);
		TxStartFrame start = (TxStartFrame) CryoV1Codec.INSTANCE.decode(ByteBuffer.wrap(sized),
				TransactionLayout.CRYO_PROTOCOL_1_4);
		assertThat(start.size()).isEqualTo(4096);
		assertThat(FrameCodec.encodedLength(start)).isEqualTo(FrameCodec.MAX_MESSAGE_LENGTH);
		assertOversized(sized, TransactionLayout.SEED, FrameType.TX_START, 17);
	}

	@Test
	void oneNameByteMoreIsOversizedInEitherLayout() {
		byte[] seed = message(FrameType.TX_START, 17, FrameCodec.MAX_PAYLOAD + 1);
		Arrays.fill(seed, 17, seed.length, (byte) 'n');
		assertOversized(seed, TransactionLayout.SEED, FrameType.TX_START, 17);
		byte[] v14 = v14Start(TxStartFrame.UNKNOWN_SIZE, FrameCodec.MAX_PAYLOAD + 1);
		assertThat(v14.length).isEqualTo(FrameCodec.MAX_MESSAGE_LENGTH + 1);
		assertOversized(v14, TransactionLayout.SEED, FrameType.TX_START, 21);
		assertOversized(v14, TransactionLayout.CRYO_PROTOCOL_1_4, FrameType.TX_START, 21);
	}

	@Test
	void largestChunkCarriesSixteenMebibytesInEitherLayout() {
		byte[] seed = message(FrameType.TX_CHUNK, 13, FrameCodec.MAX_PAYLOAD);
		assertThat(((TxChunkFrame) FrameCodec.decode(seed)).payloadLength()).isEqualTo(FrameCodec.MAX_PAYLOAD);
		byte[] v14 = message(FrameType.TX_CHUNK, 17, FrameCodec.MAX_PAYLOAD);
		TxChunkFrame chunk = (TxChunkFrame) CryoV1Codec.INSTANCE.decode(ByteBuffer.wrap(v14),
				TransactionLayout.CRYO_PROTOCOL_1_4);
		assertThat(chunk.payloadLength()).isEqualTo(FrameCodec.MAX_PAYLOAD);
		assertThat(FrameCodec.encodedLength(chunk)).isEqualTo(17 + FrameCodec.MAX_PAYLOAD);
		assertOversized(message(FrameType.TX_CHUNK, 17, FrameCodec.MAX_PAYLOAD + 1), TransactionLayout.CRYO_PROTOCOL_1_4,
				FrameType.TX_CHUNK, 17);
	}

	/**
	 * A chunk encoded in place (its payload read into the message after room for the header) is
	 * the same message as one encoded with a copy, in both Cryo v1 layouts; a message without the
	 * right room is refused rather than sent with a broken header.
	 */
	@Test
	void chunkEncodedInPlaceIsTheSameMessageAsOneEncodedWithACopy() {
		byte[] payload = "chunk bytes".getBytes(StandardCharsets.US_ASCII);
		for (TransactionLayout layout : List.of(TransactionLayout.SEED, TransactionLayout.CRYO_PROTOCOL_1_4)) {
			int room = CryoV1Codec.INSTANCE.fixedLength(FrameType.TX_CHUNK, layout);
			assertThat(room).as(layout.name()).isEqualTo((layout == TransactionLayout.SEED) ? 13 : 17);
			ByteBuffer message = ByteBuffer.allocate(room + payload.length);
			message.put(room, payload);
			TxChunkFrame chunk = new TxChunkFrame(SessionId.of(0x0102030405060708L), 0xCAFEBABE,
					message.slice(room, payload.length), (layout == TransactionLayout.SEED) ? 0 : 41, layout);
			ByteBuffer inPlace = CryoV1Codec.INSTANCE.encodeChunkInPlace(chunk, message);
			assertThat(inPlace).as(layout.name()).isSameAs(message).isEqualTo(CryoV1Codec.INSTANCE.encode(chunk, chunk.txid()));
			assertThat(CryoV1Codec.INSTANCE.decode(inPlace, layout)).isEqualTo(chunk);
			ByteBuffer tooLittleRoom = ByteBuffer.allocate(room - 1 + payload.length);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> CryoV1Codec.INSTANCE.encodeChunkInPlace(chunk, tooLittleRoom))
				.withMessageContaining("needs " + room + " bytes of room");
		}
	}

	@Test
	void variablePartOverSixteenMebibytesIsOversizedNotMalformed() {
		// A 16 777 230-byte UTF8DATA is a legal message size whose payload is too large (§9).
		byte[] message = message(FrameType.UTF8DATA, 13, FrameCodec.MAX_PAYLOAD + 1);
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> FrameCodec.decode(message))
			.satisfies((ex) -> {
				assertThat(ex.rule()).isEqualTo(Rule.PAYLOAD_TOO_LARGE);
				assertThat(ex.rule().isMalformed()).isFalse();
				assertThat(ex.frameType()).isEqualTo(FrameType.UTF8DATA);
				assertThat(ex.offset()).isEqualTo(13);
				assertThat(ex.getMessage()).startsWith("oversized frame: UTF8DATA");
			});
	}

	@Test
	void everyVariableFieldIsLimited() {
		for (FrameType type : EnumSet.of(FrameType.BYE, FrameType.ERROR, FrameType.UTF8DATA, FrameType.BINARYDATA,
				FrameType.TX_CHUNK, FrameType.TX_START)) {
			int offset = (type == FrameType.TX_START) ? 17 : 13;
			byte[] message = message(type, offset, FrameCodec.MAX_PAYLOAD + 1);
			assertThatExceptionOfType(CryoFrameException.class).as(type.name())
				.isThrownBy(() -> FrameCodec.decode(message))
				.satisfies((ex) -> assertThat(ex.rule()).isEqualTo(Rule.PAYLOAD_TOO_LARGE));
		}
	}

	@Test
	void oversizedFramesCannotBeBuilt() {
		ByteBuffer tooBig = ByteBuffer.allocate(FrameCodec.MAX_PAYLOAD + 1);
		String tooLongText = "é".repeat(FrameCodec.MAX_PAYLOAD / 2 + 1);
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> new BinaryDataFrame(SessionId.of(1), 1, tooBig));
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> new TxChunkFrame(SessionId.of(1), 1, tooBig));
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> new Utf8DataFrame(SessionId.of(1), 1, tooBig));
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> Utf8DataFrame.of(SessionId.of(1), 1, tooLongText));
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> new ErrorFrame(SessionId.of(1), 1, tooLongText));
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> new ByeFrame(SessionId.of(1), 1, tooLongText));
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> new TxStartFrame(SessionId.of(1), 1, 1, tooLongText))
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo(17));
		// Exactly 16 MiB of two-byte characters is still fine.
		assertThat(FrameCodec.encodedLength(new ErrorFrame(SessionId.of(1), 1, "é".repeat(FrameCodec.MAX_PAYLOAD / 2))))
			.isEqualTo(13 + FrameCodec.MAX_PAYLOAD);
	}

	@Test
	void decodedPayloadIsAReadOnlyViewOfTheMessage() {
		byte[] message = Hex.bytes("0000000000000001f90000000100017f80feffdeadbeef");
		BinaryDataFrame frame = (BinaryDataFrame) FrameCodec.decode(message);
		ByteBuffer payload = frame.payload();
		assertThat(payload.isReadOnly()).isTrue();
		assertThatExceptionOfType(ReadOnlyBufferException.class).isThrownBy(() -> payload.put(0, (byte) 1));
		// A view, not a copy: the frame sees what happens to the message buffer.
		message[13] = 0x55;
		assertThat(frame.payload().get(0)).isEqualTo((byte) 0x55);
	}

	@Test
	void payloadViewsHaveIndependentPositions() {
		Utf8DataFrame frame = Utf8DataFrame.of(SessionId.of(1), 1, "hello");
		ByteBuffer first = frame.payload();
		first.get(new byte[3]);
		assertThat(frame.payload().remaining()).isEqualTo(5);
		assertThat(frame.text()).isEqualTo("hello");
		assertThat(Hex.of(FrameCodec.encode(frame))).isEqualTo("0000000000000001fa0000000168656c6c6f");
	}

	@Test
	void decodeLeavesTheMessageBufferUntouchedAndReadsFromItsPosition() {
		ByteBuffer buffer = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
		buffer.position(7);
		buffer.put(Hex.bytes("ffffffffffffffff04ffffffffffffffff00000001000000058000000000000000"));
		buffer.flip().position(7);
		TxPullFrame frame = (TxPullFrame) FrameCodec.decode(buffer);
		assertThat(buffer.position()).isEqualTo(7);
		assertThat(buffer.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
		assertThat(frame.start()).isEqualTo(4294967301L);
		assertThat(Long.toUnsignedString(frame.end())).isEqualTo("9223372036854775808");
	}

	@Test
	void encodeWritesNetworkOrderIntoALittleEndianBuffer() {
		EndpointInfoFrame frame = new EndpointInfoFrame(SessionId.of(1234567890123456789L), 7, 2, -1L);
		ByteBuffer target = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
		target.put((byte) 0x42);
		FrameCodec.encodeTo(frame, target);
		assertThat(target.position()).isEqualTo(26);
		assertThat(target.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
		assertThat(Hex.of(target.flip().position(1))).isEqualTo("112210f47de98115ff0000000700000002ffffffffffffffff");
	}

	@Test
	void sidIsReadAsANumericSessionIdAndWrittenBack() {
		byte[] message = message(FrameType.ACK, 13, 0);
		ByteBuffer.wrap(message).putLong(0, 0xFFFF_FFFF_FFFF_FFFEL);
		Frame frame = FrameCodec.decode(message);
		assertThat(frame.sid()).isEqualTo(SessionId.of(0xFFFF_FFFF_FFFF_FFFEL));
		assertThat(frame).hasToString("ACK[sid=18446744073709551614, ack=0]");
		assertThat(FrameCodec.encode(frame).getLong(0)).isEqualTo(0xFFFF_FFFF_FFFF_FFFEL);
	}

	@Test
	void uuidSidCannotBeEncodedInCryoV1() {
		UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
		AckFrame frame = new AckFrame(SessionId.of(uuid), 1);
		assertThat(frame).hasToString("ACK[sid=123e4567-e89b-12d3-a456-426614174000, ack=1]");
		assertThatIllegalArgumentException().isThrownBy(() -> FrameCodec.encode(frame))
			.withMessageContaining("numeric session ids only")
			.withMessageContaining(uuid.toString());
	}

	@Test
	void directBuffersDecodeLikeHeapBuffers() {
		byte[] bytes = Hex.bytes("8000000000000000fa7fffffff68c3a96c6c6f20e29c9320f09f9a80");
		ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
		Utf8DataFrame frame = (Utf8DataFrame) FrameCodec.decode(direct);
		assertThat(frame.text()).isEqualTo("héllo ✓ 🚀");
		assertThat(frame).isEqualTo(FrameCodec.decode(bytes));
	}

	@Test
	void peerMessageNamesTheProblemWithoutInternals() {
		assertThatExceptionOfType(CryoFrameException.class)
			.isThrownBy(() -> FrameCodec.decode(Hex.bytes("00000000000000017700000003")))
			.satisfies((ex) -> {
				assertThat(ex.peerMessage()).isEqualTo("malformed frame: unknown type 0x77");
				assertThat(ex.getMessage()).isEqualTo("malformed frame: unknown type 0x77 (rule UNKNOWN_TYPE, offset 8)");
			});
		assertThatExceptionOfType(CryoFrameException.class)
			.isThrownBy(() -> FrameCodec.decode(Hex.bytes("0000000000000001fb0000000170616e67")))
			.satisfies((ex) -> assertThat(ex.peerMessage())
				.isEqualTo("malformed frame: PING_PONG payload must be \"ping\" or \"pong\""));
	}

	@Test
	void exactlyThirteenTypeCodesAreAssigned() {
		int assigned = 0;
		for (int code = 0; code < 256; code++) {
			FrameType type = FrameType.fromCode(code);
			if (type != null) {
				assertThat(type.code()).isEqualTo(code);
				assigned++;
			}
		}
		assertThat(assigned).isEqualTo(13);
		assertThat(FrameType.fromCode((byte) 0xFF)).isEqualTo(FrameType.ENDPOINT_INFO);
	}

	@Test
	void trackedTypesAreThoseOfSection6_2() {
		Set<FrameType> untracked = EnumSet.of(FrameType.ACK, FrameType.PING_PONG, FrameType.TX_CHUNK);
		for (FrameType type : FrameType.values()) {
			assertThat(type.isTracked()).as(type.name()).isEqualTo(!untracked.contains(type));
		}
	}

	@Test
	void emptyTransactionNameMeansAnonymous() {
		assertThat(new TxStartFrame(SessionId.of(0), 0, 0, "").effectiveName()).isEqualTo("anonymous");
		assertThat(new TxStartFrame(SessionId.of(0), 0, 0, "report.pdf").effectiveName()).isEqualTo("report.pdf");
	}

	@Test
	void featureFlagsAreTestedOnTheAnnouncedBits() {
		assertThat(new EndpointInfoFrame(SessionId.of(0), 0, 1, 1).hasFeature(EndpointInfoFrame.FEATURE_TRANSACTIONS)).isTrue();
		assertThat(new EndpointInfoFrame(SessionId.of(0), 0, 1, 0).hasFeature(EndpointInfoFrame.FEATURE_TRANSACTIONS)).isFalse();
		assertThat(new EndpointInfoFrame(SessionId.of(0), 0, 1, -2L).hasFeature(EndpointInfoFrame.FEATURE_TRANSACTIONS)).isFalse();
	}

	@Test
	void unpairedSurrogatesAreSizedAsTheQuestionMarkTheyBecome() {
		String text = "a\uD800b\uDC00c\uD83D\uDE80";
		ErrorFrame frame = new ErrorFrame(SessionId.of(0), 0, text);
		ByteBuffer encoded = FrameCodec.encode(frame);
		assertThat(encoded.remaining()).isEqualTo(FrameCodec.encodedLength(frame))
			.isEqualTo(13 + text.getBytes(StandardCharsets.UTF_8).length);
		assertThat(((ErrorFrame) FrameCodec.decode(encoded)).message()).isEqualTo("a?b?c\uD83D\uDE80");
	}

	/** A cryo-protocol 1.4 TX_START with the given size field and a name of {@code nameLength} letters. */
	private static byte[] v14Start(long size, int nameLength) {
		byte[] message = message(FrameType.TX_START, 21, nameLength);
		ByteBuffer.wrap(message).putInt(17, (int) size);
		Arrays.fill(message, 21, message.length, (byte) 'n');
		return message;
	}

	private static void assertOversized(byte[] message, TransactionLayout session, FrameType type, int offset) {
		assertThatExceptionOfType(CryoFrameException.class).as("%d bytes in %s", message.length, session)
			.isThrownBy(() -> CryoV1Codec.INSTANCE.decode(ByteBuffer.wrap(message), session))
			.satisfies((ex) -> {
				assertThat(ex.rule()).isEqualTo(Rule.PAYLOAD_TOO_LARGE);
				assertThat(ex.frameType()).isEqualTo(type);
				assertThat(ex.offset()).isEqualTo(offset);
			});
	}

	/** A message of the given type whose variable part, starting at {@code offset}, has {@code size} zero bytes. */
	private static byte[] message(FrameType type, int offset, int size) {
		byte[] message = new byte[offset + size];
		message[7] = 1;
		message[8] = (byte) type.code();
		return message;
	}

}
