package dev.cryo.sample;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A minimal, independent Cryo v1 frame encoder/decoder written straight from the tables of
 * cryo-v1.md §4 (common header §4.1, type codes §4.2, layouts §4.3). It deliberately does not use
 * the project's own codec so that the conformance suite cannot inherit its mistakes.
 * <p>
 * All integers are unsigned big-endian (§1.4); sids are kept in a {@code long} and treated as
 * unsigned, u32 values in a {@code long} in the range 0..2^32-1.
 */
final class CryoWire {

	// §4.2 frame types
	static final int TX_START = 0x00;
	static final int TX_CHUNK = 0x01;
	static final int TX_FINISH = 0x02;
	static final int TX_FLOW = 0x03;
	static final int TX_PULL = 0x04;
	static final int TX_CANCEL = 0x05;
	static final int BINARYDATA = 0xF9;
	static final int UTF8DATA = 0xFA;
	static final int PING_PONG = 0xFB;
	static final int ERROR = 0xFC;
	static final int ACK = 0xFD;
	static final int BYE = 0xFE;
	static final int ENDPOINT_INFO = 0xFF;

	/** §4.1: sid (8) + type (1) + ack/txid (4). */
	static final int HEADER = 13;

	/** §9: CRYO_MAX_PAYLOAD. */
	static final int MAX_PAYLOAD = 16 * 1024 * 1024;

	/** §4.4: the largest legal message (TX_START with a 16 MiB name). */
	static final int MAX_MESSAGE = 17 + MAX_PAYLOAD;

	static final long U32_MAX = 0xFFFF_FFFFL;

	static final long FEATURE_TRANSACTIONS = 1L;

	private static final HexFormat HEX = HexFormat.of();

	private CryoWire() {
	}

	// ------------------------------------------------------------------ encoding

	/** Header plus an arbitrary tail; the generic building block of every layout in §4.3. */
	static byte[] frame(long sid, int type, long ackOrTxid, byte[] tail) {
		ByteBuffer buffer = ByteBuffer.allocate(HEADER + tail.length).order(ByteOrder.BIG_ENDIAN);
		buffer.putLong(sid);
		buffer.put((byte) type);
		buffer.putInt((int) ackOrTxid);
		buffer.put(tail);
		return buffer.array();
	}

	/** ENDPOINT_INFO (0xFF), exactly 25 bytes: version u32 @13, flags u64 @17. */
	static byte[] endpointInfo(long sid, long ack, long version, long flags) {
		ByteBuffer tail = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN);
		tail.putInt((int) version);
		tail.putLong(flags);
		return frame(sid, ENDPOINT_INFO, ack, tail.array());
	}

	/** BYE (0xFE), 13 + N bytes, reason UTF-8 @13 (N may be 0). */
	static byte[] bye(long sid, long ack, String reason) {
		return frame(sid, BYE, ack, reason.getBytes(StandardCharsets.UTF_8));
	}

	/** ACK (0xFD), exactly 13 bytes. */
	static byte[] ack(long sid, long ack) {
		return frame(sid, ACK, ack, new byte[0]);
	}

	/** ERROR (0xFC), 13 + N bytes. */
	static byte[] error(long sid, long ack, String message) {
		return frame(sid, ERROR, ack, message.getBytes(StandardCharsets.UTF_8));
	}

	/** PING_PONG (0xFB) "ping", exactly 17 bytes. */
	static byte[] ping(long sid, long ack) {
		return frame(sid, PING_PONG, ack, "ping".getBytes(StandardCharsets.US_ASCII));
	}

	/** PING_PONG (0xFB) "pong", exactly 17 bytes. */
	static byte[] pong(long sid, long ack) {
		return frame(sid, PING_PONG, ack, "pong".getBytes(StandardCharsets.US_ASCII));
	}

	/** UTF8DATA (0xFA), 13 + N bytes. */
	static byte[] utf8(long sid, long ack, String text) {
		return frame(sid, UTF8DATA, ack, text.getBytes(StandardCharsets.UTF_8));
	}

	/** BINARYDATA (0xF9), 13 + N bytes. */
	static byte[] binary(long sid, long ack, byte[] payload) {
		return frame(sid, BINARYDATA, ack, payload);
	}

	/** TX_FLOW (0x03), exactly 14 bytes: behaviour u8 @13. */
	static byte[] txFlow(long sid, long ack, int behaviour) {
		return frame(sid, TX_FLOW, ack, new byte[] { (byte) behaviour });
	}

	/** TX_FINISH (0x02) or TX_CANCEL (0x05), exactly 17 bytes: txid u32 @13. */
	static byte[] ackAndTxid(long sid, int type, long ack, long txid) {
		ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN);
		tail.putInt((int) txid);
		return frame(sid, type, ack, tail.array());
	}

	/** TX_CHUNK (0x01), 13 + N bytes: txid u32 @9 (no ack field). */
	static byte[] txChunk(long sid, long txid, byte[] payload) {
		return frame(sid, TX_CHUNK, txid, payload);
	}

	// ------------------------------------------------------------------ decoding

	/** Decodes the common header of a received message (§4.1); layouts are read lazily. */
	static Frame decode(byte[] message) {
		if (message.length < HEADER) {
			throw new IllegalArgumentException("message of " + message.length + " bytes is shorter than 13 bytes: "
					+ hex(message));
		}
		return new Frame(message);
	}

	/** One received frame (one WebSocket binary message). */
	record Frame(byte[] bytes) {

		private ByteBuffer buffer() {
			return ByteBuffer.wrap(this.bytes).order(ByteOrder.BIG_ENDIAN);
		}

		long sid() {
			return buffer().getLong(0);
		}

		int type() {
			return this.bytes[8] & 0xFF;
		}

		/** The ack field (or the txid for TX_CHUNK), unsigned. */
		long ack() {
			return buffer().getInt(9) & U32_MAX;
		}

		int length() {
			return this.bytes.length;
		}

		/** Everything after the 13-byte header. */
		byte[] tail() {
			return Arrays.copyOfRange(this.bytes, HEADER, this.bytes.length);
		}

		/** The UTF-8 tail (BYE reason, ERROR message, UTF8DATA payload, PING_PONG payload). */
		String text() {
			return new String(this.bytes, HEADER, this.bytes.length - HEADER, StandardCharsets.UTF_8);
		}

		/** ENDPOINT_INFO version (u32 @13). */
		long version() {
			return buffer().getInt(13) & U32_MAX;
		}

		/** ENDPOINT_INFO flags (u64 @17). */
		long flags() {
			return buffer().getLong(17);
		}

		boolean is(int type) {
			return type() == type;
		}

		boolean isAck(long ack) {
			return type() == ACK && ack() == ack;
		}

		boolean isPing() {
			return type() == PING_PONG && this.bytes.length == 17 && "ping".equals(text());
		}

		boolean isPong() {
			return type() == PING_PONG && this.bytes.length == 17 && "pong".equals(text());
		}

		String hex() {
			return CryoWire.hex(this.bytes);
		}

		@Override
		public String toString() {
			String summary = typeName(type()) + "(sid=" + Long.toUnsignedString(sid()) + ", ack=" + ack() + ", len="
					+ this.bytes.length;
			if (type() == ENDPOINT_INFO && this.bytes.length >= 25) {
				summary += ", version=" + version() + ", flags=" + Long.toUnsignedString(flags());
			}
			else if (type() != BINARYDATA && this.bytes.length > HEADER && this.bytes.length <= 200) {
				summary += ", text=\"" + text() + "\"";
			}
			return summary + ")";
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Frame frame && Arrays.equals(this.bytes, frame.bytes);
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.bytes);
		}

	}

	// ------------------------------------------------------------------ helpers

	static String typeName(int type) {
		switch (type) {
			case TX_START:
				return "TX_START";
			case TX_CHUNK:
				return "TX_CHUNK";
			case TX_FINISH:
				return "TX_FINISH";
			case TX_FLOW:
				return "TX_FLOW";
			case TX_PULL:
				return "TX_PULL";
			case TX_CANCEL:
				return "TX_CANCEL";
			case BINARYDATA:
				return "BINARYDATA";
			case UTF8DATA:
				return "UTF8DATA";
			case PING_PONG:
				return "PING_PONG";
			case ERROR:
				return "ERROR";
			case ACK:
				return "ACK";
			case BYE:
				return "BYE";
			case ENDPOINT_INFO:
				return "ENDPOINT_INFO";
			default:
				return String.format("UNASSIGNED_0x%02x", type);
		}
	}

	static int typeCode(String name) {
		for (int code : new int[] { TX_START, TX_CHUNK, TX_FINISH, TX_FLOW, TX_PULL, TX_CANCEL, BINARYDATA, UTF8DATA,
				PING_PONG, ERROR, ACK, BYE, ENDPOINT_INFO }) {
			if (typeName(code).equals(name)) {
				return code;
			}
		}
		throw new IllegalArgumentException("unknown frame type name " + name);
	}

	static String hex(byte[] bytes) {
		return HEX.formatHex(bytes);
	}

	static byte[] unhex(String hex) {
		return HEX.parseHex(hex);
	}

	static String sid(long sid) {
		return Long.toUnsignedString(sid);
	}

	static int utf8Length(String text) {
		return text.getBytes(StandardCharsets.UTF_8).length;
	}

}
