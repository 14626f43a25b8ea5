package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.core.SessionId;
import dev.cryo.test.RawFrames;

/**
 * The frames the published clients put on the wire, from the {@code clientCaptures} of
 * {@code vectors/camp.json} and {@code vectors/cryo-v1.json} (copied from
 * {@code shared/protocol/vectors} into the test resources), by entry name, ready to be replayed in
 * a test's own session.
 */
final class ClientCaptures {

	private static final Map<String, String> HEX = load("/vectors/camp.json", "/vectors/cryo-v1.json");

	private ClientCaptures() {
	}

	private static Map<String, String> load(String... resources) {
		JsonMapper mapper = JsonMapper.builder().build();
		Map<String, String> captures = new HashMap<>();
		for (String resource : resources) {
			try (InputStream in = ClientCaptures.class.getResourceAsStream(resource)) {
				if (in == null) {
					throw new IllegalStateException(resource + " is missing from the test resources");
				}
				for (JsonNode capture : mapper.readTree(in).path("clientCaptures")) {
					captures.put(capture.path("name").asString(), capture.path("hex").asString());
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return captures;
	}

	/**
	 * Returns a captured frame with the session id replaced.
	 * @param name the entry's name, e.g. {@code camp-client-browser/first-frame-ack}
	 * @param sid the session the frame is replayed in
	 * @return the message
	 */
	static byte[] replay(String name, SessionId sid) {
		String hex = HEX.get(name);
		if (hex == null) {
			throw new IllegalArgumentException("No client capture named " + name);
		}
		return RawFrames.replay(hex, sid);
	}

}
