package dev.cryo.livedata.support;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.endpoint.EndpointContext;
import dev.cryo.endpoint.EndpointException;
import dev.cryo.endpoint.EndpointHandler;
import dev.cryo.endpoint.EndpointRequest;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.livedata.LiveDataSubscription;
import dev.cryo.livedata.support.LiveDataPlugin.SubscriptionRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The bundled {@code live-data} plugin's handlers, called as the dispatcher calls them, and the
 * limits of the subscriptions behind them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveDataPluginTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private LiveDataTestDatabase database;

	private PluginDefinition plugin;

	@BeforeAll
	void startDatabase() {
		this.database = new LiveDataTestDatabase(new org.h2.Driver(), "jdbc:h2:mem:live-plugin;DB_CLOSE_DELAY=-1",
				"sa");
		this.plugin = this.database.liveData().plugin();
	}

	@AfterAll
	void stopDatabase() {
		this.database.close();
	}

	@Test
	void declaresTheSubscriptionEndpointWithCreateDeleteAndRead() {
		assertThat(this.plugin.name()).isEqualTo("live-data");
		assertThat(this.plugin.endpoints()).containsOnlyKeys("subscription");
		assertThat(this.plugin.endpoints().get("subscription").methods()).containsOnlyKeys("create", "delete", "read");
	}

	@Test
	void createSubscribesToAModelOrToOneRowAndAnswersWithTheSubscriptions() throws Exception {
		LiveDataTestConnection connection = new LiveDataTestConnection();
		call(connection, "create", body("{\"model\":\"Post\"}"));
		Object answer = call(connection, "create", body("{\"model\":\"Post\",\"id\":42}"));
		assertThat(mapper.writeValueAsString(answer))
			.isEqualTo("{\"subscriptions\":[{\"model\":\"Post\"},{\"model\":\"Post\",\"id\":42}]}");
		// The same row named by a string id is the same subscription.
		call(connection, "create", body("{\"model\":\"Post\",\"id\":\"42\"}"));
		assertThat(this.database.liveData().subscriptions().subscriptions(connection))
			.containsExactly(new LiveDataSubscription("Post", null), new LiveDataSubscription("Post", 42L));
		forget(connection);
	}

	@Test
	void deleteUnsubscribesAndReadListsWhatIsLeft() throws Exception {
		LiveDataTestConnection connection = new LiveDataTestConnection();
		call(connection, "create", body("{\"model\":\"Post\"}"));
		call(connection, "create", body("{\"model\":\"Post\",\"id\":7}"));
		call(connection, "delete", body("{\"model\":\"Post\"}"));
		assertThat(mapper.writeValueAsString(call(connection, "read", null)))
			.isEqualTo("{\"subscriptions\":[{\"model\":\"Post\",\"id\":7}]}");
		forget(connection);
	}

	@Test
	void anUnknownModelIsAnErrorThatQuotesItEscaped() {
		LiveDataTestConnection connection = new LiveDataTestConnection();
		assertThatExceptionOfType(EndpointException.class)
			.isThrownBy(() -> call(connection, "create", new SubscriptionRequest("Secret\nModel", null)))
			.satisfies((ex) -> assertThat(ex.getMessages()).containsExactly("Unknown model 'Secret\\nModel'."));
		assertThatExceptionOfType(EndpointException.class)
			.isThrownBy(() -> call(connection, "create", new SubscriptionRequest(null, null)))
			.satisfies((ex) -> assertThat(ex.getMessages()).containsExactly("'model' is required."));
		assertThatExceptionOfType(EndpointException.class)
			.isThrownBy(() -> call(connection, "create", body("{\"model\":\"Post\",\"id\":\"not a number\"}")))
			.satisfies((ex) -> assertThat(ex.getMessages()).containsExactly("Invalid id for model 'Post'."));
		assertThat(this.database.liveData().subscriptions().subscriptions(connection)).isEmpty();
	}

	@Test
	void aConnectionCannotHoldMoreThanTheLimit() throws Exception {
		LiveDataTestConnection connection = new LiveDataTestConnection();
		for (int id = 0; id < LiveDataTestDatabase.MAX_SUBSCRIPTIONS; id++) {
			call(connection, "create", new SubscriptionRequest("Post", id));
		}
		assertThatExceptionOfType(EndpointException.class)
			.isThrownBy(() -> call(connection, "create", new SubscriptionRequest("Post", null)))
			.satisfies((ex) -> assertThat(ex.getMessages())
				.containsExactly("Too many subscriptions (limit " + LiveDataTestDatabase.MAX_SUBSCRIPTIONS + ")."));
		// Subscribing again to what it has is no new subscription.
		call(connection, "create", new SubscriptionRequest("Post", 0));
		assertThat(this.database.liveData().subscriptions().subscriptions(connection))
			.hasSize(LiveDataTestDatabase.MAX_SUBSCRIPTIONS);
		forget(connection);
	}

	@Test
	void subscriptionsOfAConnectionThatClosedMeanwhileAreDropped() throws Exception {
		LiveDataTestConnection connection = new LiveDataTestConnection();
		connection.close("gone");
		call(connection, "create", new SubscriptionRequest("Post", null));
		assertThat(this.database.liveData().subscriptions().subscriptions(connection)).isEmpty();
	}

	@Test
	void listsTheModels() {
		assertThat(this.database.liveData().subscriptions().models()).containsExactly("Comment", "Post");
	}

	private void forget(LiveDataTestConnection connection) {
		this.database.liveData().listener().onConnectionClosed(connection);
	}

	private static SubscriptionRequest body(String json) {
		// As the dispatcher binds it.
		return mapper.readValue(json, SubscriptionRequest.class);
	}

	@SuppressWarnings("unchecked")
	private @Nullable Object call(LiveDataTestConnection connection, String method, @Nullable Object body)
			throws Exception {
		EndpointHandler<Object> handler = (EndpointHandler<Object>) this.plugin.endpoints()
			.get("subscription")
			.methods()
			.get(method)
			.handler();
		EndpointRequest request = new EndpointRequest("1", "live-data:subscription", method,
				mapper.getNodeFactory().nullNode(), mapper.createObjectNode());
		return handler.handle(new EndpointContext(connection, request, (filter, type, data) -> 0), body);
	}

}
