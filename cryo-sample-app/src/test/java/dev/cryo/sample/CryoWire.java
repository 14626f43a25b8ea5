package dev.cryo.sample;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A minimal, independent Cryo v1 frame encoder/decoder written straight from the tables of
 * cryo-v1.md §4 (common header §4.1, type codes §4.2, layouts §4.3). It deliberately does not use
 * the project's own codec so that the conformance suite cannot inherit its mistakes.
 * <p>
 * Besides the seed layouts it knows the two other transaction layouts the sample app serves on
 * the same endpoint, written from their own tables: the cryo-protocol 1.4 layouts of the
 * published Cryo v1 client generation (cryo-v1.md §10.5: TX_START with an i32 size at 17 and the
 * name at 21, TX_CHUNK with a u32 seq at 13 and the payload at 17, the 25-byte chunk-index
 * TX_FETCH) and CAMP's (camp.md §3, §4: the 13-byte ping without ack, TX_START with an i64 size
 * and a behaviour byte, TX_CHUNK with a u64 offset, TX_FETCH 0x03 and TX_CANCEL 0x04), see
 * {@link Layout}. Base frames are the same bytes in all of them, except CAMP's PING_PONG.
 * <p>
 * All integers are unsigned big-endian (§1.4) unless a table says signed; sids are kept in a
 * {@code long} and treated as unsigned, u32 values in a {@code long} in the range 0..2^32-1.
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

	/** §10.5: the largest message of the cryo-protocol 1.4 layout (a TX_CHUNK with 16 MiB). */
	static final int MAX_MESSAGE_1_4 = 21 + MAX_PAYLOAD;

	// camp.md §3: the two type codes whose meaning differs from Cryo v1 (0x05 is unassigned)
	static final int CAMP_TX_FETCH = 0x03;
	static final int CAMP_TX_CANCEL = 0x04;

	/** camp.md §2: CAMP_MAX_PAYLOAD (UTF8DATA, BINARYDATA, ERROR, BYE and TX_CHUNK payloads). */
	static final int CAMP_MAX_PAYLOAD = 1024 * 1024;

	/** camp.md §2: CAMP_MAX_NAME, the longest transaction name in bytes. */
	static final int CAMP_MAX_NAME = 1024;

	/** camp.md §2: the largest legal CAMP message (a TX_CHUNK with 1 MiB). */
	static final int CAMP_MAX_MESSAGE = 21 + CAMP_MAX_PAYLOAD;

	/** TX_FLOW behaviour and CAMP TX_START behaviour values. */
	static final int PUSH = 0;

	static final int PULL = 1;

	/** Size −1 in a 1.4 or CAMP TX_START: unknown length. */
	static final long UNKNOWN_SIZE = -1;

	/**
	 * The tables a transaction frame is read and written with. Base frames (0xF9–0xFF) are the
	 * same in all three, except that CAMP's PING_PONG has no ack field.
	 */
	enum Layout {

		/** cryo-v1.md §4.3. */
		SEED,

		/** cryo-v1.md §10.5: the layouts of cryo-protocol 1.1.8–1.4.2. */
		CRYO_PROTOCOL_1_4,

		/** camp.md §4. */
		CAMP

	}

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

	/** Seed TX_START (0x00), 17 + N bytes: txid u32 @13, name UTF-8 @17. */
	static byte[] txStart(long sid, long ack, long txid, String name) {
		byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
		return frame(sid, TX_START, ack, ByteBuffer.allocate(4 + utf8.length).putInt((int) txid).put(utf8).array());
	}

	/** Seed TX_PULL (0x04), exactly 33 bytes: txid u32 @13, start u64 @17, end u64 @25 (§4.3). */
	static byte[] txPull(long sid, long ack, long txid, long start, long end) {
		return frame(sid, TX_PULL, ack, ByteBuffer.allocate(20).putInt((int) txid).putLong(start).putLong(end).array());
	}

	// ------------------------------------------------------------------ encoding, cryo-protocol 1.4 (§10.5)

	/** 1.4 TX_START (0x00), 21 + N bytes: txid u32 @13, size i32 @17 (−1 unknown), name UTF-8 @21. */
	static byte[] txStart14(long sid, long ack, long txid, int size, String name) {
		byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
		return frame(sid, TX_START, ack,
				ByteBuffer.allocate(8 + utf8.length).putInt((int) txid).putInt(size).put(utf8).array());
	}

	/** 1.4 TX_CHUNK (0x01), 17 + N bytes: txid u32 @9, seq u32 @13, payload @17. */
	static byte[] txChunk14(long sid, long txid, long seq, byte[] payload, int offset, int length) {
		return frame(sid, TX_CHUNK, txid,
				ByteBuffer.allocate(4 + length).putInt((int) seq).put(payload, offset, length).array());
	}

	/** 1.4 TX_FETCH (0x04), exactly 25 bytes: txid u32 @13, start and end u32 chunk indexes @17, @21. */
	static byte[] txFetch14(long sid, long ack, long txid, long startChunk, long endChunk) {
		return frame(sid, TX_PULL, ack,
				ByteBuffer.allocate(12).putInt((int) txid).putInt((int) startChunk).putInt((int) endChunk).array());
	}

	// ------------------------------------------------------------------ encoding, CAMP (camp.md §4)

	/** CAMP PING_PONG (0xFB), exactly 13 bytes: "ping" @9, no ack field. */
	static byte[] campPing(long sid) {
		return campPingPong(sid, "ping");
	}

	/** CAMP PING_PONG (0xFB), exactly 13 bytes: "pong" @9, no ack field. */
	static byte[] campPong(long sid) {
		return campPingPong(sid, "pong");
	}

	private static byte[] campPingPong(long sid, String payload) {
		return ByteBuffer.allocate(13)
			.putLong(sid)
			.put((byte) PING_PONG)
			.put(payload.getBytes(StandardCharsets.US_ASCII))
			.array();
	}

	/**
	 * CAMP TX_START (0x00), 26 + N bytes: txId u32 @13, size i64 @17 (−1 unknown), behaviour u8 @25
	 * (0 push, 1 pull), name UTF-8 @26.
	 */
	static byte[] campTxStart(long sid, long ack, long txid, long size, int behaviour, String name) {
		byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
		return frame(sid, TX_START, ack, ByteBuffer.allocate(13 + utf8.length)
			.putInt((int) txid)
			.putLong(size)
			.put((byte) behaviour)
			.put(utf8)
			.array());
	}

	/** CAMP TX_CHUNK (0x01), 21 + N bytes: txId u32 @9, offset u64 @13, payload @21. */
	static byte[] campTxChunk(long sid, long txid, long offset, byte[] payload, int from, int length) {
		return frame(sid, TX_CHUNK, txid,
				ByteBuffer.allocate(8 + length).putLong(offset).put(payload, from, length).array());
	}

	/** CAMP TX_FETCH (0x03), exactly 33 bytes: txId u32 @13, start u64 @17, end u64 @25. */
	static byte[] campTxFetch(long sid, long ack, long txid, long start, long end) {
		return frame(sid, CAMP_TX_FETCH, ack,
				ByteBuffer.allocate(20).putInt((int) txid).putLong(start).putLong(end).array());
	}

	/** CAMP TX_CANCEL (0x04), exactly 17 bytes: txId u32 @13. */
	static byte[] campTxCancel(long sid, long ack, long txid) {
		return ackAndTxid(sid, CAMP_TX_CANCEL, ack, txid);
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

		/** camp.md §4: a 13-byte PING_PONG whose bytes 9–12 are "ping". */
		boolean isCampPing() {
			return type() == PING_PONG && this.bytes.length == 13 && "ping".equals(campPingText());
		}

		/** camp.md §4: a 13-byte PING_PONG whose bytes 9–12 are "pong". */
		boolean isCampPong() {
			return type() == PING_PONG && this.bytes.length == 13 && "pong".equals(campPingText());
		}

		/** The 4 bytes of a CAMP PING_PONG from offset 9, as ASCII. */
		String campPingText() {
			return new String(this.bytes, 9, Math.min(4, this.bytes.length - 9), StandardCharsets.US_ASCII);
		}

		/** u32 at an offset. */
		long u32(int offset) {
			return buffer().getInt(offset) & U32_MAX;
		}

		/** u64 at an offset (kept in a long, unsigned). */
		long u64(int offset) {
			return buffer().getLong(offset);
		}

		/**
		 * The txid of TX_START, TX_FINISH, TX_PULL / TX_FETCH and TX_CANCEL (u32 @13, behind the
		 * ack); a TX_CHUNK carries its txid in place of the ack, see {@link #ack()}.
		 */
		long txid() {
			return u32(13);
		}

		/** TX_START: the announced size: i32 @17 (1.4), i64 @17 (CAMP); the seed has none (−1). */
		long startSize(Layout layout) {
			return switch (layout) {
				case SEED -> UNKNOWN_SIZE;
				case CRYO_PROTOCOL_1_4 -> buffer().getInt(17);
				case CAMP -> buffer().getLong(17);
			};
		}

		/** CAMP TX_START: the behaviour byte @25 (0 push, 1 pull). */
		int campBehaviour() {
			return this.bytes[25] & 0xFF;
		}

		/** TX_START: where the name starts (17 seed, 21 1.4, 26 CAMP). */
		static int nameOffset(Layout layout) {
			return switch (layout) {
				case SEED -> 17;
				case CRYO_PROTOCOL_1_4 -> 21;
				case CAMP -> 26;
			};
		}

		/** TX_START: the name, UTF-8. */
		String startName(Layout layout) {
			int offset = nameOffset(layout);
			return new String(this.bytes, offset, this.bytes.length - offset, StandardCharsets.UTF_8);
		}

		/** TX_CHUNK: where the payload starts (13 seed, 17 1.4, 21 CAMP). */
		static int payloadOffset(Layout layout) {
			return switch (layout) {
				case SEED -> 13;
				case CRYO_PROTOCOL_1_4 -> 17;
				case CAMP -> 21;
			};
		}

		/** TX_CHUNK: the seq (u32 @13, 1.4) or the offset (u64 @13, CAMP); the seed has neither (0). */
		long chunkPosition(Layout layout) {
			return switch (layout) {
				case SEED -> 0;
				case CRYO_PROTOCOL_1_4 -> u32(13);
				case CAMP -> u64(13);
			};
		}

		/** TX_CHUNK: the payload's length. */
		int chunkLength(Layout layout) {
			return this.bytes.length - payloadOffset(layout);
		}

		/** TX_CHUNK: a copy of the payload. */
		byte[] chunkPayload(Layout layout) {
			return Arrays.copyOfRange(this.bytes, payloadOffset(layout), this.bytes.length);
		}

		/** Seed TX_PULL / CAMP TX_FETCH: start u64 @17. */
		long rangeStart() {
			return u64(17);
		}

		/** Seed TX_PULL / CAMP TX_FETCH: end u64 @25. */
		long rangeEnd() {
			return u64(25);
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

	// ------------------------------------------------------------------ well-formedness

	/**
	 * What is wrong with a message as a frame a sender writes in the given layout, or an empty
	 * list: the type is assigned, fixed-size frames have exactly their size, variable frames at
	 * least their minimum and at most the layout's payload and name limits, and the fields the
	 * tables constrain hold allowed values (cryo-v1.md §4.3, §4.4, §9, §10.5; camp.md §2, §4).
	 * Stricter than a receiver has to be (§4.5 accepts fixed-size frames with trailing bytes):
	 * it judges what the server sends and which vectors are invalid.
	 */
	static List<String> problems(byte[] message, Layout layout) {
		List<String> problems = new ArrayList<>();
		if (message.length < HEADER) {
			problems.add("shorter than the 13-byte header");
			return problems;
		}
		Frame frame = new Frame(message);
		int type = frame.type();
		String name = typeName(type, layout);
		boolean camp = layout == Layout.CAMP;
		int maxPayload = camp ? CAMP_MAX_PAYLOAD : MAX_PAYLOAD;
		int maxMessage = switch (layout) {
			case SEED -> MAX_MESSAGE;
			case CRYO_PROTOCOL_1_4 -> MAX_MESSAGE_1_4;
			case CAMP -> CAMP_MAX_MESSAGE;
		};
		if (message.length > maxMessage) {
			problems.add(message.length + " bytes, more than the largest " + layout + " message (" + maxMessage + ")");
		}
		int exact = switch (type) {
			case ENDPOINT_INFO -> 25;
			case ACK -> 13;
			case PING_PONG -> camp ? 13 : 17;
			case TX_FINISH -> 17;
			case TX_FLOW -> camp ? 33 : 14; // CAMP: TX_FETCH
			case TX_PULL -> switch (layout) { // CAMP: TX_CANCEL; 1.4: the chunk-index TX_FETCH
				case SEED -> 33;
				case CRYO_PROTOCOL_1_4 -> 25;
				case CAMP -> 17;
			};
			case TX_CANCEL -> camp ? -2 : 17;
			case TX_START, TX_CHUNK, BYE, ERROR, UTF8DATA, BINARYDATA -> -1;
			default -> -2;
		};
		if (exact == -2) {
			problems.add(name + ": type 0x" + String.format("%02x", type) + " is not assigned in " + layout);
			return problems;
		}
		if (exact > 0 && message.length != exact) {
			problems.add(name + " must be exactly " + exact + " bytes, is " + message.length);
			return problems;
		}
		switch (type) {
			case PING_PONG -> {
				String payload = camp ? frame.campPingText() : frame.text();
				if (!payload.equals("ping") && !payload.equals("pong")) {
					problems.add("PING_PONG payload must be ping or pong");
				}
			}
			case TX_FLOW -> {
				if (camp) {
					if (Long.compareUnsigned(frame.rangeStart(), frame.rangeEnd()) >= 0) {
						problems.add("TX_FETCH start " + Long.toUnsignedString(frame.rangeStart())
								+ " must be less than end " + Long.toUnsignedString(frame.rangeEnd()));
					}
				}
				else if ((message[13] & 0xFF) > PULL) {
					problems.add("TX_FLOW behaviour must be 0 or 1, is " + (message[13] & 0xFF));
				}
			}
			case TX_START -> {
				int nameOffset = Frame.nameOffset(layout);
				if (message.length < nameOffset) {
					problems.add("TX_START needs at least " + nameOffset + " bytes in " + layout + ", has " + message.length);
					break;
				}
				int nameLength = message.length - nameOffset;
				int maxName = camp ? CAMP_MAX_NAME : MAX_PAYLOAD;
				if (nameLength > maxName) {
					problems.add("TX_START name of " + nameLength + " bytes, more than " + maxName);
				}
				long size = frame.startSize(layout);
				if (size < UNKNOWN_SIZE) {
					problems.add("TX_START size " + size + " below -1");
				}
				if (camp) {
					int behaviour = frame.campBehaviour();
					if (behaviour > PULL) {
						problems.add("TX_START behaviour must be 0 or 1, is " + behaviour);
					}
					else if (behaviour == PULL && size == UNKNOWN_SIZE) {
						problems.add("TX_START in pull mode needs a size");
					}
				}
			}
			case TX_CHUNK -> {
				int payloadOffset = Frame.payloadOffset(layout);
				if (message.length < payloadOffset) {
					problems.add("TX_CHUNK needs at least " + payloadOffset + " bytes in " + layout + ", has "
							+ message.length);
				}
				else if (message.length - payloadOffset > maxPayload) {
					problems.add("TX_CHUNK payload of " + (message.length - payloadOffset) + " bytes, more than "
							+ maxPayload);
				}
			}
			case BYE, ERROR, UTF8DATA, BINARYDATA -> {
				if (message.length - HEADER > maxPayload) {
					problems.add(name + " payload of " + (message.length - HEADER) + " bytes, more than " + maxPayload);
				}
			}
			default -> {
				// fixed-size frames without constrained fields
			}
		}
		return problems;
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

	/** The type's name in a layout: 0x03/0x04 are TX_FETCH/TX_CANCEL in CAMP, 0x04 TX_FETCH in 1.4. */
	static String typeName(int type, Layout layout) {
		if (layout == Layout.CAMP) {
			return switch (type) {
				case CAMP_TX_FETCH -> "TX_FETCH";
				case CAMP_TX_CANCEL -> "TX_CANCEL";
				case TX_CANCEL -> String.format("UNASSIGNED_0x%02x", type);
				default -> typeName(type);
			};
		}
		if (layout == Layout.CRYO_PROTOCOL_1_4 && type == TX_PULL) {
			return "TX_FETCH";
		}
		return typeName(type);
	}

	/**
	 * The code of a type name as the vector files write it in a layout; a suffix naming the
	 * cryo-protocol version ({@code TX_START(1.4.2)}) is ignored.
	 */
	static int typeCode(String name, Layout layout) {
		String bare = (name.indexOf('(') > 0) ? name.substring(0, name.indexOf('(')) : name;
		for (int code = 0; code <= 0xFF; code++) {
			if (typeName(code, layout).equals(bare)) {
				return code;
			}
		}
		throw new IllegalArgumentException("unknown frame type name " + name + " in " + layout);
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
