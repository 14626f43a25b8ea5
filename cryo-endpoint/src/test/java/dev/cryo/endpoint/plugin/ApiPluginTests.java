package dev.cryo.endpoint.plugin;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointContext;
import dev.cryo.endpoint.EndpointHandler;
import dev.cryo.endpoint.EndpointRegistry.Registration;
import dev.cryo.endpoint.EndpointRequest;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.PluginDefinition.MethodDefinition;
import dev.cryo.endpoint.Requirements;
import dev.cryo.endpoint.support.ConnectionRegister;
import dev.cryo.endpoint.support.Envelopes;
import dev.cryo.endpoint.support.RequestFormats;
import dev.cryo.endpoint.support.SettingsTestConnection;
import dev.cryo.endpoint.support.SettingsTestRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ApiPlugin}.
 */
class ApiPluginTests {

	private static final String API_LISTING = "\"api:api\":{\"aliases\":[],\"methods\":{"
			+ "\"read\":{\"requestFormat\":null,\"requirements\":{\"settings\":{}}},"
			+ "\"subscribe\":{\"requestFormat\":null,\"requirements\":{\"settings\":{}}},"
			+ "\"unsubscribe\":{\"requestFormat\":null,\"requirements\":{\"settings\":{}}}}}";

	private static final String GREETER_LISTING = "\"greeter:hello\":{\"aliases\":[\"hi\"],\"methods\":{"
			+ "\"read\":{\"requestFormat\":{\"name\":{\"type\":\"string\",\"required\":true}},"
			+ "\"requirements\":{\"settings\":{\"auth\":{\"authenticated\":true,\"level\":2}}}}}}";

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final SettingsTestRegistry registry = new SettingsTestRegistry();

	private final ConnectionRegister register = new ConnectionRegister();

	private ApiPlugin plugin;

	private final SettingsTestConnection subscriber = new SettingsTestConnection("1");

	private final SettingsTestConnection other = new SettingsTestConnection("2");

	@BeforeEach
	void setUp() {
		this.plugin = new ApiPlugin(this.registry, new RequestFormats(this.mapper), new Envelopes(this.mapper),
				this.register);
		this.registry.register(this.plugin.definition());
		this.register.add(this.subscriber);
		this.register.add(this.other);
	}

	private PluginDefinition greeter() {
		return PluginDefinition.builder("greeter")
			.endpoint("hello", (endpoint) -> endpoint.alias("hi")
				.method("read", Name.class,
						Requirements.none().andSetting("auth.authenticated", true).andSetting("auth.level", 2),
						(context, body) -> "hello"))
			.build();
	}

	@Test
	void readListsEveryEndpointSortedWithFormatsAndRequirements() throws Exception {
		this.registry.register(greeter());
		assertThat(this.mapper.writeValueAsString(call(this.subscriber, "read")))
			.isEqualTo("{" + API_LISTING + "," + GREETER_LISTING + "}");
	}

	@Test
	void subscriberIsNotifiedOfRegistrationsAndUnregistrations() throws Exception {
		SettingsTestConnection second = new SettingsTestConnection("3");
		this.register.add(second);
		JsonNode answer = (JsonNode) call(this.subscriber, "subscribe");
		assertThat(this.mapper.writeValueAsString(answer)).isEqualTo("{" + API_LISTING + "}");
		call(second, "subscribe");
		assertThat(this.plugin.isSubscribed(this.subscriber)).isTrue();
		Registration registration = this.registry.register(greeter());
		assertThat(this.subscriber.sent()).containsExactly("{\"meta\":{\"method\":\"notify\",\"type\":\"api\"},"
				+ "\"data\":{" + API_LISTING + "," + GREETER_LISTING + "}}");
		assertThat(second.sent()).singleElement().isSameAs(this.subscriber.sent().get(0));
		assertThat(this.other.sent()).isEmpty();
		registration.unregister();
		assertThat(this.subscriber.sent()).hasSize(2)
			.last()
			.isEqualTo("{\"meta\":{\"method\":\"notify\",\"type\":\"api\"},\"data\":{" + API_LISTING + "}}");
	}

	@Test
	void unsubscribeStopsTheNotifications() throws Exception {
		call(this.subscriber, "subscribe");
		assertThat(call(this.subscriber, "unsubscribe")).isNull();
		this.registry.register(greeter());
		assertThat(this.subscriber.sent()).isEmpty();
		assertThat(this.plugin.isSubscribed(this.subscriber)).isFalse();
	}

	@Test
	void closedConnectionIsForgotten() throws Exception {
		call(this.subscriber, "subscribe");
		this.subscriber.setOpen(false);
		this.plugin.onConnectionClosed(this.subscriber);
		assertThat(this.plugin.isSubscribed(this.subscriber)).isFalse();
		this.registry.register(greeter());
		assertThat(this.subscriber.sent()).isEmpty();
	}

	@Test
	void subscriberThatLeftTheRegisterIsForgottenOnTheNextChange() throws Exception {
		call(this.subscriber, "subscribe");
		this.register.remove(this.subscriber);
		this.registry.register(greeter());
		assertThat(this.subscriber.sent()).isEmpty();
		assertThat(this.plugin.isSubscribed(this.subscriber)).isFalse();
	}

	@SuppressWarnings("unchecked")
	private @Nullable Object call(EndpointConnection connection, String methodName) throws Exception {
		MethodDefinition method = this.registry.plugin("api").orElseThrow().endpoints().get("api").methods().get(methodName);
		EndpointRequest request = new EndpointRequest("1", "api:api", methodName, this.mapper.nullNode(),
				this.mapper.createObjectNode());
		EndpointContext context = new EndpointContext(connection, request, (filter, type, data) -> 0);
		return ((EndpointHandler<Object>) method.handler()).handle(context, null);
	}

	@Test
	void listingHasEveryRegisteredPlugin() {
		this.registry.register(greeter());
		assertThat(List.copyOf(this.plugin.listing().propertyNames())).containsExactly("api:api", "greeter:hello");
	}

	/**
	 * The greeter's request.
	 *
	 * @param name who to greet
	 */
	public record Name(@NotBlank String name) {

	}

}
