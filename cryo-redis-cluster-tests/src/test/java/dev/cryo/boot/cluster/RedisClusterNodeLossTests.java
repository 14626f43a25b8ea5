package dev.cryo.boot.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cryo.client.CryoClientSession;
import dev.cryo.core.SessionId;
import dev.cryo.redis.RedisSessionDirectory;
import dev.cryo.server.cluster.SessionDirectory;
import dev.cryo.test.PrivateRedis;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawUpgradeRequest;

import static dev.cryo.boot.cluster.ClusterNodes.connect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that disappears without releasing its session ids: they stay refused elsewhere until
 * their time to live runs out, then another node accepts them.
 */
@Timeout(120)
class RedisClusterNodeLossTests {

	@RegisterExtension
	static final PrivateRedis redis = new PrivateRedis();

	@Test
	void idsOfANodeThatDiedBecomeUsableAfterTheTimeToLive() throws Exception {
		String prefix = "loss:" + System.nanoTime() + ":";
		String[] shortTtl = { "cryo.keep-alive-interval=500ms", "cryo.cluster.redis.session-ttl=2s" };
		ConfigurableApplicationContext nodeA = ClusterNodes.start(redis, "node-a", prefix, shortTtl);
		ConfigurableApplicationContext nodeB = ClusterNodes.start(redis, "node-b", prefix, shortTtl);
		try {
			CryoClientSession onA = ClusterNodes.javaClient(nodeA, "ann", new LinkedBlockingQueue<>());
			SessionId sid = onA.id();
			// The session outlives the time to live: the heartbeat refreshes its claim.
			Thread.sleep(3000);
			assertThat(nodeB.getBean(SessionDirectory.class).locate(sid)).contains("node-a");
			// The node dies: its directory can no longer reach Redis, so nothing is released.
			nodeA.getBean(RedisSessionDirectory.class).close();
			nodeA.close();
			onA.close();
			long diedAt = System.nanoTime();
			assertThat(upgradeStatus(nodeB, sid)).isEqualTo(401);
			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> nodeB.getBean(SessionDirectory.class).locate(sid).isEmpty());
			assertThat(Duration.ofNanos(System.nanoTime() - diedAt)).isLessThan(Duration.ofMillis(2500));
			try (RawCryoClient onB = connect(nodeB, "ann", sid)) {
				assertThat(nodeB.getBean(SessionDirectory.class).locate(sid)).contains("node-b");
			}
		}
		finally {
			nodeA.close();
			nodeB.close();
		}
	}

	private static int upgradeStatus(ConfigurableApplicationContext node, SessionId sid) throws Exception {
		return RawUpgradeRequest
			.send(ClusterNodes.port(node),
					ClusterTestApplication.PATH + "?authorization=Bearer+user-ann&x-cryo-sid=" + sid,
					Map.of())
			.status();
	}

}
