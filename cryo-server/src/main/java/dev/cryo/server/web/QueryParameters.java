package dev.cryo.server.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Reads parameters from a raw query string the way {@code URLSearchParams.get} does, which is
 * what the published clients use: form decoding ({@code +} is a space, {@code %2B} a plus),
 * case-sensitive names, first occurrence wins (cryo-v1.md §2.1). Spring's
 * {@code UriComponentsBuilder} would leave {@code +} alone, hence this class.
 */
final class QueryParameters {

	private QueryParameters() {
	}

	/**
	 * Returns the decoded value of the first occurrence of a parameter.
	 * @param rawQuery the undecoded query string, without {@code ?}
	 * @param name the parameter name
	 * @return the value ({@code ""} for {@code name} or {@code name=}), or {@code null} if absent
	 */
	static @Nullable String first(@Nullable String rawQuery, String name) {
		if (rawQuery == null || rawQuery.isEmpty()) {
			return null;
		}
		int start = 0;
		while (start <= rawQuery.length()) {
			int end = rawQuery.indexOf('&', start);
			if (end < 0) {
				end = rawQuery.length();
			}
			String pair = rawQuery.substring(start, end);
			int equals = pair.indexOf('=');
			String rawName = (equals >= 0) ? pair.substring(0, equals) : pair;
			if (!pair.isEmpty() && name.equals(decode(rawName))) {
				return (equals >= 0) ? decode(pair.substring(equals + 1)) : "";
			}
			start = end + 1;
		}
		return null;
	}

	/** Form-decodes; a malformed escape keeps the raw text rather than failing the whole request. */
	private static String decode(String raw) {
		try {
			return URLDecoder.decode(raw, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return raw;
		}
	}

}
