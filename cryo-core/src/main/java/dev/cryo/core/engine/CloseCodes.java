package dev.cryo.core.engine;

import java.nio.charset.StandardCharsets;

/**
 * The WebSocket close codes Cryo v1 uses (cryo-v1.md §8.4), and the 123-byte limit of close
 * reasons.
 */
public final class CloseCodes {

	/** After a BYE was received or sent. */
	public static final int GRACEFUL = 4000;

	/** The peer broke the protocol: version mismatch, missing feature, handshake timeout, garbage. */
	public static final int CLIENT_ERROR = 4001;

	/** An internal failure of this endpoint. */
	public static final int SERVER_ERROR = 4002;

	/** RFC 6455 "Message Too Big": a message or payload over the limit of §9. */
	public static final int MESSAGE_TOO_BIG = 1009;

	/**
	 * RFC 6455 "Policy Violation": a peer that does not keep up (send timeout, terminate policy,
	 * too many ACKs and pongs it does not read).
	 */
	public static final int POLICY_VIOLATION = 1008;

	/**
	 * RFC 6455 "Try Again Later": the server has no room for the message now (its reassembly
	 * budget is spent); the same message may be accepted on a new connection later.
	 */
	public static final int TRY_AGAIN_LATER = 1013;

	/**
	 * RFC 6455 "Abnormal Closure": the connection dropped without a close frame. Recorded, never
	 * sent in a close frame.
	 */
	public static final int ABNORMAL = 1006;

	/** RFC 6455 normal closure. */
	public static final int NORMAL = 1000;

	/** The largest close reason RFC 6455 allows, in UTF-8 bytes. */
	public static final int MAX_REASON_BYTES = 123;

	private CloseCodes() {
	}

	/**
	 * Shortens a close reason to at most {@value #MAX_REASON_BYTES} bytes of UTF-8, cutting at a
	 * character boundary (never inside a surrogate pair).
	 * @param reason the reason
	 * @return the reason itself when it fits, otherwise its longest prefix that does
	 */
	public static String truncateReason(String reason) {
		return truncateUtf8(reason, MAX_REASON_BYTES);
	}

	/**
	 * Shortens a text to at most {@code maxBytes} bytes of UTF-8, cutting at a character
	 * boundary (never inside a surrogate pair).
	 * @param text the text
	 * @param maxBytes the byte limit
	 * @return the text itself when it fits, otherwise its longest prefix that does
	 */
	public static String truncateUtf8(String text, int maxBytes) {
		if ((long) text.length() * 3 <= maxBytes || text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
			return text;
		}
		int bytes = 0;
		int end = 0;
		while (end < text.length()) {
			int codePoint = text.codePointAt(end);
			int size = (codePoint < 0x80) ? 1 : (codePoint < 0x800) ? 2 : (codePoint < 0x10000) ? 3 : 4;
			if (bytes + size > maxBytes) {
				break;
			}
			bytes += size;
			end += Character.charCount(codePoint);
		}
		return text.substring(0, end);
	}

}
