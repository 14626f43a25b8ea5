package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Helpers the frame records share: UTF-8 sizing and lenient decoding, payload views, the size
 * limit of the model and the unsigned display of numbers. The byte layout belongs to the codecs.
 */
final class FrameSupport {

	private FrameSupport() {
	}

	/**
	 * Returns a read-only view of the remaining bytes with its own position and limit, so no
	 * caller of the frame can move another caller's position.
	 */
	static ByteBuffer readOnlyView(ByteBuffer payload) {
		return payload.slice().asReadOnlyBuffer();
	}

	/**
	 * Refuses a variable part larger than {@link Frame#MAX_PAYLOAD}. The variable part of every
	 * type follows its fixed fields, so the offset reported is the type's minimum length.
	 */
	static void checkPayloadLength(FrameType type, long length) {
		if (length > Frame.MAX_PAYLOAD) {
			throw new CryoFrameException(CryoFrameException.Rule.PAYLOAD_TOO_LARGE, type, type.minLength(),
					type + " variable part of " + length + " bytes exceeds " + Frame.MAX_PAYLOAD);
		}
	}

	/** Refuses text whose UTF-8 form is larger than {@link Frame#MAX_PAYLOAD}. */
	static void checkTextLength(FrameType type, String text) {
		// Three bytes per UTF-16 unit is the worst case, so short texts need no scan.
		if ((long) text.length() * 3 > Frame.MAX_PAYLOAD) {
			checkPayloadLength(type, utf8Length(text));
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
