package dev.cryo.core.dialect;

import java.util.Optional;

import dev.cryo.core.SessionId;

/**
 * Parses a decimal session id ({@code x-cryo-sid} in Cryo v1, {@code x-camp-sid} in CAMP) as
 * cryo-v1.md §2.3 step 5 says: surrounding ASCII whitespace is
 * stripped, the rest must be 1–20 decimal digits (leading zeros allowed, and counted) with a value of at most
 * 2^64−1. Signs, exponents, fractions, hex forms and UUIDs are refused.
 */
public final class DecimalSessionIds {

	private static final int MAX_DIGITS = 20;

	private DecimalSessionIds() {
	}

	/**
	 * Parses a session id.
	 * @param value the parameter value
	 * @return the numeric session id, or empty if the value is not a valid sid
	 */
	public static Optional<SessionId> parse(String value) {
		int start = 0;
		int end = value.length();
		while (start < end && isAsciiWhitespace(value.charAt(start))) {
			start++;
		}
		while (end > start && isAsciiWhitespace(value.charAt(end - 1))) {
			end--;
		}
		if (start == end) {
			return Optional.empty();
		}
		// 1-20 digits in all, leading zeros included (§2.3 step 5).
		if (end - start > MAX_DIGITS) {
			return Optional.empty();
		}
		for (int i = start; i < end; i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return Optional.empty();
			}
		}
		try {
			return Optional.of(SessionId.of(Long.parseUnsignedLong(value.substring(start, end))));
		}
		catch (NumberFormatException ex) {
			// More than 2^64-1.
			return Optional.empty();
		}
	}

	private static boolean isAsciiWhitespace(char c) {
		return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
	}

}
