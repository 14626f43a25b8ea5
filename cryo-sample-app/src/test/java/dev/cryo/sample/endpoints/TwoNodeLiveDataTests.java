package dev.cryo.sample.endpoints;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import dev.cryo.sample.cluster.SampleNodes;
import dev.cryo.sample.endpoints.EndpointClients.EndpointClient;
import dev.cryo.test.PrivatePostgres;
import dev.cryo.test.PrivateRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live data across two sample nodes sharing one PostgreSQL database (a private server: skipped
 * without PostgreSQL, failed under {@code CI=true}) and a private Redis: a post created and then
 * edited through node A reaches the subscribers of the {@code Post} model connected to node B on
 * both wires, and the edit reaches B's subscriber of that row.
 */
@Timeout(120)
class TwoNodeLiveDataTests {

	@RegisterExtension
	static final PrivateRedis redis = new PrivateRedis();

	@RegisterExtension
	static final PrivatePostgres postgres = new PrivatePostgres();

	private final SampleNodes nodes = new SampleNodes(redis, "sample-live-data:");

	private final EndpointConnections connections = new EndpointConnections();

	@AfterEach
	void stop() {
		this.connections.close();
		this.nodes.close();
	}

	private int node(String id) {
		return this.nodes.startForPort(id, "--spring.datasource.url=" + postgres.jdbcUrl(),
				"--spring.datasource.username=" + PrivatePostgres.USER, "--spring.datasource.password=",
				"--sample.tokens=developer:dev-token,alice:alice-secret,bob:bob-secret");
	}

	@Test
	void aPostCreatedThroughNodeAReachesTheSubscribersOfNodeB() throws Exception {
		int a = node("live-a");
		int b = node("live-b");
		EndpointClient author = this.connections.connect("yoctopus", a);
		EndpointConnections.assertOk(this.connections.answer(author, "auth:login", "create", "{\"user\":\"alice\",\"password\":\"alice-secret\"}"));
		EndpointClient cryoOnB = this.connections.connect("cryo", b);
		EndpointClient yoctopusOnB = this.connections.connect("yoctopus", b);
		EndpointClient rowOnB = this.connections.connect("cryo", b);
		// The sample subscribes every connection to Post when it opens; the row subscriber wants one row only.
		EndpointConnections.assertOk(this.connections.answer(rowOnB, "live-data:subscription", "delete", "{\"model\":\"Post\"}"));

		JsonNode created = this.connections.answer(author, "posts:post", "create", "{\"title\":\"Across nodes\",\"content\":\"Hi\"}");
		EndpointConnections.assertOk(created);
		long id = created.path("data").path("id").asLong();

		for (EndpointClient client : List.of(cryoOnB, yoctopusOnB)) {
			assertThat(change(client)).isEqualTo("create " + id + " Across nodes");
		}
		// Subscribed with the id as a client writes it, a string: matched to the Long of node A's change.
		EndpointConnections.assertOk(this.connections.answer(rowOnB, "live-data:subscription", "create", "{\"model\":\"Post\",\"id\":\"" + id + "\"}"));
		EndpointConnections.assertOk(this.connections.answer(author, "posts:post", "update", "{\"id\":" + id + ",\"title\":\"Edited on A\"}"));
		for (EndpointClient client : List.of(cryoOnB, yoctopusOnB, rowOnB)) {
			assertThat(change(client)).isEqualTo("update " + id + " Edited on A");
		}
	}

	/** The next message, a change notification, as "operation id title". */
	private static String change(EndpointClient client) throws Exception {
		JsonNode data = EndpointClients.nextNotification(client, "data-changed").path("data");
		assertThat(data.path("model").asString()).isEqualTo("Post");
		return data.path("operation").asString() + " " + data.path("fields").path("id").asLong() + " "
				+ data.path("fields").path("title").asString();
	}

}
