package dev.cryo.sample.endpoints;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import dev.cryo.sample.CryoSampleApplication;
import dev.cryo.sample.endpoints.EndpointClients.EndpointClient;

import static dev.cryo.sample.endpoints.EndpointClients.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's endpoint contract (README, "The sample's endpoints") over both wires: Cryo UTF-8
 * messages from the Java client, and yoctopus's JSON frames on {@code /yoctopus} from a plain
 * WebSocket. Each test runs once per wire; the chat test mixes them.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0",
				"sample.tokens=developer:dev-token,admin:admin-secret,alice:alice-secret,bob:bob-secret" })
@Timeout(60)
class SampleEndpointsContractTests {

	@LocalServerPort
	private int port;

	private final List<EndpointClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(EndpointClient::close);
	}

	private EndpointClient connect(String wire) throws Exception {
		EndpointClient client = "cryo".equals(wire) ? EndpointClients.cryo(this.port, "dev-token")
				: EndpointClients.yoctopus(this.port, "");
		this.clients.add(client);
		return client;
	}

	private static JsonNode json(String text) {
		return JSON.readTree(text);
	}

	@ParameterizedTest
	@ValueSource(strings = { "cryo", "yoctopus" })
	void greeterHelloAnswersWithTheGreetingAndTheRequestsMeta(String wire) throws Exception {
		EndpointClient client = connect(wire);
		JsonNode response = client
			.request("{\"meta\":{\"id\":\"1\",\"endpoint\":\"greeter:hello\",\"method\":\"read\"},\"data\":{\"name\":\"Ada\"}}");
		assertThat(response).isEqualTo(json(
				"{\"meta\":{\"id\":\"1\",\"endpoint\":\"greeter:hello\",\"method\":\"read\",\"status\":\"ok\"},\"data\":{\"message\":\"Hello, Ada!\"}}"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "cryo", "yoctopus" })
	void greeterHelloRefusesANumberForTheName(String wire) throws Exception {
		EndpointClient client = connect(wire);
		JsonNode response = client
			.request("{\"meta\":{\"id\":\"7\",\"endpoint\":\"greeter:hello\",\"method\":\"read\"},\"data\":{\"name\":42}}");
		assertThat(response.path("meta").path("status").asString()).isEqualTo("error");
		assertThat(response.path("meta").path("id").asString()).isEqualTo("7");
		assertThat(response.path("error").toString()).contains("data.name");
	}

	@ParameterizedTest
	@ValueSource(strings = { "cryo", "yoctopus" })
	void loginSetsTheAuthSettingsAndOnlyTheAdminReachesTheDashboard(String wire) throws Exception {
		EndpointClient client = connect(wire);
		String dashboard = "{\"meta\":{\"id\":\"d\",\"endpoint\":\"admin:dashboard\",\"method\":\"read\"}}";
		assertThat(client.request(dashboard).path("error").asString()).isEqualTo("Requirements not met.");

		JsonNode wrong = client.request(
				"{\"meta\":{\"id\":\"l1\",\"endpoint\":\"auth:login\",\"method\":\"create\"},\"data\":{\"user\":\"alice\",\"password\":\"nope\"}}");
		assertThat(wrong.path("error").asString()).isEqualTo("Invalid user or password.");

		JsonNode alice = client.request(
				"{\"meta\":{\"id\":\"l2\",\"endpoint\":\"auth:login\",\"method\":\"create\"},\"data\":{\"user\":\"alice\",\"password\":\"alice-secret\"}}");
		assertThat(alice.path("data")).isEqualTo(json("{\"authenticated\":true,\"userId\":\"alice\",\"isAdmin\":false}"));
		assertThat(client.request(dashboard).path("error").asString()).isEqualTo("Requirements not met.");

		JsonNode admin = client.request(
				"{\"meta\":{\"id\":\"l3\",\"endpoint\":\"auth:login\",\"method\":\"create\"},\"data\":{\"user\":\"admin\",\"password\":\"admin-secret\"}}");
		assertThat(admin.path("data").path("isAdmin").asBoolean()).isTrue();
		JsonNode shown = client.request(dashboard);
		assertThat(shown.path("meta").path("status").asString()).isEqualTo("ok");
		assertThat(shown.path("data").path("plugins").asInt()).isGreaterThanOrEqualTo(6);
	}

	@Test
	void chatMessageReachesEverySignedInConnectionOnBothWiresAndNoOtherConnection() throws Exception {
		EndpointClient alice = connect("cryo");
		EndpointClient bob = connect("yoctopus");
		EndpointClient stranger = connect("yoctopus");
		login(alice, "alice", "alice-secret");
		login(bob, "bob", "bob-secret");

		JsonNode notSignedIn = stranger
			.request("{\"meta\":{\"id\":\"s\",\"endpoint\":\"chat:message\",\"method\":\"create\"},\"data\":{\"text\":\"hi\"}}");
		assertThat(notSignedIn.path("error").asString()).isEqualTo("Requirements not met.");

		alice.send("{\"meta\":{\"id\":\"c1\",\"endpoint\":\"chat:message\",\"method\":\"create\"},\"data\":{\"text\":\"grüße ✓\"}}");
		JsonNode notification = json(
				"{\"meta\":{\"method\":\"notify\",\"type\":\"chat\"},\"data\":{\"from\":\"alice\",\"text\":\"grüße ✓\"}}");
		assertThat(bob.next()).isEqualTo(notification);
		// The sender is signed in too: it gets the notification, then the answer (or the other way round).
		List<JsonNode> toAlice = List.of(alice.next(), alice.next());
		assertThat(toAlice).contains(notification);
		assertThat(toAlice).anySatisfy((message) -> assertThat(message.path("data").path("reached").asInt()).isEqualTo(2));

		// The stranger's next message is the answer to its next request: no chat came before it.
		JsonNode greeting = stranger
			.request("{\"meta\":{\"id\":\"g\",\"endpoint\":\"greeter:hello\",\"method\":\"read\"},\"data\":{\"name\":\"x\"}}");
		assertThat(greeting.path("meta").path("id").asString()).isEqualTo("g");
	}

	@ParameterizedTest
	@ValueSource(strings = { "cryo", "yoctopus" })
	void apiReadListsTheSamplesEndpointsWithTheirRequestFormats(String wire) throws Exception {
		EndpointClient client = connect(wire);
		JsonNode api = client.request("{\"meta\":{\"id\":\"a\",\"endpoint\":\"api:api\",\"method\":\"read\"}}");
		assertThat(api.path("meta").path("status").asString()).isEqualTo("ok");
		JsonNode data = api.path("data");
		assertThat(data.has("greeter:hello")).isTrue();
		assertThat(data.has("auth:login")).isTrue();
		assertThat(data.has("admin:dashboard")).isTrue();
		assertThat(data.has("chat:message")).isTrue();
		assertThat(data.has("yoctopus:label")).isTrue();
		assertThat(data.path("greeter:hello").path("methods").path("read").path("requestFormat").toString())
			.contains("\"name\"").contains("string");
	}

	@ParameterizedTest
	@ValueSource(strings = { "cryo", "yoctopus" })
	void yoctopusLabelUpdateChangesTheConnectionsLabel(String wire) throws Exception {
		EndpointClient client = connect(wire);
		JsonNode response = client
			.request("{\"meta\":{\"id\":\"y\",\"endpoint\":\"yoctopus:label\",\"method\":\"update\"},\"data\":\"kiosk-3\"}");
		assertThat(response.path("meta").path("status").asString()).isEqualTo("ok");
	}

	@Test
	void textThatIsNoRequestStillReachesTheApplicationOverCryo() throws Exception {
		EndpointClient client = connect("cryo");
		client.send("hello there");
		assertThat(client.received().poll(10, TimeUnit.SECONDS)).isEqualTo("hello there");
	}

	private static void login(EndpointClient client, String user, String password) throws Exception {
		JsonNode response = client.request("{\"meta\":{\"id\":\"login\",\"endpoint\":\"auth:login\",\"method\":\"create\"},"
				+ "\"data\":{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}}");
		assertThat(response.path("meta").path("status").asString()).isEqualTo("ok");
	}

}
