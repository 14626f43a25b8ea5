package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level helpers shared by the frame records and the decoder: the common header, UTF-8
 * sizing, payload views and the size limit.
 */
final class WireFormat {

	/** Offset of the type byte. */
	static final int TYPE_OFFSET = 8;

	/** Offset of the ack number (the txid in TX_CHUNK). */
	static final int ACK_OFFSET = 9;

	private WireFormat() {
	}

	/**
	 * Writes sid, type byte and the ack (or txid) field at the buffer's position, big-endian
	 * whatever the buffer's own byte order.
	 */
	static void putHeader(ByteBuffer target, long sid, FrameType type, int ackOrTxid) {
		putU64(target, sid);
		target.put((byte) type.code());
		putU32(target, ackOrTxid);
	}

	/** Writes a 32-bit field in network byte order, whatever the buffer's own order. */
	static void putU32(ByteBuffer target, int value) {
		target.putInt((target.order() == ByteOrder.BIG_ENDIAN) ? value : Integer.reverseBytes(value));
	}

	/** Writes a 64-bit field in network byte order, whatever the buffer's own order. */
	static void putU64(ByteBuffer target, long value) {
		target.putLong((target.order() == ByteOrder.BIG_ENDIAN) ? value : Long.reverseBytes(value));
	}

	/**
	 * Returns a read-only view of the remaining bytes with its own position and limit, so no
	 * caller of the frame can move another caller's position.
	 */
	static ByteBuffer readOnlyView(ByteBuffer payload) {
		return payload.slice().asReadOnlyBuffer();
	}

	/** Refuses a variable part larger than {@link FrameCodec#MAX_PAYLOAD}. */
	static void checkPayloadLength(FrameType type, int offset, long length) {
		if (length > FrameCodec.MAX_PAYLOAD) {
			throw new CryoFrameException(CryoFrameException.Rule.PAYLOAD_TOO_LARGE, type, offset,
					type + " variable part of " + length + " bytes exceeds " + FrameCodec.MAX_PAYLOAD);
		}
	}

	/** Refuses text whose UTF-8 form is larger than {@link FrameCodec#MAX_PAYLOAD}. */
	static void checkTextLength(FrameType type, int offset, String text) {
		// Three bytes per UTF-16 unit is the worst case, so short texts need no scan.
		if ((long) text.length() * 3 > FrameCodec.MAX_PAYLOAD) {
			checkPayloadLength(type, offset, utf8Length(text));
		}
	}

	/** Counts the UTF-8 bytes of a string without encoding it; lone surrogates count as one byte ('?'). */
	static int utf8Length(String text) {
		int length = text.length();
		int bytes = length;
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c >= 0x80) {
				if (c < 0x800) {
					bytes += 1;
				}
				else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
					bytes += 2;
					i++;
				}
				else if (!Character.isSurrogate(c)) {
					bytes += 2;
				}
			}
		}
		return bytes;
	}

	/** Writes a string as UTF-8 (malformed UTF-16 becomes '?', as {@link String#getBytes} does). */
	static void putUtf8(ByteBuffer target, String text) {
		target.put(text.getBytes(StandardCharsets.UTF_8));
	}

	/** Decodes UTF-8 leniently: malformed sequences become U+FFFD (cryo-v1.md §1.6). */
	static String decodeUtf8(ByteBuffer bytes) {
		int length = bytes.remaining();
		if (bytes.hasArray()) {
			return new String(bytes.array(), bytes.arrayOffset() + bytes.position(), length, StandardCharsets.UTF_8);
		}
		byte[] copy = new byte[length];
		bytes.duplicate().get(copy);
		return new String(copy, StandardCharsets.UTF_8);
	}

	/** Shows a u32 held in an int. */
	static String u32(int value) {
		return Integer.toUnsignedString(value);
	}

	/** Shows a u64 held in a long. */
	static String u64(long value) {
		return Long.toUnsignedString(value);
	}

}
