package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.frame.CryoFrameException.Rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Proves the codec against the reference codec's golden frames in {@code cryo-v1.json}: every
 * entry of every group runs as its own case, named exactly as in the file.
 */
class CryoV1VectorsTests {

	/** What each {@code invalid} entry must be rejected with, derived from its {@code reason}. */
	private static final Map<String, Rejection> REJECTIONS = Map.ofEntries(
			Map.entry("empty-message", new Rejection(Rule.TOO_SHORT, null, 0)),
			Map.entry("sid-only", new Rejection(Rule.TOO_SHORT, null, 8)),
			Map.entry("ack-truncated-12", new Rejection(Rule.TOO_SHORT, FrameType.ACK, 12)),
			Map.entry("type-only-9", new Rejection(Rule.TOO_SHORT, FrameType.ACK, 9)),
			Map.entry("endpoint_info-truncated-21", new Rejection(Rule.TOO_SHORT, FrameType.ENDPOINT_INFO, 21)),
			Map.entry("endpoint_info-truncated-17", new Rejection(Rule.TOO_SHORT, FrameType.ENDPOINT_INFO, 17)),
			Map.entry("ping_pong-truncated-16", new Rejection(Rule.TOO_SHORT, FrameType.PING_PONG, 16)),
			Map.entry("ping_pong-payload-pang",
					new Rejection(Rule.INVALID_PING_PONG_PAYLOAD, FrameType.PING_PONG, 13)),
			Map.entry("ping_pong-payload-uppercase",
					new Rejection(Rule.INVALID_PING_PONG_PAYLOAD, FrameType.PING_PONG, 13)),
			Map.entry("ping_pong-payload-trailing-byte", new Rejection(Rule.TOO_LONG, FrameType.PING_PONG, 17)),
			Map.entry("ping_pong-empty-payload", new Rejection(Rule.TOO_SHORT, FrameType.PING_PONG, 13)),
			Map.entry("unknown-type-0x06", new Rejection(Rule.UNKNOWN_TYPE, null, 8)),
			Map.entry("unknown-type-0x7f", new Rejection(Rule.UNKNOWN_TYPE, null, 8)),
			Map.entry("unknown-type-0xf8", new Rejection(Rule.UNKNOWN_TYPE, null, 8)),
			Map.entry("tx_start-truncated-16", new Rejection(Rule.TOO_SHORT, FrameType.TX_START, 16)),
			Map.entry("tx_chunk-truncated-12", new Rejection(Rule.TOO_SHORT, FrameType.TX_CHUNK, 12)),
			Map.entry("tx_finish-truncated-13", new Rejection(Rule.TOO_SHORT, FrameType.TX_FINISH, 13)),
			Map.entry("tx_flow-truncated-13", new Rejection(Rule.TOO_SHORT, FrameType.TX_FLOW, 13)),
			Map.entry("tx_flow-behaviour-2", new Rejection(Rule.INVALID_FLOW_BEHAVIOUR, FrameType.TX_FLOW, 13)),
			Map.entry("tx_pull-reference-fetch-25", new Rejection(Rule.TOO_SHORT, FrameType.TX_PULL, 25)),
			Map.entry("tx_pull-truncated-32", new Rejection(Rule.TOO_SHORT, FrameType.TX_PULL, 32)));

	/** {@code invalid} entries that are well-formed and rejected by the session, not the codec. */
	private static final Set<String> SESSION_LEVEL_INVALID = Set.of("tx_pull-start-greater-than-end");

	/** How each {@code lenient} entry must be accepted, from its {@code reason}. */
	private static final Map<String, Frame> LENIENT = Map.of(
			"utf8data-invalid-utf8", new Utf8DataFrame(SessionId.of(1), 5, Hex.buffer("68fffe69")),
			"ack-with-trailing-bytes", new AckFrame(SessionId.of(1), 5),
			"frame-with-foreign-sid", Utf8DataFrame.of(SessionId.of(-1L), 6, "x"),
			"bye-13-bytes", new ByeFrame(SessionId.of(1), 2, ""),
			"tx_flow-from-1.1.x-encoder", new TxFlowFrame(SessionId.of(1), 0x00010001, FlowBehaviour.PUSH));

	static Stream<Arguments> vectors() {
		return VectorFile.named(CryoV1Vectors.vectors());
	}

	static Stream<Arguments> invalid() {
		return VectorFile.named(CryoV1Vectors.invalid());
	}

	static Stream<Arguments> lenient() {
		return VectorFile.named(CryoV1Vectors.lenient());
	}

	static Stream<Arguments> referenceServerVariants() {
		return VectorFile.named(CryoV1Vectors.referenceServerVariants());
	}

	@ParameterizedTest(name = "{0}", quoteTextArguments = false)
	@MethodSource("vectors")
	@DisplayName("vectors")
	void vectorDecodesToItsFieldsAndEncodesBackByteForByte(String name, JsonNode vector) {
		String hex = vector.path("hex").stringValue();
		Frame expected = CryoV1Vectors.frameOf(vector.path("type").stringValue(), vector.path("fields"));
		Frame decoded = FrameCodec.decode(Hex.bytes(hex));
		assertThat(decoded).isEqualTo(expected);
		assertThat(decoded.type().name()).isEqualTo(vector.path("type").stringValue());
		assertThat(Hex.of(FrameCodec.encode(expected))).isEqualTo(hex);
		assertThat(FrameCodec.encodedLength(expected)).isEqualTo(hex.length() / 2);
		assertShownUnsigned(decoded, vector.path("fields"));
		if (vector.has("referenceHex")) {
			// What the reference codec emits instead still decodes, but to a different frame.
			Frame reference = FrameCodec.decode(Hex.bytes(vector.path("referenceHex").stringValue()));
			assertThat(reference).isNotEqualTo(expected);
			assertThat(reference.type()).isEqualTo(expected.type());
		}
		if (vector.has("referenceServerFetchHex")) {
			// The reference server's 25-byte chunk-index fetch is not a TX_PULL.
			assertRejected(vector.path("referenceServerFetchHex").stringValue(),
					new Rejection(Rule.TOO_SHORT, FrameType.TX_PULL, 25));
		}
	}

	@ParameterizedTest(name = "{0}", quoteTextArguments = false)
	@MethodSource("invalid")
	@DisplayName("invalid")
	void invalidEntryIsRejectedForTheGivenReason(String name, JsonNode entry) {
		String hex = entry.path("hex").stringValue();
		assertThat(hex.length() / 2).as("length field").isEqualTo(entry.path("length").asInt());
		if (SESSION_LEVEL_INVALID.contains(name)) {
			// "ack-then-error": the frame decodes (so it is ACKed) and carries an inverted range.
			assertThat(entry.path("expected").stringValue()).isEqualTo("ack-then-error");
			TxPullFrame pull = (TxPullFrame) FrameCodec.decode(Hex.bytes(hex));
			assertThat(pull.isOrderedRange()).isFalse();
			assertThat(pull.start()).isEqualTo(100);
			assertThat(pull.end()).isEqualTo(10);
			return;
		}
		assertThat(entry.path("expected").stringValue()).isEqualTo("reject");
		assertThat(REJECTIONS).as("expected rejection for %s", name).containsKey(name);
		assertRejected(hex, REJECTIONS.get(name));
	}

	@ParameterizedTest(name = "{0}", quoteTextArguments = false)
	@MethodSource("lenient")
	@DisplayName("lenient")
	void lenientEntryIsAcceptedAsDescribed(String name, JsonNode entry) {
		assertThat(LENIENT).as("expected frame for %s", name).containsKey(name);
		Frame decoded = FrameCodec.decode(Hex.bytes(entry.path("hex").stringValue()));
		assertThat(decoded).isEqualTo(LENIENT.get(name));
		if (entry.has("decodedPayload")) {
			assertThat(((Utf8DataFrame) decoded).text()).isEqualTo(entry.path("decodedPayload").stringValue());
		}
	}

	/**
	 * In a seed session (cryo-v1.md §10.5): a TX_START with size −1 is recognised by rule 3 and
	 * read in the 1.4 layout; every other 1.4 frame is misread as the seed layout says — the size
	 * becomes the first four name bytes, the seq four extra payload bytes, and the 25-byte
	 * chunk-index fetch is a truncated TX_PULL. TX_CANCEL is the same in both layouts. (How each
	 * variant reads in a cryo-protocol-1.4 session: {@link CryoProtocol14VectorsTests}.)
	 */
	@ParameterizedTest(name = "{0}", quoteTextArguments = false)
	@MethodSource("referenceServerVariants")
	@DisplayName("referenceServerVariants")
	void referenceServerVariantIsHandledAsSection10_5Says(String name, JsonNode variant) {
		String hex = variant.path("hex").stringValue();
		String type = variant.path("type").stringValue();
		JsonNode fields = variant.path("fields");
		SessionId sid = SessionId.of(VectorFile.u64(fields, "sid"));
		int ack = VectorFile.u32(fields, "ack");
		int txid = VectorFile.u32(fields, "txid");
		if (type.equals("TX_FETCH(1.4.2)")) {
			// A 25-byte chunk-index fetch is shorter than a 33-byte TX_PULL: malformed, dropped.
			assertRejected(hex, new Rejection(Rule.TOO_SHORT, FrameType.TX_PULL, 25));
			return;
		}
		// The bytes the seed layout reads as the name or payload: for TX_START and TX_CHUNK the
		// 1.4 size or seq followed by the 1.4 name or payload.
		byte[] misread = switch (type) {
			case "TX_START(1.4.2)" -> CryoV1Vectors.concat(CryoV1Vectors.int32(fields.path("size").asLong()),
					fields.path("name").stringValue().getBytes(StandardCharsets.UTF_8));
			case "TX_CHUNK(1.4.2)" -> CryoV1Vectors.concat(CryoV1Vectors.int32(fields.path("seq").asLong()),
					Hex.bytes(fields.path("payloadHex").stringValue()));
			case "TX_CANCEL(1.4.2)" -> new byte[0];
			default -> throw new IllegalStateException("no expectation for " + name);
		};
		boolean detected = type.equals("TX_START(1.4.2)") && fields.path("size").asLong() == -1;
		Frame expected = switch (type) {
			// §10.5 rule 3: FF FF FF FF cannot begin a UTF-8 name, so this is a 1.4 TX_START.
			case "TX_START(1.4.2)" -> detected ? CryoV1Vectors.cryoProtocol14FrameOf(type, fields)
					: new TxStartFrame(sid, ack, txid, new String(misread, StandardCharsets.UTF_8));
			case "TX_CHUNK(1.4.2)" -> new TxChunkFrame(sid, txid, ByteBuffer.wrap(misread));
			default -> new TxCancelFrame(sid, ack, txid);
		};
		Frame decoded = FrameCodec.decode(Hex.bytes(hex));
		assertThat(decoded).isEqualTo(expected);
		if (decoded instanceof TxStartFrame start) {
			assertThat(start.layout()).isEqualTo(detected ? TransactionLayout.CRYO_PROTOCOL_1_4 : TransactionLayout.SEED);
			assertThat(start.size()).isEqualTo(TxStartFrame.UNKNOWN_SIZE);
		}
		if (detected || CryoV1Vectors.isWellFormedUtf8(misread) || type.equals("TX_CHUNK(1.4.2)")) {
			// The detected TX_START keeps its layout and the misread bytes are carried as they are.
			assertThat(Hex.of(FrameCodec.encode(decoded))).isEqualTo(hex);
		}
		else {
			// A size such as 7F FF FF FF read as a name is invalid UTF-8 and decodes to U+FFFD.
			assertThat(Hex.of(FrameCodec.encode(decoded))).isNotEqualTo(hex);
			assertThat(FrameCodec.decode(FrameCodec.encode(decoded))).isEqualTo(decoded);
		}
	}

	@Test
	void referenceTranscriptFramesRoundTrip() {
		JsonNode transcript = CryoV1Vectors.referenceTranscript();
		SessionId sid = SessionId.of(Long.parseUnsignedLong(transcript.path("sid").stringValue()));
		JsonNode frames = transcript.path("frames");
		assertThat(frames.size()).isGreaterThan(0);
		for (int i = 0; i < frames.size(); i++) {
			String hex = frames.get(i).path("hex").stringValue();
			Frame frame = FrameCodec.decode(Hex.bytes(hex));
			assertThat(frame.sid()).isEqualTo(sid);
			assertThat(frame.type().name()).isEqualTo(frames.get(i).path("type").stringValue());
			assertThat(Hex.of(FrameCodec.encode(frame))).isEqualTo(hex);
		}
	}

	@Test
	void expectationTablesNameOnlyEntriesOfTheFile() {
		Set<String> invalidNames = names(CryoV1Vectors.invalid());
		assertThat(invalidNames).containsAll(REJECTIONS.keySet()).containsAll(SESSION_LEVEL_INVALID);
		assertThat(REJECTIONS.size() + SESSION_LEVEL_INVALID.size()).isEqualTo(invalidNames.size());
		assertThat(names(CryoV1Vectors.lenient())).isEqualTo(LENIENT.keySet());
		Set<String> vectorTypes = CryoV1Vectors.vectors().stream()
			.map((vector) -> vector.path("type").stringValue())
			.collect(Collectors.toSet());
		// Every frame type the codec sends has at least one golden vector (TX_CANCEL is receive-only
		// and covered by the reference-server variants).
		assertThat(vectorTypes).hasSize(FrameType.values().length - 1).doesNotContain("TX_CANCEL");
	}

	private static Set<String> names(List<JsonNode> entries) {
		return entries.stream().map((entry) -> entry.path("name").stringValue()).collect(Collectors.toSet());
	}

	private static void assertRejected(String hex, Rejection rejection) {
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> FrameCodec.decode(Hex.bytes(hex)))
			.satisfies((ex) -> {
				assertThat(ex.rule()).isEqualTo(rejection.rule());
				assertThat(ex.frameType()).isEqualTo(rejection.type());
				assertThat(ex.offset()).isEqualTo(rejection.offset());
				assertThat(ex.getMessage()).contains("rule " + rejection.rule(), "offset " + rejection.offset());
				if (rejection.type() != null) {
					assertThat(ex.getMessage()).contains(rejection.type().name());
				}
			});
	}

	private static void assertShownUnsigned(Frame frame, JsonNode fields) {
		String text = frame.toString();
		assertThat(text).startsWith(frame.type().name()).contains("sid=" + fields.path("sid").stringValue());
		for (String field : List.of("ack", "txid")) {
			if (fields.has(field)) {
				assertThat(text).contains(field + "=" + fields.path(field).asLong());
			}
		}
		if (fields.has("start")) {
			assertThat(text).contains("[" + fields.path("start").stringValue() + ", " + fields.path("end").stringValue() + ")");
		}
	}

	private record Rejection(Rule rule, @Nullable FrameType type, int offset) {
	}

}
