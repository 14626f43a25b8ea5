package dev.cryo.boot.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cryo.client.CryoClientSession;
import dev.cryo.core.SessionId;
import dev.cryo.server.SessionSelector;
import dev.cryo.test.PrivateRedis;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawUpgradeRequest;

import static dev.cryo.boot.cluster.ClusterNodes.connect;
import static dev.cryo.boot.cluster.ClusterNodes.server;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that dies as a killed process does ({@code SIGKILL}: no shutdown, nothing released in
 * Redis, its clients' connections cut by the kernel): the ids of its sessions stay refused on the
 * other nodes until their claims' time to live runs out, then another node accepts them; the
 * surviving nodes and their clients carry on, with each other.
 */
@Timeout(120)
class RedisClusterNodeProcessKillTests {

	@RegisterExtension
	static final PrivateRedis redis = new PrivateRedis();

	/** A heartbeat of 500 ms refreshes the claims; 5 s after the last refresh they expire. */
	private static final String[] SHORT_TTL = { "cryo.keep-alive-interval=500ms", "cryo.cluster.redis.session-ttl=5s" };

	@TempDir
	Path temporary;

	@Test
	void idsOfAKilledNodeProcessAreRefusedUntilTheTimeToLiveThenAcceptedAndTheOtherNodesCarryOn() throws Exception {
		String prefix = "kill:" + System.nanoTime() + ":";
		ConfigurableApplicationContext nodeB = ClusterNodes.start(redis, "node-b", prefix, SHORT_TTL);
		ConfigurableApplicationContext nodeC = ClusterNodes.start(redis, "node-c", prefix, SHORT_TTL);
		BlockingQueue<String> onATexts = new LinkedBlockingQueue<>();
		BlockingQueue<String> onBTexts = new LinkedBlockingQueue<>();
		BlockingQueue<String> onCTexts = new LinkedBlockingQueue<>();
		try (ClusterNodeProcess nodeA = ClusterNodeProcess.start(redis, "node-a", prefix,
				this.temporary.resolve("node-a.log"), SHORT_TTL);
				CryoClientSession onA = ClusterNodes.javaClient(nodeA.port(), "ann", onATexts);
				CryoClientSession onB = ClusterNodes.javaClient(nodeB, "bob", onBTexts);
				CryoClientSession onC = ClusterNodes.javaClient(nodeC, "cat", onCTexts)) {
			ClusterNodes.awaitClusterUp(nodeB);
			ClusterNodes.awaitClusterUp(nodeC);
			SessionId sid = onA.id();
			// The process is a node of the cluster: B locates its session, and a multicast from B
			// reaches its client once its subscription is up.
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server(nodeB).locate(sid).isPresent());
			assertThat(server(nodeB).locate(sid)).contains("node-a");
			Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
				server(nodeB).multicastUtf8(SessionSelector.user("ann"), "are you there");
				return "are you there".equals(onATexts.poll(200, TimeUnit.MILLISECONDS));
			});
			nodeA.kill();
			// Its claim is still in Redis: the id is refused on the other nodes as if it were live.
			assertThat(upgradeStatus(nodeB, sid)).isEqualTo(401);
			assertThat(upgradeStatus(nodeC, sid)).isEqualTo(401);
			// Once the time to live has passed, the id is free again.
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> server(nodeC).locate(sid).isEmpty());
			try (RawCryoClient again = connect(nodeC, "ann", sid)) {
				assertThat(server(nodeB).locate(sid)).contains("node-c");
			}
			// The surviving nodes still reach each other's clients.
			server(nodeB).broadcastUtf8("still here");
			assertThat(onBTexts.poll(10, TimeUnit.SECONDS)).isEqualTo("still here");
			assertThat(onCTexts.poll(10, TimeUnit.SECONDS)).isEqualTo("still here");
		}
		finally {
			nodeB.close();
			nodeC.close();
		}
	}

	private static int upgradeStatus(ConfigurableApplicationContext node, SessionId sid) throws Exception {
		return RawUpgradeRequest
			.send(ClusterNodes.port(node), ClusterTestApplication.PATH + "?authorization=Bearer+user-ann&x-cryo-sid=" + sid,
					Map.of())
			.status();
	}

}
