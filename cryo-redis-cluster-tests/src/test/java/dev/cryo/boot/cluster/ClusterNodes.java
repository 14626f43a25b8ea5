package dev.cryo.boot.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;

import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cryo.client.CryoClient;
import dev.cryo.client.CryoClientListener;
import dev.cryo.client.CryoClientSession;
import dev.cryo.client.ReconnectPolicy;
import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.test.PrivateRedis;
import dev.cryo.test.RawCryoClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts nodes of the test cluster on a private Redis, and the clients that talk to them. */
final class ClusterNodes {

	private ClusterNodes() {
	}

	/**
	 * Starts a node on a random port.
	 * @param redis the shared Redis
	 * @param nodeId the node id
	 * @param keyPrefix the cluster's key prefix
	 * @param extraProperties more properties
	 * @return the running application
	 */
	static ConfigurableApplicationContext start(PrivateRedis redis, String nodeId, String keyPrefix,
			String... extraProperties) {
		List<String> properties = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
				"spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
				"cryo.cluster.redis.enabled=true", "cryo.cluster.redis.node-id=" + nodeId,
				"cryo.cluster.redis.key-prefix=" + keyPrefix));
		properties.addAll(List.of(extraProperties));
		return new SpringApplicationBuilder(ClusterTestApplication.class).properties(properties.toArray(String[]::new))
			.run();
	}

	static int port(ConfigurableApplicationContext node) {
		return ((WebServerApplicationContext) node).getWebServer().getPort();
	}

	static CryoServer server(ConfigurableApplicationContext node) {
		return node.getBean(CryoServer.class);
	}

	/** Connects as the user and completes the ENDPOINT_INFO exchange, so the session is open. */
	static RawCryoClient connect(ConfigurableApplicationContext node, String user, SessionId sid) {
		RawCryoClient client = RawCryoClient.connect(port(node), ClusterTestApplication.PATH,
				ClusterTestApplication.USER_PREFIX + user, sid);
		client.handshake();
		return client;
	}

	/**
	 * Opens a session with the Java client, which ACKs and answers the heartbeat's pings: for
	 * sessions that live across several heartbeats.
	 */
	static CryoClientSession javaClient(ConfigurableApplicationContext node, String user, BlockingQueue<String> texts) {
		return javaClient(port(node), user, texts);
	}

	/**
	 * Opens a session with the Java client on a node reached by its port, which may run in
	 * another process ({@link ClusterNodeProcess}).
	 */
	static CryoClientSession javaClient(int port, String user, BlockingQueue<String> texts) {
		return CryoClient.builder(URI.create("ws://localhost:" + port + ClusterTestApplication.PATH))
			.token(ClusterTestApplication.USER_PREFIX + user)
			.reconnect(ReconnectPolicy.DISABLED)
			.listener(new CryoClientListener() {

				@Override
				public void onUtf8Message(CryoClientSession session, String text) {
					texts.add(text);
				}

			})
			.build()
			.connect();
	}

	/**
	 * Waits until the node's {@code cluster} health is UP: Redis answers and the node is
	 * subscribed, so that what other nodes publish from now on reaches its sessions.
	 */
	static void awaitClusterUp(ConfigurableApplicationContext node) {
		HealthIndicator health = node.getBean("clusterHealthIndicator", HealthIndicator.class);
		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> Status.UP.equals(health.health().getStatus()));
	}

	/** Returns the server side of a session that must be live on the node. */
	static CryoSession session(ConfigurableApplicationContext node, SessionId sid) {
		CryoServer server = server(node);
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.session(sid).isPresent());
		return server.session(sid).orElseThrow();
	}

	/** Receives the next UTF-8 message and ACKs it. */
	static String receive(RawCryoClient client) {
		Utf8DataFrame frame = client.next(Utf8DataFrame.class);
		client.send(new AckFrame(client.sid(), frame.ack()));
		return frame.text();
	}

	/** Asserts that no data frame arrives within a short while: nothing was delivered twice. */
	static void assertNothingMore(RawCryoClient client) {
		Frame frame = client.poll(Duration.ofMillis(300));
		assertThat(frame).as("unexpected frame").isNull();
	}

}
