package dev.cryo.core.dialect.camp;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.Hex;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxCancelFrame;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.core.frame.VectorFile;

import static dev.cryo.core.frame.VectorFile.behaviour;
import static dev.cryo.core.frame.VectorFile.u32;
import static dev.cryo.core.frame.VectorFile.u64;

/**
 * The golden vectors of {@code camp.json} (a copy of {@code shared/protocol/vectors}, so the
 * build does not need the shared folder) and the translation of their {@code fields} into frames
 * of the shared model: TX_FETCH is a {@link TxPullFrame} and every transaction frame is in the
 * {@link TransactionLayout#CAMP CAMP} layout.
 */
final class CampVectors {

	private static final VectorFile FILE = VectorFile.load("camp.json");

	private CampVectors() {
	}

	static List<JsonNode> vectors() {
		return FILE.group("vectors");
	}

	static List<JsonNode> invalid() {
		return FILE.group("invalid");
	}

	static List<JsonNode> clientCaptures() {
		return FILE.group("clientCaptures");
	}

	/**
	 * The message of an entry: its {@code hex}, or, for the oversized case that is described by
	 * length, its {@code hexPrefix} followed by {@code 0x61} bytes up to {@code length}.
	 */
	static byte[] message(JsonNode entry) {
		if (entry.has("hex")) {
			return Hex.bytes(entry.path("hex").stringValue());
		}
		byte[] prefix = Hex.bytes(entry.path("hexPrefix").stringValue());
		byte[] message = new byte[entry.path("length").asInt()];
		System.arraycopy(prefix, 0, message, 0, prefix.length);
		Arrays.fill(message, prefix.length, message.length, (byte) 0x61);
		return message;
	}

	/** The model type of a CAMP type name: TX_FETCH is the model's TX_PULL. */
	static FrameType modelType(String type) {
		return type.equals("TX_FETCH") ? FrameType.TX_PULL : FrameType.valueOf(type);
	}

	/** The type byte CAMP gives a type name (camp.md §3). */
	static int campCode(String type) {
		return switch (type) {
			case "TX_FETCH" -> 0x03;
			case "TX_CANCEL" -> 0x04;
			default -> FrameType.valueOf(type).code();
		};
	}

	/** Builds the frame a CAMP entry's {@code type} and {@code fields} describe. */
	static Frame frameOf(String type, JsonNode fields) {
		SessionId sid = SessionId.of(u64(fields, "sid"));
		int ack = u32(fields, "ack");
		int txid = u32(fields, "txid");
		return switch (type) {
			case "ENDPOINT_INFO" -> new EndpointInfoFrame(sid, ack, u32(fields, "version"), u64(fields, "flags"));
			case "BYE" -> new ByeFrame(sid, ack, fields.path("reason").stringValue());
			case "ACK" -> new AckFrame(sid, u32(fields, "ackedAck"));
			case "ERROR" -> new ErrorFrame(sid, ack, fields.path("payload").stringValue());
			// No ack field on the wire: the decoder reports 0 (camp.md §4).
			case "PING_PONG" -> new PingPongFrame(sid, 0,
					PingPongFrame.Kind.valueOf(fields.path("payload").stringValue().toUpperCase(Locale.ROOT)));
			case "UTF8DATA" -> Utf8DataFrame.of(sid, ack, fields.path("payload").stringValue());
			case "BINARYDATA" -> new BinaryDataFrame(sid, ack, Hex.buffer(fields.path("payloadHex").stringValue()));
			case "TX_START" -> new TxStartFrame(sid, ack, txid, fields.path("name").stringValue(),
					Long.parseLong(fields.path("size").stringValue()), behaviour(fields), TransactionLayout.CAMP);
			case "TX_CHUNK" -> new TxChunkFrame(sid, txid, Hex.buffer(fields.path("payloadHex").stringValue()),
					u64(fields, "offset"), TransactionLayout.CAMP);
			case "TX_FINISH" -> new TxFinishFrame(sid, ack, txid);
			case "TX_FETCH" -> new TxPullFrame(sid, ack, txid, u64(fields, "start"), u64(fields, "end"),
					TransactionLayout.CAMP);
			case "TX_CANCEL" -> new TxCancelFrame(sid, ack, txid);
			default -> throw new IllegalStateException("no CAMP frame type " + type);
		};
	}

}
