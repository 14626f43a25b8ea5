package dev.cryo.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.cryo.core.SessionId;
import dev.cryo.server.BroadcastResult;
import dev.cryo.server.ClusterDeliveryException;
import dev.cryo.server.ClusterDeliveryReport;
import dev.cryo.server.NodeDeliveryReport;
import dev.cryo.server.NodeDeliveryReport.Status;
import dev.cryo.server.SessionNotFoundException;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.cluster.ClusterMessage;
import dev.cryo.server.cluster.ClusterSubscription;
import dev.cryo.test.PrivateRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Delivery across nodes on a real Redis, with broadcasters whose servers are small sets of
 * stand-in sessions: the per-node report of a multicast (counts, failures, a silent node, the
 * limit of pending reports), sends to one session on another node, module topics, and the node
 * registry coming back after Redis restarts.
 */
@Timeout(90)
class RedisClusterDeliveryTests {

	@RegisterExtension
	static final PrivateRedis redis = new PrivateRedis();

	private LettuceConnectionFactory connectionFactory;

	private final String prefix = "dl:" + System.nanoTime() + ":";

	private final List<AutoCloseable> closing = new ArrayList<>();

	@BeforeEach
	void connect() throws Exception {
		this.connectionFactory = RedisConnections.startedFactory(redis);
	}

	@AfterEach
	void disconnect() throws Exception {
		for (AutoCloseable closeable : this.closing) {
			closeable.close();
		}
		this.connectionFactory.destroy();
	}

	private TestNode node(String id, Duration deliveryTimeout) {
		return node(TestNode.settings(id, this.prefix, deliveryTimeout));
	}

	private TestNode node(RedisClusterSettings settings) {
		TestNode node = new TestNode(this.connectionFactory, settings);
		this.closing.add(node);
		return node;
	}

	private static ClusterDeliveryReport report(BroadcastResult result) throws Exception {
		return result.remoteReport().get(30, TimeUnit.SECONDS);
	}

	private static NodeDeliveryReport of(ClusterDeliveryReport report, String node) {
		return report.nodes().stream().filter((each) -> each.nodeId().equals(node)).findFirst().orElseThrow();
	}

	@Test
	void aMulticastIsReportedNodeByNodeWithEachNodesCounts() throws Exception {
		TestNode a = node("a", Duration.ofSeconds(10)).with(1, TestNode.Peer.ACKS);
		TestNode b = node("b", Duration.ofSeconds(10)).with(2, TestNode.Peer.ACKS).with(3, TestNode.Peer.ACKS);
		TestNode c = node("c", Duration.ofSeconds(10)).with(4, TestNode.Peer.ACKS).with(5, TestNode.Peer.FAILS);
		a.awaitSees(b, c);
		BroadcastResult result = a.broadcaster.broadcast(SessionSelector.all(), new ClusterMessage.Utf8("hi"),
				a.delivery());
		assertThat(result.localDeliveries()).hasSize(1);
		assertThat(result.remoteDeliveries()).isEqualTo(2);
		ClusterDeliveryReport report = report(result);
		assertThat(report.nodes()).hasSize(2);
		assertThat(of(report, "b")).isEqualTo(new NodeDeliveryReport("b", Status.ANSWERED, 2, 2, 0));
		assertThat(of(report, "c")).isEqualTo(new NodeDeliveryReport("c", Status.ANSWERED, 2, 1, 1));
		assertThat(report.isComplete()).isFalse();
		assertThat(report.unansweredNodes()).isEmpty();
		assertThat(b.arrived).containsExactlyInAnyOrder("2 hi", "3 hi");
	}

	@Test
	void aNodeWithoutRecipientsAnswersAndTheReportIsComplete() throws Exception {
		TestNode a = node("a", Duration.ofSeconds(10));
		TestNode b = node("b", Duration.ofSeconds(10));
		a.awaitSees(b);
		ClusterDeliveryReport report = report(
				a.broadcaster.broadcast(SessionSelector.user("nobody"), new ClusterMessage.Utf8("x"), a.delivery()));
		assertThat(report.nodes()).containsExactly(new NodeDeliveryReport("b", Status.ANSWERED, 0, 0, 0));
		assertThat(report.isComplete()).isTrue();
		assertThat(a.broadcaster.pendingReports()).isZero();
	}

	@Test
	void aSessionThatNeverAcksIsReportedFailedBeforeTheOriginGivesUp() throws Exception {
		// b counts the silent session as failed after four fifths of the timeout, and reports.
		TestNode a = node("a", Duration.ofSeconds(4));
		TestNode b = node("b", Duration.ofSeconds(4)).with(7, TestNode.Peer.SILENT).with(8, TestNode.Peer.ACKS);
		a.awaitSees(b);
		ClusterDeliveryReport report = report(
				a.broadcaster.broadcast(SessionSelector.all(), new ClusterMessage.Utf8("x"), a.delivery()));
		assertThat(report.nodes()).containsExactly(new NodeDeliveryReport("b", Status.ANSWERED, 2, 1, 1));
	}

	@Test
	void aNodeInTheRegistryThatDoesNotAnswerIsReportedAsNoAnswerAtTheTimeout() throws Exception {
		TestNode a = node("a", Duration.ofSeconds(2));
		TestNode b = node("b", Duration.ofSeconds(2)).with(2, TestNode.Peer.ACKS);
		// A node that announced itself, then died without leaving: its entry has not aged out yet.
		assertThat(redis.command("ZADD " + this.prefix + "nodes 99999999999999 ghost")).isEqualTo(":1");
		a.awaitSees(b);
		assertThat(a.broadcaster.liveNodes()).contains("a", "b", "ghost");
		ClusterDeliveryReport report = report(
				a.broadcaster.broadcast(SessionSelector.all(), new ClusterMessage.Utf8("x"), a.delivery()));
		assertThat(report.nodes()).containsExactly(new NodeDeliveryReport("b", Status.ANSWERED, 1, 1, 0),
				NodeDeliveryReport.noAnswer("ghost"));
		assertThat(report.unansweredNodes()).containsExactly("ghost");
		assertThat(a.told).contains("no-answer");
		assertThat(a.broadcaster.pendingReports()).isZero();
	}

	@Test
	void beyondTheLimitOfPendingReportsAMulticastIsDeliveredButReportedUnansweredAtOnce() throws Exception {
		TestNode a = node(TestNode.settings("a", this.prefix, Duration.ofSeconds(30)).withMaxPendingReports(1));
		TestNode b = node("b", Duration.ofSeconds(30)).with(2, TestNode.Peer.ACKS);
		assertThat(redis.command("ZADD " + this.prefix + "nodes 99999999999999 ghost")).isEqualTo(":1");
		a.awaitSees(b);
		BroadcastResult waiting = a.broadcaster.broadcast(SessionSelector.all(), new ClusterMessage.Utf8("first"),
				a.delivery());
		BroadcastResult beyond = a.broadcaster.broadcast(SessionSelector.all(), new ClusterMessage.Utf8("second"),
				a.delivery());
		assertThat(beyond.remoteReport()).isCompleted();
		assertThat(beyond.remoteReport().get().unansweredNodes()).containsExactlyInAnyOrder("b", "ghost");
		assertThat(a.told).contains("pending-limit");
		assertThat(a.broadcaster.pendingReports()).isEqualTo(1);
		assertThat(waiting.remoteReport()).isNotDone();
		// Delivered all the same.
		assertThat(b.arrived.poll(10, TimeUnit.SECONDS)).isEqualTo("2 first");
		assertThat(b.arrived.poll(10, TimeUnit.SECONDS)).isEqualTo("2 second");
	}

	@Test
	void aSendToASessionOnAnotherNodeCompletesWithItsAck() throws Exception {
		TestNode a = node("a", Duration.ofSeconds(10));
		TestNode b = node("b", Duration.ofSeconds(10)).with(7, TestNode.Peer.ACKS);
		a.awaitSees(b);
		claim(7, "b");
		CompletableFuture<Void> sent = a.broadcaster.send(SessionId.of(7), new ClusterMessage.Utf8("direct"),
				a.delivery());
		assertThat(sent.get(20, TimeUnit.SECONDS)).isNull();
		assertThat(b.arrived).containsExactly("7 direct");
	}

	@Test
	void aSendToALocalSessionStaysHere() throws Exception {
		TestNode a = node("a", Duration.ofSeconds(10)).with(3, TestNode.Peer.ACKS);
		assertThat(a.broadcaster.send(SessionId.of(3), new ClusterMessage.Utf8("here"), a.delivery()))
			.isCompleted();
		assertThat(a.arrived).containsExactly("3 here");
		assertThat(a.told).doesNotContain("sent");
	}

	@Test
	void aSendToAnIdNobodyHoldsFailsWithSessionNotFound() throws Exception {
		TestNode a = node("a", Duration.ofSeconds(10));
		TestNode b = node("b", Duration.ofSeconds(10));
		a.awaitSees(b);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> a.broadcaster.send(SessionId.of(404), new ClusterMessage.Utf8("x"), a.delivery())
				.get(20, TimeUnit.SECONDS))
			.withCauseInstanceOf(SessionNotFoundException.class);
		// Claimed by b, whose session is gone by the time the message arrives.
		claim(405, "b");
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> a.broadcaster.send(SessionId.of(405), new ClusterMessage.Utf8("x"), a.delivery())
				.get(20, TimeUnit.SECONDS))
			.withCauseInstanceOf(SessionNotFoundException.class);
	}

	@Test
	void aSendWhoseNodeIsGoneOrFailsOrDoesNotAnswerFailsWithClusterDelivery() throws Exception {
		TestNode a = node("a", Duration.ofMillis(1500));
		TestNode b = node("b", Duration.ofMillis(1500)).with(8, TestNode.Peer.FAILS).with(9, TestNode.Peer.SILENT);
		a.awaitSees(b);
		claim(6, "gone");
		claim(8, "b");
		claim(9, "b");
		assertThat(a.broadcaster.send(SessionId.of(6), new ClusterMessage.Utf8("x"), a.delivery()))
			.isCompletedExceptionally();
		for (long sid : new long[] { 6, 8, 9 }) {
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> a.broadcaster.send(SessionId.of(sid), new ClusterMessage.Utf8("x"), a.delivery())
					.get(20, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(ClusterDeliveryException.class)
				.satisfies((ex) -> assertThat(((ClusterDeliveryException) ex).nodeId()).isIn("gone", "b"));
		}
		assertThat(a.broadcaster.pendingReports()).isZero();
	}

	@Test
	void aSendToAnotherNodeWhileRedisIsDownFailsFast() throws Exception {
		TestNode a = node("a", Duration.ofSeconds(10));
		redis.stop();
		assertThatExceptionOfType(RedisClusterUnavailableException.class)
			.isThrownBy(() -> a.broadcaster.send(SessionId.of(1), new ClusterMessage.Utf8("x"), a.delivery()));
	}

	@Test
	void aSilentOwnerFailsTheSendAtTheDeliveryTimeout() throws Exception {
		TestNode a = node("a", Duration.ofMillis(800));
		// Subscribed to its channel, so the publish reaches it, but never answers: a stopped delivery.
		TestNode b = node("b", Duration.ofMillis(800));
		a.awaitSees(b);
		claim(11, "b");
		b.broken = true;
		CompletableFuture<Void> sent = a.broadcaster.send(SessionId.of(11), new ClusterMessage.Utf8("x"),
				a.delivery());
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> sent.get(20, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(ClusterDeliveryException.class)
			.withMessageContaining("did not report");
		assertThat(a.told).contains("no-answer");
	}

	@Test
	void topicMessagesReachTheOtherNodesListenersOnly() throws Exception {
		TestNode a = node("a", Duration.ofSeconds(10));
		TestNode b = node("b", Duration.ofSeconds(10));
		a.awaitSees(b);
		BlockingQueue<String> atA = new LinkedBlockingQueue<>();
		BlockingQueue<String> atB = new LinkedBlockingQueue<>();
		a.broadcaster.subscribe("chat.rooms", (origin, payload) -> atA.add(origin + " " + new String(payload)));
		ClusterSubscription subscription = b.broadcaster.subscribe("chat.rooms",
				(origin, payload) -> atB.add(origin + " " + new String(payload)));
		b.broadcaster.subscribe("marker", (origin, payload) -> atB.add("marker"));
		assertThat(a.broadcaster.publish("chat.rooms", "one".getBytes())).isEqualTo(1);
		assertThat(atB.poll(10, TimeUnit.SECONDS)).isEqualTo("a one");
		subscription.cancel();
		subscription.cancel();
		a.broadcaster.publish("chat.rooms", "two".getBytes());
		a.broadcaster.publish("marker", new byte[0]);
		// Messages of one node arrive in order: once the marker is here, "two" would have been too.
		assertThat(atB.poll(10, TimeUnit.SECONDS)).isEqualTo("marker");
		assertThat(atB).isEmpty();
		assertThat(atA).isEmpty();
	}

	@Test
	void aFailingTopicListenerIsCountedAndTheOthersStillReceive() throws Exception {
		TestNode a = node("a", Duration.ofSeconds(10));
		TestNode b = node("b", Duration.ofSeconds(10));
		a.awaitSees(b);
		BlockingQueue<String> atB = new LinkedBlockingQueue<>();
		b.broadcaster.subscribe("t", (origin, payload) -> {
			throw new IllegalStateException("listener bug");
		});
		b.broadcaster.subscribe("t", (origin, payload) -> atB.add("second"));
		a.broadcaster.publish("t", new byte[] { 1 });
		a.broadcaster.publish("t", new byte[] { 2 });
		assertThat(atB.poll(10, TimeUnit.SECONDS)).isEqualTo("second");
		assertThat(atB.poll(10, TimeUnit.SECONDS)).isEqualTo("second");
		assertThat(b.told).contains("listener");
	}

	@Test
	void badTopicNamesAndOversizedPayloadsAreRefused() {
		TestNode a = node(TestNode.settings("a", this.prefix, Duration.ofSeconds(10)).withMaxMessageSize(16));
		assertThatIllegalArgumentException().isThrownBy(() -> a.broadcaster.publish("no spaces", new byte[0]));
		assertThatIllegalArgumentException().isThrownBy(() -> a.broadcaster.subscribe("", (origin, payload) -> {
		}));
		assertThatIllegalArgumentException().isThrownBy(() -> a.broadcaster.publish("t", new byte[17]))
			.withMessageContaining("exceeds");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> a.broadcaster.broadcast(SessionSelector.all(), new ClusterMessage.Utf8("x".repeat(17)),
					a.delivery()));
	}

	@Test
	void malformedMessagesOnTheNodeChannelAreCountedAndIgnored() throws Exception {
		TestNode a = node("a", Duration.ofSeconds(10));
		TestNode b = node("b", Duration.ofSeconds(10)).with(1, TestNode.Peer.ACKS);
		a.awaitSees(b);
		assertThat(redis.command("PUBLISH " + this.prefix + "node:b garbage")).isEqualTo(":1");
		await().atMost(Duration.ofSeconds(10)).until(() -> b.told.contains("decode"));
		// Still delivering afterwards.
		report(a.broadcaster.broadcast(SessionSelector.all(), new ClusterMessage.Utf8("after"), a.delivery()));
		assertThat(b.arrived).containsExactly("1 after");
	}

	@Test
	void aStoppedNodeLeavesTheRegistryAndANodeAnnouncesItselfAgainRightAfterRedisReturns() throws Exception {
		TestNode a = node("a", Duration.ofSeconds(10));
		TestNode b = node("b", Duration.ofSeconds(10));
		a.awaitSees(b);
		b.broadcaster.stop();
		a.broadcaster.announceNow();
		assertThat(a.broadcaster.liveNodes()).containsExactly("a");
		redis.stop();
		assertThatExceptionOfType(RedisClusterUnavailableException.class).isThrownBy(() -> a.broadcaster
			.broadcast(SessionSelector.all(), new ClusterMessage.Utf8("lost"), a.delivery()));
		redis.start();
		// Redis lost its data; no announcement round is due for ten seconds, yet the entry is back.
		await().atMost(Duration.ofSeconds(8))
			.until(() -> !redis.command("ZSCORE " + this.prefix + "nodes a").equals("$-1"));
	}

	private void claim(long sid, String node) throws Exception {
		assertThat(redis.command("SET " + this.prefix + "sid:" + SessionId.of(sid) + " " + node)).isEqualTo("+OK");
	}

}
