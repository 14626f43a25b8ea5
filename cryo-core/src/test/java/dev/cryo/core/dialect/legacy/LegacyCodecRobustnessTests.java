package dev.cryo.core.dialect.legacy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.CryoFrameException.Rule;
import dev.cryo.core.frame.DecoderFuzzing;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.Hex;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds random and mutated byte arrays to {@link LegacyCodec#decode} and asserts that nothing but
 * {@link CryoFrameException} ever escapes, that whatever is accepted re-encodes to a frame that
 * decodes to itself, and that the handshake helpers agree with the decoder on every input: a
 * message is refused as a handshake frame exactly when {@link LegacyCodec#handshakeType} names
 * one, and {@link LegacyCodec#decodeHandshake} then either reads it back byte for byte or throws
 * {@link CryoFrameException} too.
 *
 * <p>One million inputs by default; {@code -Dcryo.test.full=true} runs twenty million. The seed
 * is printed and can be fixed with {@code -Dcryo.test.seed=...} to replay a failure.
 */
class LegacyCodecRobustnessTests {

	/** The legacy type bytes (legacy-v0.md §3.1): the frames 0–4 and the handshake frames 5–7. */
	private static final int[] LEGACY_CODES = { 0, 1, 2, 3, 4, 5, 6, 7 };

	/** Where the legacy header has its type byte: after the 16-byte sid and the ack. */
	private static final int TYPE_OFFSET = 20;

	@Test
	void onlyTheCodecsOwnExceptionEverEscapes() {
		DecoderFuzzing.Report report = new DecoderFuzzing("legacy v0", LegacyCodecRobustnessTests::decode,
				LegacyCodec.INSTANCE::encode, corpus(), LEGACY_CODES)
			.withTypeOffset(TYPE_OFFSET)
			.checkingRejections(LegacyCodecRobustnessTests::checkRejection)
			.run();
		assertThat(report.accepted().keySet()).containsExactlyInAnyOrder(FrameType.ACK, FrameType.ERROR,
				FrameType.PING_PONG, FrameType.UTF8DATA, FrameType.BINARYDATA);
		assertThat(report.rejected().keySet()).containsExactlyInAnyOrder(Rule.TOO_SHORT, Rule.TOO_LONG,
				Rule.UNKNOWN_TYPE, Rule.INVALID_PING_PONG_PAYLOAD, Rule.HANDSHAKE_OUTSIDE_CALE);
	}

	/** Decodes as the session does, checking first that the handshake helpers agree on the message. */
	private static Frame decode(ByteBuffer message) {
		LegacyHandshake handshake = LegacyCodec.handshakeType(message);
		if (handshake != null) {
			checkHandshake(message, handshake);
		}
		return LegacyCodec.INSTANCE.decode(message);
	}

	private static void checkHandshake(ByteBuffer message, LegacyHandshake type) {
		LegacyHandshakeFrame decoded;
		try {
			decoded = LegacyCodec.decodeHandshake(message);
		}
		catch (CryoFrameException ex) {
			// Only a hello can be refused by its length; HANDSHAKE_DONE takes any payload under the limit.
			assertThat(type.isHello()).as("refused %s: %s", type, ex).isTrue();
			assertThat(ex.rule()).isIn(Rule.TOO_SHORT, Rule.TOO_LONG);
			assertThat(message.remaining()).isNotEqualTo(LegacyCodec.HELLO_LENGTH);
			return;
		}
		assertThat(decoded.type()).isEqualTo(type);
		ByteBuffer encoded = LegacyCodec.encodeHandshake(decoded.type(), decoded.sid(), decoded.ack(),
				decoded.payloadBytes());
		assertThat(encoded).isEqualTo(message);
	}

	private static void checkRejection(byte[] input, CryoFrameException ex) {
		assertThat(ex.identifiesTransaction()).isFalse();
		assertThat(ex.frameType()).isIn(null, FrameType.ACK, FrameType.ERROR, FrameType.PING_PONG,
				FrameType.UTF8DATA, FrameType.BINARYDATA);
		boolean handshake = LegacyCodec.handshakeType(ByteBuffer.wrap(input)) != null;
		assertThat(ex.rule() == Rule.HANDSHAKE_OUTSIDE_CALE).isEqualTo(handshake);
		switch (ex.rule()) {
			case TOO_SHORT -> {
				assertThat(input.length).isEqualTo(ex.offset());
				assertThat(input.length).isLessThan((ex.frameType() == null) ? 21 : 25);
			}
			case TOO_LONG -> assertThat(input.length).isGreaterThan(25);
			case UNKNOWN_TYPE -> assertThat(input[TYPE_OFFSET] & 0xFF).isGreaterThan(7);
			case INVALID_PING_PONG_PAYLOAD -> assertThat(input).hasSize(25);
			case HANDSHAKE_OUTSIDE_CALE -> assertThat(ex.offset()).isEqualTo(TYPE_OFFSET);
			default -> throw new AssertionError("unexpected rule " + ex.rule());
		}
	}

	/** Every plaintext message of the vector file: valid, invalid, layout B, captures and the fixed-key handshake. */
	private static List<byte[]> corpus() {
		List<JsonNode> entries = new ArrayList<>(LegacyVectors.vectors());
		entries.addAll(LegacyVectors.invalid());
		entries.addAll(LegacyVectors.legacyB());
		entries.addAll(LegacyVectors.plaintextCaptures());
		entries.addAll(LegacyVectors.caleHandshake());
		List<byte[]> corpus = new ArrayList<>();
		for (JsonNode entry : entries) {
			corpus.add(Hex.bytes(entry.path("hex").stringValue()));
		}
		return corpus;
	}

}
