package dev.cryo.endpoint.plugin;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.endpoint.EndpointContext;
import dev.cryo.endpoint.EndpointException;
import dev.cryo.endpoint.EndpointHandler;
import dev.cryo.endpoint.EndpointRequest;
import dev.cryo.endpoint.EndpointResult;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.PluginDefinition.MethodDefinition;
import dev.cryo.endpoint.support.JsonBinder;
import dev.cryo.endpoint.support.SettingsFactory;
import dev.cryo.endpoint.support.SettingsTestConnection;
import dev.cryo.endpoint.support.SettingsTestRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link YoctopusPlugin}.
 */
class YoctopusPluginTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final YoctopusPlugin plugin = new YoctopusPlugin();

	private ValidatorFactory validation;

	private SettingsTestConnection connection;

	@BeforeEach
	void setUp() {
		this.validation = Validation.buildDefaultValidatorFactory();
		SettingsTestRegistry registry = new SettingsTestRegistry();
		registry.register(this.plugin.definition());
		SettingsFactory factory = new SettingsFactory(registry, new JsonBinder(this.validation.getValidator()),
				List.of());
		this.connection = new SettingsTestConnection("ws-7")
			.withTransport(InetSocketAddress.createUnresolved("client.example", 51000), true, 8443)
			.withSettings(factory);
	}

	@AfterEach
	void closeValidation() {
		this.validation.close();
	}

	@Test
	void settingsHaveYoctopusJsonNames() {
		assertThat(this.mapper.writeValueAsString(new YoctopusSettings("a", true, 1, "h")))
			.isEqualTo("{\"label\":\"a\",\"isSecure\":true,\"port\":1,\"remoteAddress\":\"h\"}");
		assertThat(this.mapper.readValue("{\"label\":\"a\",\"isSecure\":true,\"port\":1,\"remoteAddress\":\"h\"}",
				YoctopusSettings.class))
			.isEqualTo(new YoctopusSettings("a", true, 1, "h"));
		assertThat(this.connection.settings().asMap().get("yoctopus")).containsOnlyKeys("label", "isSecure", "port",
				"remoteAddress");
	}

	@Test
	void openingRecordsTheTransportAndLabelsWithTheId() {
		this.plugin.onConnectionOpened(this.connection);
		assertThat(this.connection.settings().get("yoctopus", YoctopusSettings.class))
			.isEqualTo(new YoctopusSettings("ws-7", true, 8443, "client.example"));
		assertThat(this.connection.settings().get("yoctopus", "isSecure")).isEqualTo(true);
	}

	@Test
	void openingWithoutAnAddressLeavesItNull() {
		this.connection.withTransport(null, false, -1);
		this.plugin.onConnectionOpened(this.connection);
		assertThat(this.connection.settings().get("yoctopus", YoctopusSettings.class))
			.isEqualTo(new YoctopusSettings("ws-7", false, -1, null));
	}

	@Test
	void labelUpdateSetsTheLabel() throws Exception {
		MethodDefinition update = this.plugin.definition().endpoints().get("label").methods().get("update");
		assertThat(update.requestType()).isEqualTo(String.class);
		Object result = invoke(update, "kitchen");
		assertThat(result).isEqualTo(EndpointResult.of("kitchen").withSetting("label", "kitchen"));
		this.connection.settings().update("yoctopus", ((EndpointResult<?>) result).settings());
		assertThat(this.connection.settings().get("yoctopus", "label")).isEqualTo("kitchen");
	}

	@Test
	void labelMustNotBeBlankNorLongerThan64() throws Exception {
		MethodDefinition update = this.plugin.definition().endpoints().get("label").methods().get("update");
		assertThatExceptionOfType(EndpointException.class).isThrownBy(() -> invoke(update, " "))
			.withMessage("data: must not be blank");
		assertThatExceptionOfType(EndpointException.class).isThrownBy(() -> invoke(update, null))
			.withMessage("data: must not be blank");
		assertThatExceptionOfType(EndpointException.class).isThrownBy(() -> invoke(update, "x".repeat(65)))
			.withMessage("data: size must be at most 64");
		assertThat(invoke(update, "x".repeat(64))).isInstanceOf(EndpointResult.class);
	}

	@SuppressWarnings("unchecked")
	private @Nullable Object invoke(MethodDefinition method, @Nullable String body) throws Exception {
		EndpointRequest request = new EndpointRequest("1", "yoctopus:label", method.name(),
				this.mapper.valueToTree(body), this.mapper.createObjectNode());
		EndpointContext context = new EndpointContext(this.connection, request, (filter, type, data) -> 0);
		return ((EndpointHandler<Object>) method.handler()).handle(context, body);
	}

	@Test
	void definitionDeclaresTheSettingsType() {
		PluginDefinition definition = this.plugin.definition();
		assertThat(definition.name()).isEqualTo("yoctopus");
		assertThat(definition.settingsType()).isEqualTo(YoctopusSettings.class);
		assertThat(Map.copyOf(definition.endpoints())).containsOnlyKeys("label");
	}

}
