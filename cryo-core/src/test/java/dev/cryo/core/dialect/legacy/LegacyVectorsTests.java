package dev.cryo.core.dialect.legacy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.CryoFrameException.Rule;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.Hex;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.core.frame.VectorFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Proves {@link LegacyCodec} against the published clients' formatter, the frames they put on the
 * wire and the messages that must be refused, from {@code legacy-v0.json}: every entry of every
 * group this codec reads runs as its own case, named exactly as in the file. The encrypted
 * captures ({@code CALE(...)}) and the key material belong to the CALE layer's tests.
 */
class LegacyVectorsTests {

	private static final LegacyCodec CODEC = LegacyCodec.INSTANCE;

	/** The version-4 UUID of legacy-v0.md §3 that most vectors use. */
	private static final SessionId EXAMPLE_SID = SessionId.of(UUID.fromString("123e4567-e89b-42d3-a456-426614174000"));

	/**
	 * What each {@code invalid} entry is refused with: by {@link LegacyCodec#decode} and by
	 * {@link LegacyCodec#decodeHandshake}, where {@code null} means the handshake reader accepts
	 * the bytes and the refusal is the CALE layer's.
	 */
	private static final Map<String, Rejection> REJECTIONS = Map.of(
			"shorter-than-21", new Rejection(Rule.TOO_SHORT, null, 20, Rule.TOO_SHORT),
			"type-8", new Rejection(Rule.UNKNOWN_TYPE, null, 20, Rule.UNKNOWN_TYPE),
			"ping-payload-pang", new Rejection(Rule.INVALID_PING_PONG_PAYLOAD, FrameType.PING_PONG, 21, Rule.UNKNOWN_TYPE),
			// Handshake frames never reach the frame codec (§10.5); the hello's length is the handshake reader's rule.
			"server_hello-64-byte-key", new Rejection(Rule.HANDSHAKE_OUTSIDE_CALE, null, 20, Rule.TOO_SHORT),
			// 86 bytes with prefix 0x04: well-formed to the codec, but no point on P-256, which only
			// ECDH in the CALE layer finds out (close 4011, §10.3 rule 2).
			"client_hello-not-on-curve", new Rejection(Rule.HANDSHAKE_OUTSIDE_CALE, null, 20, null));

	/**
	 * What our decoder makes of the layout-B frames of §3.2 (type at 16, ack at 17), which a
	 * layout-B client sends after being selected as legacy v0 by its UUID (§10.1 rule 5): the type
	 * is read from the ack's low byte and the ack from the layout-B type and ack bytes, so each
	 * either is refused or decodes to a frame that is not the one the client meant.
	 */
	private static final Map<String, Outcome> LEGACY_B = Map.of(
			// 00 | 00 00 00 01: "ack 0", type 1, an empty ERROR.
			"legacyB/ack", Outcome.of(new ErrorFrame(EXAMPLE_SID, 0, "")),
			// 03 | 00 00 00 02 | "hello": type 2 of 26 bytes, a PING_PONG too long.
			"legacyB/utf8data", Outcome.refused(Rule.TOO_LONG),
			// 05 | 00 00 00 03 | txid 0 | "anonymous": a UTF8DATA with ack 0x05000000.
			"legacyB/tx_start", Outcome.of(new Utf8DataFrame(EXAMPLE_SID, 0x05000000,
					ByteBuffer.wrap(Hex.bytes("00000000616e6f6e796d6f7573")))),
			// 06 | 00 00 00 00 | 01 02 03: an ACK with ack 0x06000000 and three ignored bytes.
			"legacyB/tx_chunk", Outcome.of(new AckFrame(EXAMPLE_SID, 0x06000000)));

	static Stream<Arguments> vectors() {
		return VectorFile.named(LegacyVectors.vectors());
	}

	static Stream<Arguments> invalid() {
		return VectorFile.named(LegacyVectors.invalid());
	}

	static Stream<Arguments> legacyB() {
		return VectorFile.named(LegacyVectors.legacyB());
	}

	static Stream<Arguments> clientCaptures() {
		return VectorFile.named(LegacyVectors.plaintextCaptures());
	}

	static Stream<Arguments> caleHandshake() {
		return LegacyVectors.caleHandshake()
			.stream()
			.map((entry) -> Arguments.of(entry.path("step").asInt() + " " + entry.path("type").stringValue(), entry));
	}

	@ParameterizedTest(name = "{0}", quoteTextArguments = false)
	@MethodSource("vectors")
	@DisplayName("vectors")
	void vectorDecodesToItsFieldsAndEncodesBackByteForByte(String name, JsonNode vector) {
		String hex = vector.path("hex").stringValue();
		String type = vector.path("type").stringValue();
		JsonNode fields = vector.path("fields");
		Frame expected = LegacyVectors.frameOf(type, fields);
		Frame decoded = CODEC.decode(Hex.buffer(hex));
		assertThat(decoded).isEqualTo(expected);
		assertThat(decoded.type()).isEqualTo(FrameType.valueOf(type));
		assertThat(decoded.sid()).isEqualTo(LegacyVectors.sid(fields));
		assertThat(decoded.sid().toString()).isEqualTo(fields.path("sid").stringValue());
		assertThat(Integer.toUnsignedLong(Frame.headerNumber(decoded))).isEqualTo(fields.path("ack").asLong());
		ByteBuffer encoded = CODEC.encode(expected, Frame.headerNumber(expected));
		assertThat(Hex.of(encoded)).isEqualTo(hex);
		assertThat(CODEC.peekType(encoded)).isEqualTo(decoded.type());
		assertThat(LegacyCodec.handshakeType(encoded)).isNull();
		assertThat(Hex.of(CODEC.encode(decoded, Frame.headerNumber(decoded)))).isEqualTo(hex);
		// Where the clients' formatters deviate (null for empty text, multi-byte text cut to its
		// UTF-16 length), their bytes are decoded as received: same type, sid and ack, and the
		// payload exactly as sent, which is not the text the vector encodes.
		for (String deviation : List.of("referenceHex", "browserReferenceHex")) {
			if (vector.has(deviation)) {
				byte[] reference = Hex.bytes(vector.path(deviation).stringValue());
				Frame asReceived = CODEC.decode(ByteBuffer.wrap(reference));
				assertThat(asReceived.type()).isEqualTo(expected.type());
				assertThat(asReceived.sid()).isEqualTo(expected.sid());
				assertThat(Frame.headerNumber(asReceived)).isEqualTo(Frame.headerNumber(expected));
				assertThat(asReceived).isNotEqualTo(expected);
				assertThat(Hex.of(((Utf8DataFrame) asReceived).payload()))
					.isEqualTo(Hex.of(Arrays.copyOfRange(reference, 21, reference.length)));
				assertThat(Hex.of(CODEC.encode(asReceived))).isEqualTo(vector.path(deviation).stringValue());
			}
		}
		if (vector.has("browserClient")) {
			// The browser client sends nothing for this frame; there are no bytes to decode.
			assertThat(vector.path("browserClient").stringValue()).startsWith("throws");
		}
	}

	@Test
	void clientsDeviationsReachTheApplicationAsSent() {
		Map<String, String> texts = LegacyVectors.vectors()
			.stream()
			.filter((vector) -> vector.has("referenceHex"))
			.collect(Collectors.toMap((vector) -> vector.path("name").stringValue(),
					(vector) -> ((Utf8DataFrame) CODEC.decode(Hex.buffer(vector.path("referenceHex").stringValue())))
						.text()));
		// §3.1: empty text goes out as "null", "héllo ✓ 🚀" (15 bytes, 10 units) as its first 10 bytes.
		assertThat(texts).containsExactlyInAnyOrderEntriesOf(
				Map.of("utf8data/zero-ack0-empty", "null", "utf8data/v4-ack2-multibyte", "héllo ✓"));
	}

	@ParameterizedTest(name = "{0}", quoteTextArguments = false)
	@MethodSource("invalid")
	@DisplayName("invalid")
	void invalidEntryIsRejectedForTheGivenReason(String name, JsonNode entry) {
		byte[] message = Hex.bytes(entry.path("hex").stringValue());
		assertThat(message.length).as("length field").isEqualTo(entry.path("length").asInt());
		assertThat(entry.path("expected").stringValue()).isEqualTo("reject");
		assertThat(REJECTIONS).as("expected rejection for %s", name).containsKey(name);
		Rejection rejection = REJECTIONS.get(name);
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> CODEC.decode(ByteBuffer.wrap(message)))
			.satisfies((ex) -> {
				assertThat(ex.rule()).isEqualTo(rejection.rule());
				assertThat(ex.frameType()).isEqualTo(rejection.type());
				assertThat(ex.offset()).isEqualTo(rejection.offset());
				assertThat(ex.getMessage()).contains("rule " + rejection.rule(), "offset " + rejection.offset());
				// Every one of them is malformed (dropped and counted, §10.5), none over the limit.
				assertThat(ex.rule().isMalformed()).isTrue();
			});
		boolean handshake = rejection.rule() == Rule.HANDSHAKE_OUTSIDE_CALE;
		assertThat(LegacyCodec.handshakeType(ByteBuffer.wrap(message)) != null).isEqualTo(handshake);
		if (rejection.handshakeRule() != null) {
			assertThatExceptionOfType(CryoFrameException.class)
				.isThrownBy(() -> LegacyCodec.decodeHandshake(ByteBuffer.wrap(message)))
				.satisfies((ex) -> assertThat(ex.rule()).isEqualTo(rejection.handshakeRule()));
		}
		else {
			LegacyHandshakeFrame hello = LegacyCodec.decodeHandshake(ByteBuffer.wrap(message));
			assertThat(hello.type()).isEqualTo(LegacyHandshake.CLIENT_HELLO);
			assertThat(hello.payloadBytes()).hasSize(LegacyCodec.PUBLIC_KEY_LENGTH).startsWith(0x04);
		}
	}

	@ParameterizedTest(name = "{0}", quoteTextArguments = false)
	@MethodSource("legacyB")
	@DisplayName("legacyB")
	void layoutBFrameIsRefusedOrRecognisablyGarbage(String name, JsonNode entry) {
		byte[] message = Hex.bytes(entry.path("hex").stringValue());
		assertThat(LEGACY_B).as("expected outcome for %s", name).containsKey(name);
		Outcome outcome = LEGACY_B.get(name);
		// Layout B puts its type where v0 has the ack's high byte.
		assertThat(message[16] & 0xFF).isEqualTo(layoutBCode(entry.path("type").stringValue()));
		if (outcome.frame() != null) {
			Frame decoded = CODEC.decode(ByteBuffer.wrap(message));
			assertThat(decoded).isEqualTo(outcome.frame());
			String meant = entry.path("type").stringValue();
			boolean sameType = meant.equals(decoded.type().name());
			boolean sameAck = Integer.toUnsignedLong(Frame.headerNumber(decoded)) == entry.path("fields").path("ack").asLong();
			assertThat(sameType && sameAck).as("%s must not decode to what the client meant", name).isFalse();
		}
		else {
			assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> CODEC.decode(ByteBuffer.wrap(message)))
				.satisfies((ex) -> assertThat(ex.rule()).isEqualTo(outcome.rule()));
		}
	}

	/** Layout B's type codes (§3.2): the base frames as in v0, TX_START 5, TX_CHUNK 6, TX_FINISH 7. */
	private static int layoutBCode(String type) {
		return switch (type) {
			case "ACK" -> 0;
			case "UTF8DATA" -> 3;
			case "TX_START" -> 5;
			case "TX_CHUNK" -> 6;
			default -> throw new IllegalStateException("no layout-B entry of type " + type);
		};
	}

	@ParameterizedTest(name = "{0}", quoteTextArguments = false)
	@MethodSource("clientCaptures")
	@DisplayName("clientCaptures")
	void plaintextCaptureDecodesToItsFields(String name, JsonNode capture) {
		String hex = capture.path("hex").stringValue();
		String type = capture.path("type").stringValue();
		JsonNode fields = capture.path("fields");
		if (LegacyVectors.isHandshake(type)) {
			LegacyHandshakeFrame expected = LegacyVectors.handshakeOf(type, fields);
			LegacyHandshakeFrame decoded = LegacyCodec.decodeHandshake(Hex.buffer(hex));
			assertThat(decoded).isEqualTo(expected);
			assertThat(LegacyCodec.handshakeType(Hex.buffer(hex))).isEqualTo(expected.type());
			assertThat(Hex.of(LegacyCodec.encodeHandshake(decoded.type(), decoded.sid(), decoded.ack(),
					decoded.payloadBytes()))).isEqualTo(hex);
			assertThat(LegacyCodec.readHandshakePayload(Hex.buffer(hex))).isEqualTo(LegacyVectors.payload(fields));
			// The frame codec never takes them: the CALE layer reads them first (§10.3, §10.5).
			assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> CODEC.decode(Hex.buffer(hex)))
				.satisfies((ex) -> assertThat(ex.rule()).isEqualTo(Rule.HANDSHAKE_OUTSIDE_CALE));
			return;
		}
		Frame expected = LegacyVectors.frameOf(type, fields);
		Frame decoded = CODEC.decode(Hex.buffer(hex));
		assertThat(decoded).isEqualTo(expected);
		assertThat(decoded.sid().toString()).isEqualTo(fields.path("sid").stringValue());
		if (fields.has("payloadText")) {
			// Handed over as received: cut text stays cut, NUL stays NUL, "null" stays "null" (§10.5).
			assertThat(((Utf8DataFrame) decoded).text()).isEqualTo(fields.path("payloadText").stringValue());
		}
		if (decoded instanceof BinaryDataFrame binary) {
			assertThat(Hex.of(binary.payload())).isEqualTo(fields.path("payloadHex").stringValue());
		}
		// What was received is what we would write: the payload bytes are kept as they came.
		assertThat(Hex.of(CODEC.encode(decoded))).isEqualTo(hex);
	}

	@Test
	void capturesAreEitherPlaintextForThisCodecOrEncryptedForTheCaleLayer() {
		List<JsonNode> all = LegacyVectors.clientCaptures();
		List<JsonNode> encrypted = all.stream().filter(LegacyVectors::isEncrypted).toList();
		assertThat(LegacyVectors.plaintextCaptures()).hasSize(all.size() - encrypted.size()).isNotEmpty();
		assertThat(encrypted).isNotEmpty().allSatisfy((capture) -> {
			assertThat(capture.path("type").stringValue()).matches("CALE\\([A-Z_0-9]+\\)");
			assertThat(capture.has("ivCounter")).isTrue();
		});
		Set<String> plaintextTypes = LegacyVectors.plaintextCaptures()
			.stream()
			.map((capture) -> capture.path("type").stringValue())
			.collect(Collectors.toSet());
		assertThat(plaintextTypes).containsExactlyInAnyOrder("ACK", "UTF8DATA", "BINARYDATA", "PING_PONG",
				"SERVER_HELLO", "CLIENT_HELLO", "HANDSHAKE_DONE");
	}

	@Test
	void nulFilledTextOfTheNodeClientsIsKeptByteForByte() {
		JsonNode capture = LegacyVectors.clientCaptures()
			.stream()
			.filter((entry) -> entry.path("name").stringValue().endsWith("/utf8data-nul-filled"))
			.findFirst()
			.orElseThrow();
		Utf8DataFrame decoded = (Utf8DataFrame) CODEC.decode(Hex.buffer(capture.path("hex").stringValue()));
		assertThat(Hex.of(decoded.payload())).isEqualTo("c3a900");
		assertThat(decoded.text()).isEqualTo("é\u0000");
	}

	@ParameterizedTest(name = "{0}", quoteTextArguments = false)
	@MethodSource("caleHandshake")
	@DisplayName("cale.handshake")
	void handshakeFrameOfTheFixedKeySessionReadsAndWritesByteForByte(String name, JsonNode step) {
		String hex = step.path("hex").stringValue();
		LegacyHandshake type = LegacyHandshake.valueOf(step.path("type").stringValue());
		byte[] payload = Hex.bytes(step.path("payloadHex").stringValue());
		LegacyHandshakeFrame decoded = LegacyCodec.decodeHandshake(Hex.buffer(hex));
		assertThat(decoded).isEqualTo(new LegacyHandshakeFrame(type, EXAMPLE_SID, step.path("ack").asInt(),
				ByteBuffer.wrap(payload)));
		assertThat(Hex.of(LegacyCodec.encodeHandshake(type, EXAMPLE_SID, decoded.ack(), payload))).isEqualTo(hex);
		switch (type) {
			case SERVER_HELLO -> assertThat(step.path("payloadHex").stringValue())
				.isEqualTo(LegacyVectorsTests.caleField("serverPublicKeyHex"));
			case CLIENT_HELLO -> assertThat(step.path("payloadHex").stringValue())
				.isEqualTo(LegacyVectorsTests.caleField("clientPublicKeyHex"));
			case HANDSHAKE_DONE -> {
				assertThat(new String(payload, StandardCharsets.US_ASCII)).isEqualTo("null");
				assertThat(Hex.of(LegacyCodec.encodeHandshakeDone(EXAMPLE_SID, decoded.ack()))).isEqualTo(hex);
			}
		}
	}

	private static String caleField(String field) {
		return VectorFile.load("legacy-v0.json").node("cale", field).stringValue();
	}

	@Test
	void tablesNameOnlyEntriesOfTheFileAndEveryFrameTypeHasAVector() {
		assertThat(names(LegacyVectors.invalid())).isEqualTo(REJECTIONS.keySet());
		assertThat(names(LegacyVectors.legacyB())).isEqualTo(LEGACY_B.keySet());
		Set<String> types = LegacyVectors.vectors()
			.stream()
			.map((vector) -> vector.path("type").stringValue())
			.collect(Collectors.toSet());
		assertThat(types).containsExactlyInAnyOrder("ACK", "ERROR", "PING_PONG", "UTF8DATA", "BINARYDATA");
	}

	private static Set<String> names(List<JsonNode> entries) {
		return entries.stream().map((entry) -> entry.path("name").stringValue()).collect(Collectors.toSet());
	}

	private record Rejection(Rule rule, @Nullable FrameType type, int offset, @Nullable Rule handshakeRule) {
	}

	private record Outcome(@Nullable Frame frame, @Nullable Rule rule) {

		static Outcome of(Frame frame) {
			return new Outcome(frame, null);
		}

		static Outcome refused(Rule rule) {
			return new Outcome(null, rule);
		}

	}

}
