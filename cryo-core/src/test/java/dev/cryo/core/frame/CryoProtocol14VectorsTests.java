package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.CryoV1Codec;
import dev.cryo.core.frame.CryoFrameException.Rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The cryo-protocol 1.4 transaction layouts of the v1 codec (cryo-v1.md §10.5) against
 * {@code cryo-v1.json}: every {@code referenceServerVariants} entry read in a
 * cryo-protocol-1.4 session and written back byte for byte, and every {@code clientCaptures}
 * entry of cryo-client-node 1.3.0 (§16) read as the session that client gets reads it. Each entry
 * runs as its own case, named exactly as in the file. (How the variants read in a seed session:
 * {@link CryoV1VectorsTests}.)
 */
class CryoProtocol14VectorsTests {

	private static final CryoV1Codec CODEC = CryoV1Codec.INSTANCE;

	private static final TransactionLayout V14 = TransactionLayout.CRYO_PROTOCOL_1_4;

	static Stream<Arguments> referenceServerVariants() {
		return VectorFile.named(CryoV1Vectors.referenceServerVariants());
	}

	static Stream<Arguments> clientCaptures() {
		return VectorFile.named(CryoV1Vectors.clientCaptures());
	}

	@ParameterizedTest(name = "{0}", quoteTextArguments = false)
	@MethodSource("referenceServerVariants")
	@DisplayName("referenceServerVariants in a cryo-protocol-1.4 session")
	void referenceServerVariantDecodesToItsFieldsAndEncodesBackByteForByte(String name, JsonNode variant) {
		String hex = variant.path("hex").stringValue();
		String type = variant.path("type").stringValue();
		JsonNode fields = variant.path("fields");
		Frame expected = CryoV1Vectors.cryoProtocol14FrameOf(type, fields);
		Frame decoded = CODEC.decode(Hex.buffer(hex), V14);
		assertThat(decoded).isEqualTo(expected);
		assertFields(decoded, type, fields);
		assertThat(Hex.of(CODEC.encode(expected))).isEqualTo(hex);
		assertThat(Hex.of(CODEC.encode(decoded))).isEqualTo(hex);
		// The fixed part of the type in this layout plus the variable part is the whole message.
		int variable = 0;
		if (decoded instanceof TxStartFrame start) {
			variable = start.name().getBytes(StandardCharsets.UTF_8).length;
		}
		else if (decoded instanceof TxChunkFrame chunk) {
			variable = chunk.payloadLength();
		}
		assertThat(CODEC.fixedLength(decoded.type(), V14) + variable).isEqualTo(hex.length() / 2);
	}

	@ParameterizedTest(name = "{0}", quoteTextArguments = false)
	@MethodSource("clientCaptures")
	@DisplayName("clientCaptures")
	void clientCaptureDecodesAsSection16Says(String name, JsonNode capture) {
		String hex = capture.path("hex").stringValue();
		String type = capture.path("type").stringValue();
		JsonNode fields = capture.path("fields");
		assertThat(capture.path("client").stringValue()).isEqualTo("cryo-client-node 1.3.0");
		assertThat(capture.path("direction").stringValue()).isEqualTo("client->server");
		Frame expected = CryoV1Vectors.cryoProtocol14FrameOf(type, fields);
		// The client never sends ENDPOINT_INFO, so its session uses the 1.4 layout (§3 rule 9, §10.5 rule 1).
		Frame decoded = CODEC.decode(Hex.buffer(hex), V14);
		assertThat(decoded).isEqualTo(expected);
		assertThat(decoded.type().name()).isEqualTo(type.replace("(1.4)", ""));
		assertFields(decoded, type, fields);
		assertThat(Hex.of(CODEC.encode(decoded))).isEqualTo(hex);
		Frame inSeedSession = CODEC.decode(Hex.buffer(hex), TransactionLayout.SEED);
		if (type.equals("TX_CHUNK(1.4)")) {
			// A seed session would take the seq for four payload bytes: why the session switches.
			TxChunkFrame chunk = (TxChunkFrame) inSeedSession;
			assertThat(chunk.layout()).isEqualTo(TransactionLayout.SEED);
			assertThat(Hex.of(chunk.payload())).isEqualTo(hex.substring(26));
		}
		else {
			// TX_START of unknown size is detected by §10.5 rule 3; the other frames have one layout.
			assertThat(inSeedSession).isEqualTo(expected);
		}
	}

	@Test
	void clientsSmallUploadIsOneTransactionOfTenBytes() {
		List<JsonNode> upload = CryoV1Vectors.clientCaptures()
			.stream()
			.filter((capture) -> capture.path("name").stringValue().startsWith("cryo-client-node-1.3.0/small-upload-"))
			.toList();
		assertThat(upload).hasSize(5);
		List<Frame> frames = upload.stream()
			.map((capture) -> CODEC.decode(Hex.buffer(capture.path("hex").stringValue()), V14))
			.toList();
		TxStartFrame start = (TxStartFrame) frames.get(0);
		assertThat(start.hasSize()).isFalse();
		assertThat(start.effectiveName()).isEqualTo("up-push");
		ByteBuffer bytes = ByteBuffer.allocate(10);
		for (int i = 1; i <= 3; i++) {
			TxChunkFrame chunk = (TxChunkFrame) frames.get(i);
			assertThat(chunk.txid()).isEqualTo(start.txid());
			assertThat(chunk.position()).isEqualTo(i - 1);
			bytes.put(chunk.payload());
		}
		assertThat(new String(bytes.array(), StandardCharsets.US_ASCII)).isEqualTo("abcdefghij");
		assertThat(frames.get(4)).isEqualTo(new TxFinishFrame(start.sid(), 2, start.txid()));
	}

	@Test
	void baseFramesAndTheUnchangedTransactionFramesReadTheSameInBothLayouts() {
		Set<FrameType> changed = Set.of(FrameType.TX_START, FrameType.TX_CHUNK, FrameType.TX_PULL);
		List<JsonNode> vectors = CryoV1Vectors.vectors();
		Set<String> compared = vectors.stream()
			.filter((vector) -> !changed.contains(FrameType.valueOf(vector.path("type").stringValue())))
			.map((vector) -> {
				byte[] message = Hex.bytes(vector.path("hex").stringValue());
				assertThat(CODEC.decode(ByteBuffer.wrap(message), V14)).as(vector.path("name").stringValue())
					.isEqualTo(CODEC.decode(ByteBuffer.wrap(message), TransactionLayout.SEED));
				return vector.path("type").stringValue();
			})
			.collect(Collectors.toSet());
		assertThat(compared).hasSize(FrameType.values().length - changed.size() - 1).doesNotContain("TX_CANCEL");
	}

	@Test
	void seedTransactionFramesAreMisreadInTheCryoProtocol14Layout() {
		// §10.5: "a seed TX_START decoded as 1.4 loses the first 4 name bytes into the size, and a
		// seed chunk loses 4 payload bytes"; a 33-byte TX_PULL is no 0x04 frame of that layout.
		for (JsonNode vector : CryoV1Vectors.vectors()) {
			String name = vector.path("name").stringValue();
			byte[] message = Hex.bytes(vector.path("hex").stringValue());
			FrameType type = FrameType.valueOf(vector.path("type").stringValue());
			if (type == FrameType.TX_START && message.length >= 21) {
				TxStartFrame start = (TxStartFrame) CODEC.decode(ByteBuffer.wrap(message), V14);
				assertThat(start.layout()).as(name).isEqualTo(V14);
				assertThat(start.name()).as(name)
					.isEqualTo(new String(message, 21, message.length - 21, StandardCharsets.UTF_8));
			}
			else if (type == FrameType.TX_START) {
				assertRejected(message, new Rejection(Rule.TOO_SHORT, FrameType.TX_START, message.length));
			}
			else if (type == FrameType.TX_CHUNK && message.length >= 17) {
				TxChunkFrame chunk = (TxChunkFrame) CODEC.decode(ByteBuffer.wrap(message), V14);
				assertThat(chunk.position()).as(name).isEqualTo(Integer.toUnsignedLong(ByteBuffer.wrap(message).getInt(13)));
				assertThat(chunk.payloadLength()).as(name).isEqualTo(message.length - 17);
			}
			else if (type == FrameType.TX_PULL) {
				// "A 25-byte TX_FETCH is ACKed and nothing is sent; any other 0x04 frame is malformed."
				assertRejected(message, new Rejection(Rule.TOO_LONG, FrameType.TX_PULL, 25));
			}
		}
	}

	@Test
	void minimumLengthsAreThoseOfTheCryoProtocol14Layout() {
		assertThat(CODEC.fixedLength(FrameType.TX_START, V14)).isEqualTo(21);
		assertThat(CODEC.fixedLength(FrameType.TX_CHUNK, V14)).isEqualTo(17);
		assertThat(CODEC.fixedLength(FrameType.TX_PULL, V14)).isEqualTo(25);
		assertThat(CODEC.fixedLength(FrameType.TX_FINISH, V14)).isEqualTo(17);
		assertThat(CODEC.fixedLength(FrameType.TX_CANCEL, V14)).isEqualTo(17);
		assertThat(CODEC.fixedLength(FrameType.TX_START, TransactionLayout.SEED)).isEqualTo(17);
		assertThat(CODEC.fixedLength(FrameType.TX_PULL, TransactionLayout.SEED)).isEqualTo(33);
		// One byte short of each: malformed in this layout, with the offset where the message ends.
		for (String hex : List.of("0000000000000001000000000600000003ffffff", "00000000000000010100000002000000",
				"000000000000000104000000080000000100000000000000")) {
			byte[] message = Hex.bytes(hex);
			FrameType type = FrameType.fromCode(message[8]);
			assertRejected(message, new Rejection(Rule.TOO_SHORT, type, message.length));
		}
	}

	@Test
	void negativeSizesOtherThanMinusOneAreReadAsUnknown() {
		// The size is informational (§10.5): −1 is unknown, and no other negative value is a length.
		byte[] message = Hex.bytes("0000000000000001000000000300000001fffffffe78");
		TxStartFrame start = (TxStartFrame) CODEC.decode(ByteBuffer.wrap(message), V14);
		assertThat(start.size()).isEqualTo(TxStartFrame.UNKNOWN_SIZE);
		assertThat(start.hasSize()).isFalse();
		assertThat(start.name()).isEqualTo("x");
		assertThat(CODEC.decode(CODEC.encode(start), V14)).isEqualTo(start);
		message[17] = (byte) 0x80;
		assertThat(((TxStartFrame) CODEC.decode(ByteBuffer.wrap(message), V14)).size()).isEqualTo(TxStartFrame.UNKNOWN_SIZE);
	}

	@Test
	void sizesBeyondThirtyTwoBitsAreSentAsUnknown() {
		SessionId sid = SessionId.of(1);
		for (long size : new long[] { TxStartFrame.UNKNOWN_SIZE, 1L << 31, Long.MAX_VALUE }) {
			TxStartFrame start = new TxStartFrame(sid, 3, 1, "big", size, null, V14);
			assertThat(Hex.of(CODEC.encode(start))).isEqualTo("0000000000000001000000000300000001ffffffff626967");
		}
		TxStartFrame largest = new TxStartFrame(sid, 3, 1, "big", Integer.MAX_VALUE, null, V14);
		assertThat(CODEC.decode(CODEC.encode(largest), V14)).isEqualTo(largest);
	}

	@Test
	void sequenceNumbersAndChunkIndexesAreUnsigned() {
		SessionId sid = SessionId.of(1);
		TxChunkFrame chunk = new TxChunkFrame(sid, 2, ByteBuffer.allocate(0), 0xFFFF_FFFFL, V14);
		assertThat(Hex.of(CODEC.encode(chunk))).isEqualTo("00000000000000010100000002ffffffff");
		assertThat(((TxChunkFrame) CODEC.decode(CODEC.encode(chunk), V14)).position()).isEqualTo(4_294_967_295L);
		TxPullFrame fetch = new TxPullFrame(sid, 8, 1, 0x8000_0000L, 0xFFFF_FFFFL, V14);
		assertThat(Hex.of(CODEC.encode(fetch))).isEqualTo("0000000000000001040000000800000001" + "80000000" + "ffffffff");
		assertThat(CODEC.decode(CODEC.encode(fetch), V14)).isEqualTo(fetch);
	}

	@Test
	void campFramesCannotBeWrittenByTheV1Codec() {
		SessionId sid = SessionId.of(1);
		for (Frame frame : List.of(new TxStartFrame(sid, 1, 1, "x", 5, FlowBehaviour.PULL, TransactionLayout.CAMP),
				new TxChunkFrame(sid, 1, ByteBuffer.allocate(1), 0, TransactionLayout.CAMP),
				new TxPullFrame(sid, 1, 1, 0, 10, TransactionLayout.CAMP))) {
			assertThatIllegalArgumentException().as(frame.toString())
				.isThrownBy(() -> CODEC.encode(frame))
				.withMessageContaining("CAMP layout");
		}
	}

	@Test
	void everyVariantTypeAndEveryCapturedTypeIsCovered() {
		Set<String> variantTypes = CryoV1Vectors.referenceServerVariants()
			.stream()
			.map((variant) -> variant.path("type").stringValue())
			.collect(Collectors.toSet());
		assertThat(variantTypes).containsExactlyInAnyOrder("TX_START(1.4.2)", "TX_CHUNK(1.4.2)", "TX_FETCH(1.4.2)",
				"TX_CANCEL(1.4.2)");
		Set<String> capturedTypes = CryoV1Vectors.clientCaptures()
			.stream()
			.map((capture) -> capture.path("type").stringValue())
			.collect(Collectors.toSet());
		assertThat(capturedTypes).containsExactlyInAnyOrder("UTF8DATA", "ACK", "PING_PONG", "TX_START(1.4)",
				"TX_CHUNK(1.4)", "TX_FINISH");
	}

	/** Checks the layout-specific fields one by one, so a wrong equals could not hide them. */
	private static void assertFields(Frame decoded, String type, JsonNode fields) {
		if (decoded instanceof TxStartFrame start) {
			assertThat(start.layout()).isEqualTo(V14);
			assertThat(start.size()).isEqualTo(fields.path("size").asLong());
			assertThat(start.hasSize()).isEqualTo(fields.path("size").asLong() >= 0);
			assertThat(start.name()).isEqualTo(fields.path("name").stringValue());
			assertThat(start.behaviour()).isNull();
		}
		else if (decoded instanceof TxChunkFrame chunk) {
			assertThat(chunk.layout()).isEqualTo(V14);
			assertThat(chunk.position()).isEqualTo(fields.path("seq").asLong());
			assertThat(Hex.of(chunk.payload())).isEqualTo(fields.path("payloadHex").stringValue());
		}
		else if (decoded instanceof TxPullFrame fetch) {
			assertThat(fetch.layout()).isEqualTo(V14);
			assertThat(fetch.start()).isEqualTo(fields.path("startChunk").asLong());
			assertThat(fetch.end()).isEqualTo(fields.path("endChunk").asLong());
			assertThat(fetch.toString()).contains("[" + fetch.start() + ", " + fetch.end() + ")");
		}
		else {
			// Apart from the three above only TX_CANCEL carries a layout suffix in the file.
			assertThat(CryoV1Vectors.isCryoProtocol14(type)).as(type).isEqualTo(decoded.type() == FrameType.TX_CANCEL);
		}
		assertThat(decoded.sid()).isEqualTo(SessionId.of(VectorFile.u64(fields, "sid")));
	}

	private static void assertRejected(byte[] message, Rejection expected) {
		assertThatExceptionOfType(CryoFrameException.class)
			.as(Hex.of(message))
			.isThrownBy(() -> CODEC.decode(ByteBuffer.wrap(Arrays.copyOf(message, message.length)), V14))
			.satisfies((ex) -> {
				assertThat(ex.rule()).isEqualTo(expected.rule());
				assertThat(ex.frameType()).isEqualTo(expected.type());
				assertThat(ex.offset()).isEqualTo(expected.offset());
			});
	}

	private record Rejection(Rule rule, @Nullable FrameType type, int offset) {
	}

}
