package dev.cryo.core;

import org.jspecify.annotations.Nullable;

/**
 * Makes text that a peer sent safe to write to a log: BYE and ERROR reasons, close reasons,
 * transaction names, header and parameter values. A peer controls every character of such text,
 * so written as is a newline would let it forge log lines, an escape sequence would let it
 * rewrite a terminal, and a megabyte would cost a megabyte of log per line.
 *
 * <p>{@link #escape(CharSequence, int)} writes every character that a log reader would not see
 * as itself as a visible escape: {@code \n}, {@code \r}, {@code \t}, {@code \\} for the
 * backslash itself (so that an escape in the output always means one in the input), and
 * {@code \}{@code uXXXX} for the other C0 and C1 controls (ESC included), DEL, the line and
 * paragraph separators U+2028 and U+2029, format characters (bidirectional overrides,
 * zero-width characters), unassigned code points and lone surrogates. Letters, digits,
 * punctuation, symbols and spaces of every script stay as they are, and so do well-formed
 * surrogate pairs (emoji). The result is cut to a bounded length, with a marker that says how
 * many characters of the input were left out: {@code verylongname[... 1048320 more chars]}.
 *
 * <p>Use it at each log call site where peer text appears, and only there: the text the
 * application sees in events is never changed.
 */
public final class LogText {

	/**
	 * Most characters {@link #escape(CharSequence)} writes for one piece of peer text, escapes
	 * included and the cut marker not: enough for any legitimate reason or name (a WebSocket close
	 * reason has at most 123 bytes), small enough that a log line stays a line.
	 */
	public static final int DEFAULT_MAX_CHARS = 256;

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private LogText() {
	}

	/**
	 * Escapes peer text for a log and cuts it to {@link #DEFAULT_MAX_CHARS}.
	 * @param text the text, {@code null} written as {@code null}
	 * @return the escaped, bounded text
	 */
	public static String escape(@Nullable CharSequence text) {
		return escape(text, DEFAULT_MAX_CHARS);
	}

	/**
	 * Escapes peer text for a log and cuts it so that at most {@code maxChars} characters of
	 * escaped text are written, followed, when anything was cut, by a marker naming how many
	 * characters of the input were left out. An escape or a surrogate pair is never split.
	 * Only as much of the input as fits is read, so the cost does not grow with the input.
	 * @param text the text, {@code null} written as {@code null}
	 * @param maxChars most characters of escaped text, zero or more
	 * @return the escaped, bounded text
	 */
	public static String escape(@Nullable CharSequence text, int maxChars) {
		if (maxChars < 0) {
			throw new IllegalArgumentException("maxChars must not be negative, got " + maxChars);
		}
		if (text == null) {
			return "null";
		}
		int length = text.length();
		StringBuilder out = new StringBuilder(Math.min(length, maxChars) + 24);
		int index = 0;
		while (index < length) {
			char c = text.charAt(index);
			int consumed = 1;
			int before = out.length();
			if (Character.isHighSurrogate(c) && index + 1 < length && Character.isLowSurrogate(text.charAt(index + 1))) {
				int codePoint = Character.toCodePoint(c, text.charAt(index + 1));
				consumed = 2;
				if (isVisible(codePoint)) {
					out.append(c).append(text.charAt(index + 1));
				}
				else {
					unicode(out, c);
					unicode(out, text.charAt(index + 1));
				}
			}
			else {
				appendEscaped(out, c);
			}
			if (out.length() > maxChars) {
				// This character's escape does not fit whole: it is left out, not split.
				out.setLength(before);
				break;
			}
			index += consumed;
		}
		if (index < length) {
			out.append("[... ").append(length - index).append(" more chars]");
		}
		return out.toString();
	}

	private static void appendEscaped(StringBuilder out, char c) {
		switch (c) {
			case '\n' -> out.append("\\n");
			case '\r' -> out.append("\\r");
			case '\t' -> out.append("\\t");
			case '\\' -> out.append("\\\\");
			default -> {
				// A lone surrogate is not a character at all; every other char is its own code point.
				if (!Character.isSurrogate(c) && isVisible(c)) {
					out.append(c);
				}
				else {
					unicode(out, c);
				}
			}
		}
	}

	/** Whether a log reader sees the code point as itself (and no terminal or editor acts on it). */
	private static boolean isVisible(int codePoint) {
		return switch (Character.getType(codePoint)) {
			case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
					Character.SURROGATE, Character.UNASSIGNED ->
				false;
			default -> true;
		};
	}

	private static void unicode(StringBuilder out, char c) {
		out.append("\\u")
			.append(HEX[(c >> 12) & 0xF])
			.append(HEX[(c >> 8) & 0xF])
			.append(HEX[(c >> 4) & 0xF])
			.append(HEX[c & 0xF]);
	}

}
