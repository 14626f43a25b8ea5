package dev.cryo.boot.cluster;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cryo.core.SessionId;
import dev.cryo.redis.RedisClusterBroadcaster;
import dev.cryo.redis.RedisClusterUnavailableException;
import dev.cryo.server.BroadcastResult;
import dev.cryo.server.SessionSelector;
import dev.cryo.test.PrivateRedis;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;

import static dev.cryo.boot.cluster.ClusterNodes.connect;
import static dev.cryo.boot.cluster.ClusterNodes.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What a node tells about its part in the cluster: the {@code cluster} health indicator, the
 * {@code cryo.cluster.*} meters, and {@code server.locate(id)} naming the node that holds a session.
 */
@Timeout(120)
class RedisClusterObservabilityTests {

	@RegisterExtension
	static final PrivateRedis redis = new PrivateRedis();

	private static final String[] FAST_FAILURE = { "cryo.cluster.redis.command-timeout=300ms" };

	@Test
	void clusterHealthIsUpWithRedisDownWithoutItAndUpAgainWhenItReturns() throws Exception {
		String prefix = "health:" + System.nanoTime() + ":";
		ConfigurableApplicationContext node = ClusterNodes.start(redis, "node-a", prefix, FAST_FAILURE);
		try {
			HealthIndicator health = node.getBean("clusterHealthIndicator", HealthIndicator.class);
			Health up = awaitStatus(health, Status.UP);
			assertThat(up.getDetails()).containsEntry("nodeId", "node-a")
				.containsEntry("keyPrefix", prefix)
				.containsEntry("subscribed", true)
				.containsEntry("liveNodes", List.of("node-a"))
				.containsEntry("pendingReports", 0);
			redis.stop();
			try {
				Health down = awaitStatus(health, Status.DOWN);
				assertThat(down.getDetails()).containsEntry("nodeId", "node-a");
				assertThat((String) down.getDetails().get("reason")).startsWith("Redis unreachable: ");
			}
			finally {
				redis.start();
			}
			assertThat(awaitStatus(health, Status.UP).getDetails()).containsEntry("subscribed", true);
		}
		finally {
			node.close();
		}
	}

	@Test
	void messagesAreCountedSentOnTheNodeThatPublishesAndReceivedOnTheOther() {
		String prefix = "meters:" + System.nanoTime() + ":";
		ConfigurableApplicationContext nodeA = ClusterNodes.start(redis, "node-a", prefix);
		ConfigurableApplicationContext nodeB = ClusterNodes.start(redis, "node-b", prefix);
		try (RawCryoClient onB = connect(nodeB, "bob", RawFrames.newSid())) {
			awaitSubscribed(nodeA);
			awaitSubscribed(nodeB);
			MeterRegistry metersA = nodeA.getBean(MeterRegistry.class);
			MeterRegistry metersB = nodeB.getBean(MeterRegistry.class);
			// Every reason is a series from the start, at zero.
			assertThat(metersA.get("cryo.cluster.failures").counters()).extracting((c) -> c.getId().getTag("reason"))
				.containsExactlyInAnyOrder("unreachable", "timeout", "decode", "no-answer", "pending-limit", "listener",
						"other");
			assertThat(metersA.get("cryo.cluster.reports.pending").gauge().value()).isZero();
			assertThat(count(metersA, "cryo.cluster.messages.sent")).isZero();
			BroadcastResult result = server(nodeA).multicastUtf8(SessionSelector.user("bob"), "hello");
			assertThat(result.remoteDeliveries()).isEqualTo(1);
			assertThat(ClusterNodes.receive(onB)).isEqualTo("hello");
			assertThat(count(metersA, "cryo.cluster.messages.sent")).isEqualTo(1);
			assertThat(count(metersB, "cryo.cluster.messages.received")).isEqualTo(1);
			// b reports the outcome to a: one message each way more.
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(count(metersB, "cryo.cluster.messages.sent")).isEqualTo(1));
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(count(metersA, "cryo.cluster.messages.received")).isEqualTo(1));
		}
		finally {
			nodeB.close();
			nodeA.close();
		}
	}

	@Test
	void aMulticastWhileRedisIsDownCountsAFailure() throws Exception {
		String prefix = "failures:" + System.nanoTime() + ":";
		ConfigurableApplicationContext node = ClusterNodes.start(redis, "node-a", prefix, FAST_FAILURE);
		try {
			MeterRegistry meters = node.getBean(MeterRegistry.class);
			redis.stop();
			try {
				double before = failures(meters);
				assertThatExceptionOfType(RedisClusterUnavailableException.class)
					.isThrownBy(() -> server(node).multicastUtf8(SessionSelector.all(), "lost"));
				assertThat(failures(meters)).isGreaterThan(before);
				// A lost connection is told apart: a timeout or a refused connection, not "other".
				assertThat(meters.get("cryo.cluster.failures").tag("reason", "other").counter().count()).isZero();
				assertThat(count(meters, "cryo.cluster.messages.sent")).isZero();
			}
			finally {
				redis.start();
			}
		}
		finally {
			node.close();
		}
	}

	@Test
	void locateNamesTheNodeThatHoldsTheSession() {
		String prefix = "locate:" + System.nanoTime() + ":";
		ConfigurableApplicationContext nodeA = ClusterNodes.start(redis, "node-a", prefix);
		ConfigurableApplicationContext nodeB = ClusterNodes.start(redis, "node-b", prefix);
		SessionId onBSid = RawFrames.newSid();
		SessionId onASid = RawFrames.newSid();
		try (RawCryoClient onB = connect(nodeB, "bob", onBSid); RawCryoClient onA = connect(nodeA, "ann", onASid)) {
			assertThat(server(nodeA).locate(onBSid)).contains("node-b");
			assertThat(server(nodeB).locate(onBSid)).contains("node-b");
			assertThat(server(nodeB).locate(onASid)).contains("node-a");
			assertThat(server(nodeA).locate(RawFrames.newSid())).isEmpty();
		}
		finally {
			nodeB.close();
			nodeA.close();
		}
	}

	private static Health awaitStatus(HealthIndicator indicator, Status status) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> status.equals(indicator.health().getStatus()));
		Health health = indicator.health();
		assertThat(health.getStatus()).isEqualTo(status);
		return health;
	}

	private static void awaitSubscribed(ConfigurableApplicationContext node) {
		RedisClusterBroadcaster broadcaster = node.getBean(RedisClusterBroadcaster.class);
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(broadcaster::isSubscribed);
	}

	private static double count(MeterRegistry registry, String name) {
		return registry.get(name).counter().count();
	}

	private static double failures(MeterRegistry registry) {
		return registry.get("cryo.cluster.failures").counters().stream().mapToDouble(Counter::count).sum();
	}

}
