package dev.cryo.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;

/**
 * The golden vectors of cryo-v1.md §15, camp.md §9 and legacy-v0.md §9, copied from
 * {@code shared/protocol/vectors/cryo-v1.json}, {@code camp.json} and {@code legacy-v0.json} into
 * {@code src/test/resources/conformance} so that the build does not depend on files outside the
 * module.
 */
final class Vectors {

	private static final DocumentContext DOCUMENT = load("cryo-v1.json");

	private static final DocumentContext CAMP = load("camp.json");

	private static final DocumentContext LEGACY = load("legacy-v0.json");

	private Vectors() {
	}

	private static DocumentContext load(String file) {
		try (InputStream in = Vectors.class.getResourceAsStream("/conformance/" + file)) {
			if (in == null) {
				throw new IllegalStateException("conformance/" + file + " is missing from the test resources");
			}
			return JsonPath.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Entries of cryo-v1.json. */
	static List<Map<String, Object>> list(String path) {
		return DOCUMENT.read(path);
	}

	/** A value of cryo-v1.json. */
	static <T> T read(String path) {
		return DOCUMENT.read(path);
	}

	/** Entries of camp.json. */
	static List<Map<String, Object>> campList(String path) {
		return CAMP.read(path);
	}

	/** Entries of legacy-v0.json. */
	static List<Map<String, Object>> legacyList(String path) {
		return LEGACY.read(path);
	}

	/** A value of legacy-v0.json. */
	static <T> T legacyRead(String path) {
		return LEGACY.read(path);
	}

	/** The entry of cryo-v1.json's {@code clientCaptures} with this name. */
	static Map<String, Object> clientCapture(String name) {
		return named(list("$.clientCaptures[*]"), name);
	}

	/** The entry of camp.json's {@code clientCaptures} with this name. */
	static Map<String, Object> campClientCapture(String name) {
		return named(campList("$.clientCaptures[*]"), name);
	}

	private static Map<String, Object> named(List<Map<String, Object>> entries, String name) {
		return entries.stream()
			.filter((entry) -> name.equals(entry.get("name")))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no vector named " + name));
	}

}
