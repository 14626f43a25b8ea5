package dev.cryo.server.support;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

	/**
	 * Returns every parameter with all its decoded values, names in order of first appearance.
	 * @param rawQuery the undecoded query string, without {@code ?}
	 * @return the parameters; empty when there is no query
	 */
	static Map<String, List<String>> all(@Nullable String rawQuery) {
		Map<String, List<String>> parameters = new LinkedHashMap<>();
		if (rawQuery == null || rawQuery.isEmpty()) {
			return parameters;
		}
		for (String pair : rawQuery.split("&", -1)) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = decode((equals >= 0) ? pair.substring(0, equals) : pair);
			String value = (equals >= 0) ? decode(pair.substring(equals + 1)) : "";
			parameters.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
		}
		return parameters;
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
