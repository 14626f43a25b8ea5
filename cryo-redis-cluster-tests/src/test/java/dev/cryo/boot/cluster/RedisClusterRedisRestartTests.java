package dev.cryo.boot.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cryo.client.CryoClientSession;
import dev.cryo.core.SessionId;
import dev.cryo.redis.RedisClusterUnavailableException;
import dev.cryo.server.SessionSelector;
import dev.cryo.test.PrivateRedis;

import static dev.cryo.boot.cluster.ClusterNodes.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Redis stopped and started again while two nodes serve clients: meanwhile each node still
 * delivers to its own clients, cluster operations fail fast with a clear exception, and the
 * {@code cluster} health (over HTTP, as a load balancer or an operator sees it) is DOWN with the
 * reason; once Redis is back the nodes reach each other's clients again, health is UP, and a
 * session opened during the outage is known to the other node within a few heartbeats.
 */
@Timeout(120)
class RedisClusterRedisRestartTests {

	@RegisterExtension
	static final PrivateRedis redis = new PrivateRedis();

	private static final String[] PROPERTIES = { "cryo.cluster.redis.command-timeout=300ms",
			"cryo.keep-alive-interval=500ms", "cryo.cluster.redis.session-ttl=5s",
			"management.endpoint.health.show-details=always" };

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Test
	void nodesServeLocallyAndFailFastWhileRedisIsStoppedAndActAsOneAgainWhenItRestarts() throws Exception {
		String prefix = "restart:" + System.nanoTime() + ":";
		ConfigurableApplicationContext nodeA = ClusterNodes.start(redis, "node-a", prefix, PROPERTIES);
		ConfigurableApplicationContext nodeB = ClusterNodes.start(redis, "node-b", prefix, PROPERTIES);
		BlockingQueue<String> annTexts = new LinkedBlockingQueue<>();
		BlockingQueue<String> bobTexts = new LinkedBlockingQueue<>();
		BlockingQueue<String> carlTexts = new LinkedBlockingQueue<>();
		try (CryoClientSession annOnA = ClusterNodes.javaClient(nodeA, "ann", annTexts);
				CryoClientSession bobOnB = ClusterNodes.javaClient(nodeB, "bob", bobTexts)) {
			ClusterNodes.awaitClusterUp(nodeA);
			ClusterNodes.awaitClusterUp(nodeB);
			assertThat(clusterHealth(nodeA)).startsWith("200 ").contains("\"status\":\"UP\"");
			awaitDelivered(nodeA, "bob", bobTexts, "before");

			redis.stop();
			// Each node still reaches its own clients, with a local-only multicast.
			server(nodeA).multicastUtf8((session) -> true, "local on A");
			server(nodeB).multicastUtf8((session) -> true, "local on B");
			assertThat(annTexts.poll(10, TimeUnit.SECONDS)).isEqualTo("local on A");
			assertThat(bobTexts.poll(10, TimeUnit.SECONDS)).isEqualTo("local on B");
			// A cluster multicast fails at once rather than reaching only some recipients; the
			// bound is far above the 300 ms command timeout, to say "does not hang" on a loaded machine.
			long start = System.nanoTime();
			assertThatExceptionOfType(RedisClusterUnavailableException.class)
				.isThrownBy(() -> server(nodeA).multicastUtf8(SessionSelector.all(), "lost"));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			// Health over HTTP: DOWN (503) with the reason, on both nodes.
			for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] { nodeA, nodeB }) {
				Awaitility.await()
					.atMost(Duration.ofSeconds(20))
					.pollInterval(Duration.ofMillis(200))
					.until(() -> clusterHealth(node).startsWith("503 "));
				assertThat(clusterHealth(node)).contains("\"status\":\"DOWN\"").contains("\"reason\":\"");
			}
			// A session opened during the outage, on this node alone for now.
			try (CryoClientSession carlOnA = ClusterNodes.javaClient(nodeA, "carl", carlTexts)) {
				SessionId carl = carlOnA.id();
				redis.start();
				// Health UP again on both, subscriptions resumed.
				for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] { nodeA, nodeB }) {
					Awaitility.await()
						.atMost(Duration.ofSeconds(30))
						.pollInterval(Duration.ofMillis(200))
						.until(() -> clusterHealth(node).startsWith("200 "));
				}
				// A's multicasts reach B's clients again.
				awaitDelivered(nodeA, "bob", bobTexts, "after");
				// The session opened during the outage is announced: B locates it within a few
				// heartbeats (500 ms each) of Redis's return.
				Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(200))
					.ignoreExceptions()
					.until(() -> server(nodeB).locate(carl).isPresent());
				assertThat(server(nodeB).locate(carl)).contains("node-a");
				// And B's multicasts reach it.
				awaitDelivered(nodeB, "carl", carlTexts, "welcome, carl");
			}
		}
		finally {
			nodeA.close();
			nodeB.close();
		}
	}

	/**
	 * Multicasts to the user until one of the messages arrives: right after Redis returns, a
	 * publish may succeed before the receiving node has subscribed again, and that message is
	 * lost (publish/subscribe keeps nothing for a node that is not listening).
	 */
	private static void awaitDelivered(ConfigurableApplicationContext from, String user, BlockingQueue<String> texts,
			String text) {
		Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
			try {
				server(from).multicastUtf8(SessionSelector.user(user), text);
			}
			catch (RedisClusterUnavailableException ex) {
				return false;
			}
			return text.equals(texts.poll(500, TimeUnit.MILLISECONDS));
		});
		texts.clear();
	}

	/** Returns the status code and body of {@code GET /actuator/health/cluster}. */
	private String clusterHealth(ConfigurableApplicationContext node) throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + ClusterNodes.port(node) + "/actuator/health/cluster"))
			.timeout(Duration.ofSeconds(10))
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		return response.statusCode() + " " + response.body();
	}

}
