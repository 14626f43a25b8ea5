package dev.cryo.core.dialect.legacy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.Hex;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.core.frame.VectorFile;

import static dev.cryo.core.frame.VectorFile.u32;

/**
 * The golden vectors of {@code legacy-v0.json} (a copy of {@code shared/protocol/vectors}, so the
 * build does not need the shared folder) and the translation of their {@code fields} into frames
 * of the shared model or into handshake frames.
 */
final class LegacyVectors {

	private static final VectorFile FILE = VectorFile.load("legacy-v0.json");

	/** How the file marks a capture of an encrypted message: {@code CALE(<type>)}. */
	private static final String CALE_PREFIX = "CALE(";

	private LegacyVectors() {
	}

	static List<JsonNode> vectors() {
		return FILE.group("vectors");
	}

	static List<JsonNode> invalid() {
		return FILE.group("invalid");
	}

	static List<JsonNode> legacyB() {
		return FILE.group("legacyB", "vectors");
	}

	static List<JsonNode> caleHandshake() {
		return FILE.group("cale", "handshake");
	}

	static List<JsonNode> clientCaptures() {
		return FILE.group("clientCaptures");
	}

	/** The captures of plaintext messages: the frames and handshake frames this codec reads. */
	static List<JsonNode> plaintextCaptures() {
		return clientCaptures().stream().filter((capture) -> !isEncrypted(capture)).toList();
	}

	/** Whether a capture is a CALE-encrypted message, which the CALE layer decrypts before any codec sees it. */
	static boolean isEncrypted(JsonNode capture) {
		return capture.path("type").stringValue().startsWith(CALE_PREFIX);
	}

	/** Whether a type name is one of the handshake frames, which are no model frames. */
	static boolean isHandshake(String type) {
		return switch (type) {
			case "SERVER_HELLO", "CLIENT_HELLO", "HANDSHAKE_DONE" -> true;
			default -> false;
		};
	}

	static SessionId sid(JsonNode fields) {
		return SessionId.of(UUID.fromString(fields.path("sid").stringValue()));
	}

	/**
	 * The payload bytes an entry's fields describe: {@code payloadHex} where the file gives the
	 * bytes, else the UTF-8 of {@code payload}.
	 */
	static byte[] payload(JsonNode fields) {
		if (fields.has("payloadHex")) {
			return Hex.bytes(fields.path("payloadHex").stringValue());
		}
		return fields.path("payload").stringValue().getBytes(StandardCharsets.UTF_8);
	}

	/** Builds the model frame an entry's {@code type} and {@code fields} describe. */
	static Frame frameOf(String type, JsonNode fields) {
		SessionId sid = sid(fields);
		int ack = u32(fields, "ack");
		return switch (type) {
			case "ACK" -> new AckFrame(sid, ack);
			case "ERROR" -> new ErrorFrame(sid, ack, fields.path("payload").stringValue());
			case "PING_PONG" -> new PingPongFrame(sid, ack,
					PingPongFrame.Kind.valueOf(fields.path("payload").stringValue().toUpperCase(Locale.ROOT)));
			// Captures give the bytes as sent (cut, NUL-filled text), the formatter vectors the text.
			case "UTF8DATA" -> fields.has("payloadHex")
					? new Utf8DataFrame(sid, ack, Hex.buffer(fields.path("payloadHex").stringValue()))
					: Utf8DataFrame.of(sid, ack, fields.path("payload").stringValue());
			case "BINARYDATA" -> new BinaryDataFrame(sid, ack, Hex.buffer(fields.path("payloadHex").stringValue()));
			default -> throw new IllegalStateException("no legacy model frame type " + type);
		};
	}

	/** Builds the handshake frame an entry's {@code type} and {@code fields} describe. */
	static LegacyHandshakeFrame handshakeOf(String type, JsonNode fields) {
		return new LegacyHandshakeFrame(LegacyHandshake.valueOf(type), sid(fields), u32(fields, "ack"),
				ByteBuffer.wrap(payload(fields)));
	}

}
