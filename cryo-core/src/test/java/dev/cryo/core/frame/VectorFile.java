package dev.cryo.core.frame;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One of the golden vector files of the test resources ({@code vectors/*.json}, copies of
 * {@code shared/protocol/vectors}, so the build does not need the shared folder): its groups of
 * entries, the numeric fields as the files write them, and the entries as named arguments of a
 * parameterized test. The per-dialect readers ({@code CryoV1Vectors}, {@code CampVectors}) build
 * frames from what this one reads.
 */
public final class VectorFile {

	private final String name;

	private final JsonNode root;

	private VectorFile(String name, JsonNode root) {
		this.name = name;
		this.root = root;
	}

	/** Reads {@code vectors/<name>} from the test resources; a missing file fails at once. */
	public static VectorFile load(String name) {
		String resource = "vectors/" + name;
		try (InputStream in = VectorFile.class.getResourceAsStream("/" + resource)) {
			if (in == null) {
				throw new IllegalStateException(resource + " is missing from the test resources");
			}
			return new VectorFile(name, JsonMapper.shared().readTree(in));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The node at a path of field names from the root, missing if any of them is. */
	public JsonNode node(String... path) {
		JsonNode node = this.root;
		for (String field : path) {
			node = node.path(field);
		}
		return node;
	}

	/**
	 * The entries of the group at a path of field names; a group that is missing or empty fails,
	 * so that a renamed group cannot leave a parameterized test with nothing to run.
	 */
	public List<JsonNode> group(String... path) {
		JsonNode array = node(path);
		if (!array.isArray() || array.size() == 0) {
			throw new IllegalStateException("vector group " + String.join(".", path) + " of " + this.name
					+ " is missing or empty");
		}
		List<JsonNode> entries = new ArrayList<>();
		for (int i = 0; i < array.size(); i++) {
			entries.add(array.get(i));
		}
		return entries;
	}

	/** Entries as the arguments of a parameterized test: each entry's {@code name}, then the entry. */
	public static Stream<Arguments> named(List<JsonNode> entries) {
		return entries.stream().map((entry) -> Arguments.of(entry.path("name").stringValue(), entry));
	}

	/** A 64-bit field: a decimal string of an unsigned value. */
	public static long u64(JsonNode fields, String name) {
		return Long.parseUnsignedLong(fields.path(name).stringValue());
	}

	/** A 32-bit field: a JSON number from 0 to 2^32-1; absent means 0 (TX_CHUNK has no ack). */
	public static int u32(JsonNode fields, String name) {
		JsonNode node = fields.path(name);
		return node.isMissingNode() ? 0 : (int) node.asLong();
	}

	/**
	 * The behaviour of a TX_START or TX_FLOW entry: its {@code behaviourCode}, which must agree
	 * with the {@code behaviour} written out beside it.
	 */
	public static FlowBehaviour behaviour(JsonNode fields) {
		FlowBehaviour behaviour = FlowBehaviour.fromCode(u32(fields, "behaviourCode"));
		if (behaviour == null || !("TX_" + behaviour).equals(fields.path("behaviour").stringValue())) {
			throw new IllegalStateException("inconsistent behaviour in " + fields);
		}
		return behaviour;
	}

}
