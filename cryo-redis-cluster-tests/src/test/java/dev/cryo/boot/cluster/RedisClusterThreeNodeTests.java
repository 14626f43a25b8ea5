package dev.cryo.boot.cluster;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cryo.core.SessionId;
import dev.cryo.test.PrivateRedis;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawUpgradeRequest;

import static dev.cryo.boot.cluster.ClusterNodes.assertNothingMore;
import static dev.cryo.boot.cluster.ClusterNodes.connect;
import static dev.cryo.boot.cluster.ClusterNodes.receive;
import static dev.cryo.boot.cluster.ClusterNodes.server;
import static dev.cryo.boot.cluster.ClusterNodes.session;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three application instances on one private Redis, real clients on each: what node A sends (a
 * broadcast, a send to a user, a group send) reaches the chosen clients of B and C as well as its
 * own, each once, and a session id live on B is refused on C (and on A) with the 401 of a single
 * node. Two nodes could hide a mistake that treats "the other node" as one; a third cannot.
 */
@Timeout(120)
class RedisClusterThreeNodeTests {

	@RegisterExtension
	static final PrivateRedis redis = new PrivateRedis();

	private static ConfigurableApplicationContext nodeA;

	private static ConfigurableApplicationContext nodeB;

	private static ConfigurableApplicationContext nodeC;

	@BeforeAll
	static void startNodes() {
		String prefix = "three:" + System.nanoTime() + ":";
		nodeA = ClusterNodes.start(redis, "node-a", prefix);
		nodeB = ClusterNodes.start(redis, "node-b", prefix);
		nodeC = ClusterNodes.start(redis, "node-c", prefix);
		ClusterNodes.awaitClusterUp(nodeA);
		ClusterNodes.awaitClusterUp(nodeB);
		ClusterNodes.awaitClusterUp(nodeC);
	}

	@AfterAll
	static void stopNodes() {
		for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] { nodeA, nodeB, nodeC }) {
			if (node != null) {
				node.close();
			}
		}
	}

	@Test
	void broadcastFromOneNodeReachesTheClientsOfAllThreeExactlyOnce() {
		try (RawCryoClient onA = connect(nodeA, "ann", RawFrames.newSid());
				RawCryoClient onB = connect(nodeB, "ben", RawFrames.newSid());
				RawCryoClient onC = connect(nodeC, "cid", RawFrames.newSid())) {
			server(nodeA).broadcastUtf8("hello, three nodes");
			assertThat(receive(onA)).isEqualTo("hello, three nodes");
			assertThat(receive(onB)).isEqualTo("hello, three nodes");
			assertThat(receive(onC)).isEqualTo("hello, three nodes");
			assertNothingMore(onA);
			assertNothingMore(onB);
			assertNothingMore(onC);
		}
	}

	@Test
	void aSendToAUserReachesTheirSessionsOnTheOtherTwoNodesOnly() {
		try (RawCryoClient aliceOnB = connect(nodeB, "alice", RawFrames.newSid());
				RawCryoClient aliceOnC = connect(nodeC, "alice", RawFrames.newSid());
				RawCryoClient bobOnB = connect(nodeB, "bob", RawFrames.newSid());
				RawCryoClient bobOnA = connect(nodeA, "bob", RawFrames.newSid())) {
			// Alice has no session on A: nothing local to send to, the other nodes still deliver.
			assertThat(server(nodeA).sendUtf8ToUser("alice", "for alice")).isEmpty();
			assertThat(receive(aliceOnB)).isEqualTo("for alice");
			assertThat(receive(aliceOnC)).isEqualTo("for alice");
			assertNothingMore(aliceOnB);
			assertNothingMore(aliceOnC);
			assertNothingMore(bobOnB);
			assertNothingMore(bobOnA);
		}
	}

	@Test
	void aGroupSendReachesTheMembersOnAllThreeNodesButNotTheOthers() {
		try (RawCryoClient memberOnA = connect(nodeA, "mia", RawFrames.newSid());
				RawCryoClient memberOnB = connect(nodeB, "max", RawFrames.newSid());
				RawCryoClient memberOnC = connect(nodeC, "mo", RawFrames.newSid());
				RawCryoClient outsiderOnB = connect(nodeB, "otto", RawFrames.newSid());
				RawCryoClient outsiderOnC = connect(nodeC, "olga", RawFrames.newSid())) {
			session(nodeA, memberOnA.sid()).join("room");
			session(nodeB, memberOnB.sid()).join("room");
			session(nodeC, memberOnC.sid()).join("room");
			assertThat(server(nodeA).group("room").sendUtf8("to the room")).hasSize(1);
			assertThat(receive(memberOnA)).isEqualTo("to the room");
			assertThat(receive(memberOnB)).isEqualTo("to the room");
			assertThat(receive(memberOnC)).isEqualTo("to the room");
			assertNothingMore(memberOnB);
			assertNothingMore(memberOnC);
			assertNothingMore(outsiderOnB);
			assertNothingMore(outsiderOnC);
		}
	}

	@Test
	void aSessionIdLiveOnOneNodeIsRefusedOnBothOthers() throws IOException {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient onB = connect(nodeB, "ben", sid)) {
			RawUpgradeRequest.Response onC = upgrade(nodeC, sid);
			RawUpgradeRequest.Response onA = upgrade(nodeA, sid);
			assertThat(onC.status()).isEqualTo(401);
			assertThat(onC.body()).endsWith("The session already exists.</p></body></html>");
			assertThat(onA.status()).isEqualTo(401);
			// The session on B is untouched by the refused attempts.
			assertThat(server(nodeB).broadcastUtf8("still yours")).isNotEmpty();
			assertThat(receive(onB)).isEqualTo("still yours");
		}
	}

	private static RawUpgradeRequest.Response upgrade(ConfigurableApplicationContext node, SessionId sid)
			throws IOException {
		return RawUpgradeRequest.send(ClusterNodes.port(node),
				ClusterTestApplication.PATH + "?authorization=Bearer+user-eve&x-cryo-sid=" + sid, Map.of());
	}

}
