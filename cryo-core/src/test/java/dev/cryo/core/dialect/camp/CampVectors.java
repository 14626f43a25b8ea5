package dev.cryo.core.dialect.camp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ByeFrame;
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
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;

/**
 * The golden vectors of {@code camp.json} (a copy of {@code shared/protocol/vectors}, so the
 * build does not need the shared folder) and the translation of their {@code fields} into frames
 * of the shared model: TX_FETCH is a {@link TxPullFrame} and every transaction frame is in the
 * {@link TransactionLayout#CAMP CAMP} layout.
 */
final class CampVectors {

	private static final JsonNode ROOT = load();

	private CampVectors() {
	}

	private static JsonNode load() {
		try (InputStream in = CampVectors.class.getResourceAsStream("/vectors/camp.json")) {
			if (in == null) {
				throw new IllegalStateException("vectors/camp.json is missing from the test resources");
			}
			return JsonMapper.shared().readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static List<JsonNode> vectors() {
		return list(ROOT.path("vectors"));
	}

	static List<JsonNode> invalid() {
		return list(ROOT.path("invalid"));
	}

	static List<JsonNode> clientCaptures() {
		return list(ROOT.path("clientCaptures"));
	}

	private static List<JsonNode> list(JsonNode array) {
		if (!array.isArray() || array.size() == 0) {
			throw new IllegalStateException("vector group is missing or empty");
		}
		List<JsonNode> entries = new ArrayList<>();
		for (int i = 0; i < array.size(); i++) {
			entries.add(array.get(i));
		}
		return entries;
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

	private static FlowBehaviour behaviour(JsonNode fields) {
		FlowBehaviour behaviour = FlowBehaviour.fromCode(u32(fields, "behaviourCode"));
		if (behaviour == null || !("TX_" + behaviour).equals(fields.path("behaviour").stringValue())) {
			throw new IllegalStateException("inconsistent behaviour in " + fields);
		}
		return behaviour;
	}

	/** A 64-bit field: a decimal string of an unsigned value. */
	static long u64(JsonNode fields, String name) {
		return Long.parseUnsignedLong(fields.path(name).stringValue());
	}

	/** A 32-bit field: a JSON number from 0 to 2^32-1; absent means 0. */
	static int u32(JsonNode fields, String name) {
		JsonNode node = fields.path(name);
		return node.isMissingNode() ? 0 : (int) node.asLong();
	}


}
