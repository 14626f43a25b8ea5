package dev.cryo.core.dialect.camp;

import java.nio.ByteBuffer;
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
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.CryoFrameException.Rule;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.Hex;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.VectorFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Proves {@link CampCodec} against the CAMP reference codec's golden frames and the frames the
 * published CAMP clients put on the wire, from {@code camp.json}: every entry of every group runs
 * as its own case, named exactly as in the file.
 */
class CampVectorsTests {

	private static final CampCodec CODEC = CampCodec.INSTANCE;

	/** What each {@code invalid} entry must be rejected with, derived from its {@code reason}. */
	private static final Map<String, Rejection> REJECTIONS = Map.of(
			// 17 bytes: too long for a 13-byte CAMP ping before its payload is even looked at.
			"ping-with-cryo-ack-layout", new Rejection(Rule.TOO_LONG, FrameType.PING_PONG, 13, null, null),
			"tx_start-pull-unknown-size", new Rejection(Rule.INVALID_TRANSACTION, FrameType.TX_START, 17, 3, 0),
			"tx_start-behaviour-2", new Rejection(Rule.INVALID_TRANSACTION, FrameType.TX_START, 25, 3, 0),
			"tx_start-truncated-25", new Rejection(Rule.TOO_SHORT, FrameType.TX_START, 25, null, null),
			"tx_start-name-1025-bytes", new Rejection(Rule.INVALID_TRANSACTION, FrameType.TX_START, 26, 3, 0),
			"tx_fetch-start-equals-end", new Rejection(Rule.INVALID_TRANSACTION, FrameType.TX_PULL, 17, 7, 1),
			"tx_fetch-truncated-32", new Rejection(Rule.TOO_SHORT, FrameType.TX_PULL, 32, null, null),
			"type-0x05", new Rejection(Rule.UNKNOWN_TYPE, null, 8, null, null),
			"utf8data-payload-1MiB+1", new Rejection(Rule.PAYLOAD_TOO_LARGE, FrameType.UTF8DATA, 13, null, null));

	static Stream<Arguments> vectors() {
		return VectorFile.named(CampVectors.vectors());
	}

	static Stream<Arguments> invalid() {
		return VectorFile.named(CampVectors.invalid());
	}

	static Stream<Arguments> clientCaptures() {
		return VectorFile.named(CampVectors.clientCaptures());
	}

	@ParameterizedTest(name = "{0}", quoteTextArguments = false)
	@MethodSource("vectors")
	@DisplayName("vectors")
	void vectorDecodesToItsFieldsAndEncodesBackByteForByte(String name, JsonNode vector) {
		String hex = vector.path("hex").stringValue();
		String type = vector.path("type").stringValue();
		Frame expected = CampVectors.frameOf(type, vector.path("fields"));
		Frame decoded = CODEC.decode(Hex.buffer(hex));
		assertThat(decoded).isEqualTo(expected);
		assertThat(decoded.type()).isEqualTo(CampVectors.modelType(type));
		assertFields(decoded, vector.path("fields"));
		ByteBuffer encoded = CODEC.encode(expected, Frame.headerNumber(expected));
		assertThat(Hex.of(encoded)).isEqualTo(hex);
		assertThat(encoded.get(8) & 0xFF).isEqualTo(CampVectors.campCode(type));
		assertThat(CODEC.peekType(encoded)).isEqualTo(decoded.type());
		assertThat(Hex.of(CODEC.encode(decoded, Frame.headerNumber(decoded)))).isEqualTo(hex);
		if (decoded.type() == FrameType.PING_PONG) {
			// A CAMP ping has no ack field: whatever number the engine passes is not written.
			assertThat(Hex.of(CODEC.encode(expected, 0x01020304))).isEqualTo(hex);
		}
		if (vector.has("referenceHex")) {
			// Documentation only: the reference codec's own bytes (a BYE with its default reason)
			// still decode, to a frame of the same type that is not the one the spec encodes.
			Frame reference = CODEC.decode(Hex.buffer(vector.path("referenceHex").stringValue()));
			assertThat(reference.type()).isEqualTo(expected.type());
			assertThat(reference).isNotEqualTo(expected);
		}
	}

	@ParameterizedTest(name = "{0}", quoteTextArguments = false)
	@MethodSource("invalid")
	@DisplayName("invalid")
	void invalidEntryIsRejectedForTheGivenReason(String name, JsonNode entry) {
		byte[] message = CampVectors.message(entry);
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
				assertThat(ex.rule().isMalformed()).isEqualTo(rejection.rule() != Rule.PAYLOAD_TOO_LARGE);
				// A refused TX_START or TX_FETCH is still answered by its ack and txid (camp.md §8 rules 7, 8).
				assertThat(ex.identifiesTransaction()).isEqualTo(rejection.ack() != null);
				if (rejection.ack() != null) {
					assertThat(ex.ack()).isEqualTo(rejection.ack());
					assertThat(ex.txid()).isEqualTo(rejection.txid());
				}
			});
	}

	@ParameterizedTest(name = "{0}", quoteTextArguments = false)
	@MethodSource("clientCaptures")
	@DisplayName("clientCaptures")
	void clientCaptureDecodesToItsFields(String name, JsonNode capture) {
		String hex = capture.path("hex").stringValue();
		String type = capture.path("type").stringValue();
		assertThat(capture.path("direction").stringValue()).isEqualTo("client->server");
		Frame expected = CampVectors.frameOf(type, capture.path("fields"));
		Frame decoded = CODEC.decode(Hex.buffer(hex));
		assertThat(decoded).isEqualTo(expected);
		assertFields(decoded, capture.path("fields"));
		// The published clients send well-formed CAMP, so what we would write is the same.
		assertThat(Hex.of(CODEC.encode(decoded, Frame.headerNumber(decoded)))).isEqualTo(hex);
	}

	@Test
	void browserChunksCarryTheirEndOffsetsAsTheyAre() {
		// camp.md §7.3: camp-client-browser writes each chunk's end offset, camp-client-node its start;
		// the codec reports what is on the wire, the engine appends in arrival order anyway.
		assertThat(offsets("camp-client-browser/tx-chunk-end-offset-")).containsExactly(4L, 8L, 10L);
		assertThat(offsets("camp-client-node/tx-chunk-push-")).containsExactly(0L, 4L, 8L);
	}

	private static List<Long> offsets(String prefix) {
		return CampVectors.clientCaptures()
			.stream()
			.filter((capture) -> capture.path("name").stringValue().startsWith(prefix))
			.map((capture) -> ((TxChunkFrame) CODEC.decode(Hex.buffer(capture.path("hex").stringValue()))).position())
			.toList();
	}

	@Test
	void everyCampFrameTypeHasAVectorAndTheTablesNameOnlyEntriesOfTheFile() {
		Set<String> invalidNames = CampVectors.invalid()
			.stream()
			.map((entry) -> entry.path("name").stringValue())
			.collect(Collectors.toSet());
		assertThat(invalidNames).isEqualTo(REJECTIONS.keySet());
		Set<FrameType> types = CampVectors.vectors()
			.stream()
			.map((vector) -> CampVectors.modelType(vector.path("type").stringValue()))
			.collect(Collectors.toSet());
		// CAMP has every frame of the model but TX_FLOW (camp.md §3).
		assertThat(types).hasSize(FrameType.values().length - 1).doesNotContain(FrameType.TX_FLOW);
	}

	@Test
	void byeWithTheReferenceCodecsDefaultReason() {
		JsonNode vector = CampVectors.vectors()
			.stream()
			.filter((entry) -> entry.has("referenceHex"))
			.findFirst()
			.orElseThrow();
		Frame reference = CODEC.decode(Hex.buffer(vector.path("referenceHex").stringValue()));
		assertThat(reference).isEqualTo(new ByeFrame(SessionId.of(1), 2, "disconnect"));
	}

	/** Checks the CAMP-specific fields one by one, so a wrong equals could not hide them. */
	private static void assertFields(Frame decoded, JsonNode fields) {
		assertThat(decoded.sid()).isEqualTo(SessionId.of(VectorFile.u64(fields, "sid")));
		if (decoded instanceof TxStartFrame start) {
			assertThat(start.layout()).isEqualTo(TransactionLayout.CAMP);
			assertThat(start.size()).isEqualTo(Long.parseLong(fields.path("size").stringValue()));
			assertThat(start.behaviour()).isNotNull();
			assertThat("TX_" + start.behaviour()).isEqualTo(fields.path("behaviour").stringValue());
			assertThat(start.name()).isEqualTo(fields.path("name").stringValue());
		}
		else if (decoded instanceof TxChunkFrame chunk) {
			assertThat(chunk.layout()).isEqualTo(TransactionLayout.CAMP);
			assertThat(Long.toUnsignedString(chunk.position())).isEqualTo(fields.path("offset").stringValue());
			assertThat(Hex.of(chunk.payload())).isEqualTo(fields.path("payloadHex").stringValue());
		}
		else if (decoded instanceof TxPullFrame fetch) {
			assertThat(fetch.layout()).isEqualTo(TransactionLayout.CAMP);
			assertThat(Long.toUnsignedString(fetch.start())).isEqualTo(fields.path("start").stringValue());
			assertThat(Long.toUnsignedString(fetch.end())).isEqualTo(fields.path("end").stringValue());
		}
		else if (decoded instanceof PingPongFrame ping) {
			assertThat(ping.ack()).isZero();
			assertThat(fields.has("ack")).isFalse();
		}
	}

	private record Rejection(Rule rule, @Nullable FrameType type, int offset, @Nullable Integer ack,
			@Nullable Integer txid) {
	}

}
