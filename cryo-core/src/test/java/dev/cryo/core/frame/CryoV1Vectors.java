package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import tools.jackson.databind.JsonNode;

import dev.cryo.core.SessionId;

import static dev.cryo.core.frame.VectorFile.behaviour;
import static dev.cryo.core.frame.VectorFile.u32;
import static dev.cryo.core.frame.VectorFile.u64;

/**
 * The golden vectors of {@code cryo-v1.json} (a copy of {@code shared/protocol/vectors}, so the
 * build does not need the shared folder) and the translation of their {@code fields} into frames.
 */
final class CryoV1Vectors {

	private static final VectorFile FILE = VectorFile.load("cryo-v1.json");

	private CryoV1Vectors() {
	}

	static List<JsonNode> vectors() {
		return FILE.group("vectors");
	}

	static List<JsonNode> invalid() {
		return FILE.group("invalid");
	}

	static List<JsonNode> lenient() {
		return FILE.group("lenient");
	}

	static List<JsonNode> referenceServerVariants() {
		return FILE.group("referenceServerVariants", "vectors");
	}

	static List<JsonNode> clientCaptures() {
		return FILE.group("clientCaptures");
	}

	static JsonNode referenceTranscript() {
		return FILE.node("referenceTranscript");
	}

	/** Builds the frame a vector's {@code type} and {@code fields} describe. */
	static Frame frameOf(String type, JsonNode fields) {
		SessionId sid = SessionId.of(u64(fields, "sid"));
		int ack = u32(fields, "ack");
		return switch (FrameType.valueOf(type)) {
			case ENDPOINT_INFO -> new EndpointInfoFrame(sid, ack, u32(fields, "version"), u64(fields, "flags"));
			case BYE -> new ByeFrame(sid, ack, fields.path("reason").stringValue());
			case ACK -> new AckFrame(sid, ack);
			case ERROR -> new ErrorFrame(sid, ack, fields.path("payload").stringValue());
			case PING_PONG -> new PingPongFrame(sid, ack, pingPong(fields.path("payload").stringValue()));
			case UTF8DATA -> Utf8DataFrame.of(sid, ack, fields.path("payload").stringValue());
			case BINARYDATA -> new BinaryDataFrame(sid, ack, Hex.buffer(fields.path("payloadHex").stringValue()));
			case TX_START -> new TxStartFrame(sid, ack, u32(fields, "txid"), fields.path("name").stringValue());
			case TX_CHUNK -> new TxChunkFrame(sid, u32(fields, "txid"), Hex.buffer(fields.path("payloadHex").stringValue()));
			case TX_FINISH -> new TxFinishFrame(sid, ack, u32(fields, "txid"));
			case TX_FLOW -> new TxFlowFrame(sid, ack, behaviour(fields));
			case TX_PULL -> new TxPullFrame(sid, ack, u32(fields, "txid"), u64(fields, "start"), u64(fields, "end"));
			case TX_CANCEL -> new TxCancelFrame(sid, ack, u32(fields, "txid"));
		};
	}

	/**
	 * Whether a {@code type} names a frame in the cryo-protocol 1.4 layout, written
	 * {@code TX_START(1.4)} in the client captures and {@code TX_START(1.4.2)} in the
	 * reference-server variants.
	 */
	static boolean isCryoProtocol14(String type) {
		return type.endsWith("(1.4)") || type.endsWith("(1.4.2)");
	}

	/**
	 * Builds the frame a cryo-protocol 1.4 entry describes (cryo-v1.md §10.5): TX_START with its
	 * signed 32-bit {@code size}, TX_CHUNK with its {@code seq}, the chunk-index TX_FETCH with
	 * {@code startChunk} and {@code endChunk}, TX_CANCEL; a type without a layout suffix is the
	 * same in both layouts.
	 */
	static Frame cryoProtocol14FrameOf(String type, JsonNode fields) {
		if (!isCryoProtocol14(type)) {
			return frameOf(type, fields);
		}
		SessionId sid = SessionId.of(u64(fields, "sid"));
		int ack = u32(fields, "ack");
		int txid = u32(fields, "txid");
		TransactionLayout layout = TransactionLayout.CRYO_PROTOCOL_1_4;
		return switch (type.substring(0, type.indexOf('('))) {
			case "TX_START" -> new TxStartFrame(sid, ack, txid, fields.path("name").stringValue(),
					fields.path("size").asLong(), null, layout);
			case "TX_CHUNK" -> new TxChunkFrame(sid, txid, Hex.buffer(fields.path("payloadHex").stringValue()),
					fields.path("seq").asLong(), layout);
			case "TX_FETCH" -> new TxPullFrame(sid, ack, txid, fields.path("startChunk").asLong(),
					fields.path("endChunk").asLong(), layout);
			case "TX_CANCEL" -> new TxCancelFrame(sid, ack, txid);
			default -> throw new IllegalStateException("no cryo-protocol 1.4 frame for " + type);
		};
	}

	private static PingPongFrame.Kind pingPong(String payload) {
		return PingPongFrame.Kind.valueOf(payload.toUpperCase(java.util.Locale.ROOT));
	}

	/** A signed 32-bit field written big-endian, as the 1.4.2 size and seq fields are. */
	static byte[] int32(long value) {
		return ByteBuffer.allocate(4).putInt((int) value).array();
	}

	static byte[] concat(byte[] first, byte[] second) {
		byte[] all = new byte[first.length + second.length];
		System.arraycopy(first, 0, all, 0, first.length);
		System.arraycopy(second, 0, all, first.length, second.length);
		return all;
	}

	static String latin(byte[] bytes) {
		return new String(bytes, StandardCharsets.ISO_8859_1);
	}

	/** Whether bytes are well-formed UTF-8, i.e. survive lenient decoding unchanged. */
	static boolean isWellFormedUtf8(byte[] bytes) {
		return Arrays.equals(new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), bytes);
	}

}
