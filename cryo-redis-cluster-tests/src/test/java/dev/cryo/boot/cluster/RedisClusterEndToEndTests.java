package dev.cryo.boot.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cryo.core.SessionId;
import dev.cryo.redis.RedisClusterBroadcaster;
import dev.cryo.redis.RedisSessionDirectory;
import dev.cryo.server.BroadcastResult;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.SessionDirectory;
import dev.cryo.test.PrivateRedis;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawUpgradeRequest;
import dev.cryo.test.RawUpgradeRequest.Response;

import static dev.cryo.boot.cluster.ClusterNodes.assertNothingMore;
import static dev.cryo.boot.cluster.ClusterNodes.connect;
import static dev.cryo.boot.cluster.ClusterNodes.receive;
import static dev.cryo.boot.cluster.ClusterNodes.server;
import static dev.cryo.boot.cluster.ClusterNodes.session;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application instances sharing a private Redis, real clients on each: multicasts reach the
 * chosen sessions of both nodes exactly once, a session id live on one node is refused on the
 * other with the 401 of a single node, and the directory names the node that holds an id.
 */
@Timeout(120)
class RedisClusterEndToEndTests {

	@RegisterExtension
	static final PrivateRedis redis = new PrivateRedis();

	private static ConfigurableApplicationContext nodeA;

	private static ConfigurableApplicationContext nodeB;

	@BeforeAll
	static void startNodes() {
		String prefix = "e2e:" + System.nanoTime() + ":";
		nodeA = ClusterNodes.start(redis, "node-a", prefix);
		nodeB = ClusterNodes.start(redis, "node-b", prefix);
		// The subscriptions complete in the background: wait until each node sees the other.
		for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] { nodeA, nodeB }) {
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> server(node).multicastUtf8(SessionSelector.group("nobody"), "probe")
					.remoteDeliveries() == 1);
		}
	}

	@AfterAll
	static void stopNodes() {
		if (nodeA != null) {
			nodeA.close();
		}
		if (nodeB != null) {
			nodeB.close();
		}
	}

	@Test
	void theRedisBeansReplaceTheLocalOnes() {
		assertThat(nodeA.getBean(SessionDirectory.class)).isInstanceOf(RedisSessionDirectory.class);
		assertThat(nodeA.getBean(ClusterBroadcaster.class)).isInstanceOf(RedisClusterBroadcaster.class);
	}

	@Test
	void broadcastFromOneNodeReachesTheClientsOfBothExactlyOnce() {
		try (RawCryoClient onA = connect(nodeA, "ann", RawFrames.newSid());
				RawCryoClient onB = connect(nodeB, "ben", RawFrames.newSid())) {
			BroadcastResult result = server(nodeA).multicastUtf8(SessionSelector.all(), "hello everyone");
			assertThat(result.localDeliveries()).hasSize(1);
			assertThat(result.remoteDeliveries()).as("other nodes reached").isEqualTo(1);
			assertThat(receive(onA)).isEqualTo("hello everyone");
			assertThat(receive(onB)).isEqualTo("hello everyone");
			assertNothingMore(onA);
			assertNothingMore(onB);
		}
	}

	@Test
	void multicastToAUserReachesTheirSessionsOnBothNodesOnly() {
		try (RawCryoClient aliceOnA = connect(nodeA, "alice", RawFrames.newSid());
				RawCryoClient aliceOnB = connect(nodeB, "alice", RawFrames.newSid());
				RawCryoClient bobOnB = connect(nodeB, "bob", RawFrames.newSid())) {
			server(nodeB).multicastUtf8(SessionSelector.user("alice"), "for alice");
			assertThat(receive(aliceOnA)).isEqualTo("for alice");
			assertThat(receive(aliceOnB)).isEqualTo("for alice");
			assertNothingMore(bobOnB);
			assertNothingMore(aliceOnA);
		}
	}

	@Test
	void multicastToAGroupReachesItsMembersOnBothNodesButTheExcludedSender() {
		SessionId senderSid = RawFrames.newSid();
		try (RawCryoClient sender = connect(nodeA, "sam", senderSid);
				RawCryoClient memberOnA = connect(nodeA, "mia", RawFrames.newSid());
				RawCryoClient memberOnB = connect(nodeB, "max", RawFrames.newSid());
				RawCryoClient outsiderOnB = connect(nodeB, "otto", RawFrames.newSid())) {
			session(nodeA, senderSid).join("chat");
			session(nodeA, memberOnA.sid()).join("chat");
			session(nodeB, memberOnB.sid()).join("chat");
			server(nodeA).multicastUtf8(SessionSelector.group("chat").except(senderSid), "to the room");
			assertThat(receive(memberOnA)).isEqualTo("to the room");
			assertThat(receive(memberOnB)).isEqualTo("to the room");
			assertNothingMore(sender);
			assertNothingMore(outsiderOnB);
		}
	}

	@Test
	void sessionIdLiveOnOneNodeIsRefusedOnTheOtherAsOnASingleNodeAndFreeAfterItCloses() throws IOException {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient onA = connect(nodeA, "ann", sid)) {
			Response sameNode = upgrade(nodeA, sid);
			Response otherNode = upgrade(nodeB, sid);
			assertThat(sameNode.status()).isEqualTo(401);
			assertThat(sameNode.body()).endsWith("The session already exists.</p></body></html>");
			assertThat(otherNode.status()).isEqualTo(sameNode.status());
			// The body names the caller's address and port, which differ between the two requests.
			assertThat(withoutCaller(otherNode.body())).isEqualTo(withoutCaller(sameNode.body()));
			assertThat(nodeB.getBean(SessionDirectory.class).locate(sid)).contains("node-a");
			assertThat(nodeA.getBean(SessionDirectory.class).locate(sid)).contains("node-a");
		}
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> nodeB.getBean(SessionDirectory.class).locate(sid).isEmpty());
		try (RawCryoClient onB = connect(nodeB, "ann", sid)) {
			assertThat(nodeA.getBean(SessionDirectory.class).locate(sid)).contains("node-b");
		}
	}

	private static String withoutCaller(String body) {
		return body.replaceAll("127\\.0\\.0\\.1:\\d+", "<caller>");
	}

	private static Response upgrade(ConfigurableApplicationContext node, SessionId sid) throws IOException {
		return RawUpgradeRequest.send(ClusterNodes.port(node),
				ClusterTestApplication.PATH + "?authorization=Bearer+user-eve&x-cryo-sid=" + sid, Map.of());
	}

}
