package dev.cryo.sample.endpoints;

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

	private final EndpointConnections connections = new EndpointConnections();

	@AfterEach
	void stop() {
		this.connections.close();
		this.nodes.close();
	}

	private int node(String id) {
		return this.nodes.startForPort(id, "--spring.datasource.url=jdbc:h2:mem:two-node-chat-" + id + ";DB_CLOSE_DELAY=-1",
				"--sample.tokens=developer:dev-token,alice:alice-secret,bob:bob-secret");
	}

	@Test
	void aChatMessageFromNodeAReachesTheSignedInConnectionsOfNodeBOnBothWiresAndNotAStranger() throws Exception {
		int a = node("chat-a");
		int b = node("chat-b");
		EndpointClient alice = this.connections.signedIn("yoctopus", a, "alice", "alice-secret");
		EndpointClient bobOverYoctopus = this.connections.signedIn("yoctopus", b, "bob", "bob-secret");
		EndpointClient bobOverCryo = this.connections.signedIn("cryo", b, "bob", "bob-secret");
		EndpointClient stranger = this.connections.connect("yoctopus", b);

		JsonNode answer = this.connections.answer(alice, "chat:message", "create", "{\"text\":\"hello from node A ✓\"}");

		EndpointConnections.assertOk(answer);
		assertThat(answer.path("data").path("reached").asInt()).as("node A's own connections").isOne();
		JsonNode expected = EndpointClients.JSON.readTree("{\"from\":\"alice\",\"text\":\"hello from node A ✓\"}");
		assertThat(EndpointClients.nextNotification(alice, "chat").path("data")).isEqualTo(expected);
		assertThat(EndpointClients.nextNotification(bobOverYoctopus, "chat").path("data")).isEqualTo(expected);
		assertThat(EndpointClients.nextNotification(bobOverCryo, "chat").path("data")).isEqualTo(expected);
		// Node B handed the chat to its connections in one pass: the stranger's next message is the answer to a probe.
		this.connections.assertNothingElseArrived(stranger);
	}

}
