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
 * The golden vectors of cryo-v1.md §15, copied from {@code shared/protocol/vectors/cryo-v1.json}
 * into {@code src/test/resources/conformance} so that the build does not depend on files outside
 * the module.
 */
final class Vectors {

	private static final DocumentContext DOCUMENT = load();

	private Vectors() {
	}

	private static DocumentContext load() {
		try (InputStream in = Vectors.class.getResourceAsStream("/conformance/cryo-v1.json")) {
			if (in == null) {
				throw new IllegalStateException("conformance/cryo-v1.json is missing from the test resources");
			}
			return JsonPath.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static List<Map<String, Object>> list(String path) {
		return DOCUMENT.read(path);
	}

	static <T> T read(String path) {
		return DOCUMENT.read(path);
	}

}
