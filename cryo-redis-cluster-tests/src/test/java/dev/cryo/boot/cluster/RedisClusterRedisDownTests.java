package dev.cryo.boot.cluster;

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
import dev.cryo.server.cluster.SessionDirectory;
import dev.cryo.test.PrivateRedis;

import static dev.cryo.boot.cluster.ClusterNodes.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A node whose Redis is down when it starts: it starts, serves its own clients (their ids
 * reserved on this node alone), refuses multicasts with a clear exception instead of reaching
 * only some recipients, and once Redis is back writes its claims there and gets the messages
 * of other nodes.
 */
@Timeout(120)
class RedisClusterRedisDownTests {

	@RegisterExtension
	static final PrivateRedis redis = new PrivateRedis();

	@Test
	void nodeStartsAndServesLocallyWhileRedisIsDownAndAnnouncesItsSessionsWhenItReturns() throws Exception {
		redis.stop();
		String prefix = "down:" + System.nanoTime() + ":";
		ConfigurableApplicationContext node = ClusterNodes.start(redis, "node-a", prefix,
				"cryo.cluster.redis.command-timeout=300ms", "cryo.keep-alive-interval=500ms",
				"cryo.cluster.redis.session-ttl=5s");
		try {
			BlockingQueue<String> received = new LinkedBlockingQueue<>();
			long start = System.nanoTime();
			// The Java client answers the heartbeat's pings, so the session lives as long as the test.
			try (CryoClientSession client = ClusterNodes.javaClient(node, "ann", received)) {
				SessionId sid = client.id();
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
				assertThatExceptionOfType(RedisClusterUnavailableException.class)
					.isThrownBy(() -> server(node).multicastUtf8(SessionSelector.all(), "lost"));
				redis.start();
				SessionDirectory directory = node.getBean(SessionDirectory.class);
				Awaitility.await()
					.atMost(Duration.ofSeconds(15))
					.pollInterval(Duration.ofMillis(200))
					.ignoreExceptions()
					.until(() -> directory.locate(sid).isPresent());
				assertThat(directory.locate(sid)).contains("node-a");
				// The subscription that failed at start was retried: another node's multicast arrives.
				ConfigurableApplicationContext other = ClusterNodes.start(redis, "node-b", prefix);
				try {
					Awaitility.await()
						.atMost(Duration.ofSeconds(15))
						.until(() -> server(other).multicastUtf8(SessionSelector.user("ann"), "welcome back")
							.remoteDeliveries() == 1);
					assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("welcome back");
				}
				finally {
					other.close();
				}
			}
		}
		finally {
			node.close();
		}
	}

}
