package dev.cryo.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the configuration metadata the processor generates from {@link CryoProperties}: what
 * an IDE shows for every {@code cryo.*} key.
 */
class CryoConfigurationMetadataTests {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private static List<JsonNode> properties;

	@BeforeAll
	static void loadCryoMetadata() throws IOException {
		JsonMapper mapper = JsonMapper.builder().build();
		List<JsonNode> found = new ArrayList<>();
		// Other jars ship their own metadata under the same name: take the one that owns cryo.*.
		for (URL url : Collections.list(CryoConfigurationMetadataTests.class.getClassLoader().getResources(METADATA))) {
			try (InputStream in = url.openStream()) {
				JsonNode root = mapper.readTree(in);
				for (JsonNode property : root.path("properties")) {
					if (property.path("name").asString().startsWith("cryo.")) {
						found.add(property);
					}
				}
			}
		}
		properties = found;
	}

	@Test
	void everyBoundPropertyIsDescribed() {
		assertThat(properties).extracting((property) -> property.path("name").asString())
			.contains("cryo.enabled", "cryo.path", "cryo.keep-alive-interval", "cryo.ack-timeout",
					"cryo.endpoint-info-timeout", "cryo.max-malformed-frames", "cryo.allowed-origins",
					"cryo.backpressure.high-water-mark", "cryo.backpressure.low-water-mark",
					"cryo.backpressure.max-queued-bytes", "cryo.backpressure.max-queue-count",
					"cryo.backpressure.drop-policy", "cryo.limits.max-message-size", "cryo.limits.reassembly-budget",
					"cryo.limits.max-expedited-frames", "cryo.allowed-origin-patterns", "cryo.compression.enabled",
					"cryo.first-frame-delay", "cryo.endpoint-info-grace", "cryo.v1.transaction-layout",
					"cryo.dialects.camp.enabled", "cryo.groups.max-name-length", "cryo.groups.max-per-session");
	}

	@Test
	void everyCryoPropertyHasADescription() {
		assertThat(properties).isNotEmpty().allSatisfy((property) -> assertThat(property.path("description").asString(""))
			.as("description of %s", property.path("name").asString())
			.isNotBlank());
	}

	@Test
	void descriptionsAreWrittenInBootsVoice() {
		assertThat(properties).allSatisfy((property) -> {
			String name = property.path("name").asString();
			String description = property.path("description").asString("");
			assertThat(description).as("description of %s", name).doesNotStartWith("The ").doesNotStartWith("A ").endsWith(".");
			if ("java.lang.Boolean".equals(property.path("type").asString())) {
				assertThat(description).as("description of %s", name).startsWith("Whether");
			}
		});
	}

	@Test
	void everyCryoPropertyWithAScalarDefaultRecordsIt() {
		// Collections default to empty; the processor cannot see that, see the disabled test below.
		// Optional settings whose meaning is "unset" have no default to record.
		java.util.Set<String> optional = java.util.Set.of("cryo.port", "cryo.ssl.bundle", "cryo.backpressure.profile",
				"cryo.transactions.temporary-directory", "cryo.message-buffer-size", "cryo.limits.max-message-size",
				"cryo.limits.reassembly-budget", "cryo.endpoints.websocket.path", "cryo.cluster.redis.node-id");
		assertThat(properties)
			.filteredOn((property) -> !property.path("type").asString().startsWith("java.util.List")
					&& !property.path("type").asString().startsWith("java.util.Map"))
			.filteredOn((property) -> !optional.contains(property.path("name").asString()))
			.allSatisfy((property) -> assertThat(property.has("defaultValue"))
				.as("defaultValue of %s", property.path("name").asString())
				.isTrue());
	}

	@Test
	void defaultValuesMatchTheProperties() {
		assertThat(defaultOf("cryo.enabled")).isEqualTo("true");
		assertThat(defaultOf("cryo.path")).isEqualTo("/cryo");
		assertThat(defaultOf("cryo.keep-alive-interval")).isEqualTo("15s");
		assertThat(defaultOf("cryo.ack-timeout")).isEqualTo("2500ms");
		assertThat(defaultOf("cryo.endpoint-info-timeout")).isEqualTo("10s");
		assertThat(defaultOf("cryo.max-malformed-frames")).isEqualTo("16");
		assertThat(defaultOf("cryo.backpressure.high-water-mark")).isEqualTo("16MB");
		assertThat(defaultOf("cryo.backpressure.low-water-mark")).isEqualTo("1MB");
		assertThat(defaultOf("cryo.backpressure.max-queued-bytes")).isEqualTo("8MB");
		assertThat(defaultOf("cryo.backpressure.max-queue-count")).isEqualTo("1024");
		assertThat(defaultOf("cryo.limits.max-expedited-frames")).isEqualTo("4096");
		assertThat(defaultOf("cryo.backpressure.drop-policy")).isEqualTo("drop-oldest");
		assertThat(defaultOf("cryo.first-frame-delay")).isEqualTo("20ms");
		assertThat(defaultOf("cryo.endpoint-info-grace")).isEqualTo("1s");
		assertThat(defaultOf("cryo.v1.transaction-layout")).isEqualTo("seed");
		assertThat(defaultOf("cryo.dialects.camp.enabled")).isEqualTo("true");
		assertThat(defaultOf("cryo.cluster.redis.enabled")).isEqualTo("false");
		assertThat(defaultOf("cryo.cluster.redis.key-prefix")).isEqualTo("cryo:");
		assertThat(defaultOf("cryo.cluster.redis.session-ttl")).isEqualTo("30s");
		assertThat(defaultOf("cryo.cluster.redis.command-timeout")).isEqualTo("2s");
	}

	@Test
	void allowedOriginsRecordsItsEmptyDefault() {
		JsonNode allowedOrigins = property("cryo.allowed-origins");
		assertThat(allowedOrigins.has("defaultValue")).isTrue();
		assertThat(allowedOrigins.path("defaultValue").isArray()).isTrue();
		assertThat(allowedOrigins.path("defaultValue")).isEmpty();
	}

	private static String defaultOf(String name) {
		JsonNode defaultValue = property(name).path("defaultValue");
		assertThat(defaultValue.isMissingNode()).as("defaultValue of %s", name).isFalse();
		return defaultValue.asString();
	}

	private static JsonNode property(String name) {
		return properties.stream()
			.filter((property) -> name.equals(property.path("name").asString()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No metadata for " + name));
	}

}
