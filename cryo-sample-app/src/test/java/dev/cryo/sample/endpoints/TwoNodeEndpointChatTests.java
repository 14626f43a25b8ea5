package dev.cryo.sample.endpoints;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import dev.cryo.sample.cluster.SampleNodes;
import dev.cryo.sample.endpoints.EndpointClients.EndpointClient;
import dev.cryo.test.PrivateRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint layer's multicast across two sample nodes on a private Redis: the chat plugin's
 * {@code chat:message}, sent by a signed-in yoctopus connection of node A, reaches the signed-in
 * connections of node B on both wires (over {@code /yoctopus} and over Cryo), and not a
 * connection of B that has not signed in; the sender's answer counts node A's connections.
 */
@Timeout(120)
class TwoNodeEndpointChatTests {

	@RegisterExtension
	static final PrivateRedis redis = new PrivateRedis();

	private final SampleNodes nodes = new SampleNodes(redis, "sample-endpoint-chat:");

	private final List<EndpointClient> clients = new ArrayList<>();

	private int requestIds;

	@AfterEach
	void stop() {
		this.clients.forEach(EndpointClient::close);
		this.nodes.close();
	}

	private int node(String id) {
		return this.nodes.startForPort(id, "--spring.datasource.url=jdbc:h2:mem:two-node-chat-" + id + ";DB_CLOSE_DELAY=-1",
				"--sample.tokens=developer:dev-token,alice:alice-secret,bob:bob-secret");
	}

	private EndpointClient connect(String wire, int port) throws Exception {
		EndpointClient client = "cryo".equals(wire) ? EndpointClients.cryo(port, "dev-token")
				: EndpointClients.yoctopus(port, "");
		this.clients.add(client);
		assertOk(answer(client, "greeter:hello", "read", "{\"name\":\"x\"}"));
		return client;
	}

	private EndpointClient signedIn(String wire, int port, String user, String password) throws Exception {
		EndpointClient client = connect(wire, port);
		assertOk(answer(client, "auth:login", "create",
				"{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}"));
		return client;
	}

	@Test
	void aChatMessageFromNodeAReachesTheSignedInConnectionsOfNodeBOnBothWiresAndNotAStranger() throws Exception {
		int a = node("chat-a");
		int b = node("chat-b");
		EndpointClient alice = signedIn("yoctopus", a, "alice", "alice-secret");
		EndpointClient bobOverYoctopus = signedIn("yoctopus", b, "bob", "bob-secret");
		EndpointClient bobOverCryo = signedIn("cryo", b, "bob", "bob-secret");
		EndpointClient stranger = connect("yoctopus", b);

		JsonNode answer = answer(alice, "chat:message", "create", "{\"text\":\"hello from node A ✓\"}");

		assertOk(answer);
		assertThat(answer.path("data").path("reached").asInt()).as("node A's own connections").isOne();
		JsonNode expected = EndpointClients.JSON.readTree("{\"from\":\"alice\",\"text\":\"hello from node A ✓\"}");
		assertThat(EndpointClients.nextNotification(alice, "chat").path("data")).isEqualTo(expected);
		assertThat(EndpointClients.nextNotification(bobOverYoctopus, "chat").path("data")).isEqualTo(expected);
		assertThat(EndpointClients.nextNotification(bobOverCryo, "chat").path("data")).isEqualTo(expected);
		// Node B handed the chat to its connections in one pass: the stranger's next message is the answer to a probe.
		assertNothingElseArrived(stranger);
	}

	/** The next message is the answer to a new request: nothing else was queued before it. */
	private void assertNothingElseArrived(EndpointClient client) throws Exception {
		String id = "probe" + (++this.requestIds);
		client.send("{\"meta\":{\"id\":\"" + id + "\",\"endpoint\":\"greeter:hello\",\"method\":\"read\"},"
				+ "\"data\":{\"name\":\"probe\"}}");
		JsonNode next = client.next();
		assertThat(next.path("meta").path("id").asString()).as(next.toString()).isEqualTo(id);
	}

	private JsonNode answer(EndpointClient client, String endpoint, String method, String data) throws Exception {
		return EndpointClients.answer(client, "r" + (++this.requestIds), endpoint, method, data);
	}

	private static void assertOk(JsonNode answer) {
		assertThat(answer.path("meta").path("status").asString()).as(answer.toString()).isEqualTo("ok");
	}

}
