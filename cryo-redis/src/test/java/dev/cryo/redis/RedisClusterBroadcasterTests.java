package dev.cryo.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.cryo.server.BroadcastResult;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.cluster.ClusterMessage;
import dev.cryo.server.cluster.LocalDelivery;
import dev.cryo.test.PrivateRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Two broadcasters on a real Redis: a multicast is delivered here directly, reaches the other
 * node's attached delivery once with its selector, never comes back to its origin, counts the
 * other nodes it was published to, and fails as a whole while Redis is down.
 */
@Timeout(60)
class RedisClusterBroadcasterTests {

	@RegisterExtension
	static final PrivateRedis redis = new PrivateRedis();

	private LettuceConnectionFactory connectionFactory;

	private RedisClusterBroadcaster nodeA;

	private RedisClusterBroadcaster nodeB;

	private final BlockingQueue<String> arrivedAtA = new LinkedBlockingQueue<>();

	private final BlockingQueue<String> arrivedAtB = new LinkedBlockingQueue<>();

	@BeforeEach
	void start() throws Exception {
		this.connectionFactory = RedisConnections.startedFactory(redis);
		String prefix = "bc:" + System.nanoTime() + ":";
		this.nodeA = broadcaster("a", prefix, this.arrivedAtA);
		this.nodeB = broadcaster("b", prefix, this.arrivedAtB);
	}

	@AfterEach
	void stop() {
		this.nodeA.close();
		this.nodeB.close();
		this.connectionFactory.destroy();
	}

	private RedisClusterBroadcaster broadcaster(String node, String prefix, BlockingQueue<String> arrived) {
		RedisClusterBroadcaster broadcaster = new RedisClusterBroadcaster(this.connectionFactory,
				new RedisClusterSettings(node, prefix, Duration.ofSeconds(30), Duration.ofMillis(500)));
		broadcaster.attach(recorder(arrived));
		broadcaster.start();
		return broadcaster;
	}

	private static LocalDelivery recorder(BlockingQueue<String> arrived) {
		return (selector, message) -> {
			arrived.add(selector + " " + ((ClusterMessage.Utf8) message).text());
			return Map.of();
		};
	}

	@Test
	void multicastIsDeliveredHereDirectlyAndOnceOnTheOtherNode() throws Exception {
		BlockingQueue<String> deliveredHere = new LinkedBlockingQueue<>();
		BroadcastResult result = awaitSubscribed(
				() -> this.nodeA.broadcast(SessionSelector.group("chat"), new ClusterMessage.Utf8("hi"),
						recorder(deliveredHere)));
		assertThat(result.remoteDeliveries()).isEqualTo(1);
		assertThat(deliveredHere).containsExactly(SessionSelector.group("chat") + " hi");
		assertThat(this.arrivedAtB.poll(5, TimeUnit.SECONDS)).isEqualTo(SessionSelector.group("chat") + " hi");
		// The origin ignores its own message when it comes back from the channel.
		assertThat(this.arrivedAtA.poll(300, TimeUnit.MILLISECONDS)).isNull();
		assertThat(this.arrivedAtB.poll(100, TimeUnit.MILLISECONDS)).isNull();
	}

	@Test
	void messagesFromOneNodeArriveInOrder() throws Exception {
		awaitSubscribed(() -> this.nodeA.broadcast(SessionSelector.all(), new ClusterMessage.Utf8("warm-up"),
				recorder(new LinkedBlockingQueue<>())));
		assertThat(this.arrivedAtB.poll(5, TimeUnit.SECONDS)).endsWith("warm-up");
		for (int i = 0; i < 200; i++) {
			this.nodeA.broadcast(SessionSelector.all(), new ClusterMessage.Utf8(Integer.toString(i)),
					recorder(new LinkedBlockingQueue<>()));
		}
		for (int i = 0; i < 200; i++) {
			assertThat(this.arrivedAtB.poll(5, TimeUnit.SECONDS)).endsWith(" " + i);
		}
	}

	@Test
	void redisDownFailsTheWholeMulticast() throws Exception {
		redis.stop();
		BlockingQueue<String> deliveredHere = new LinkedBlockingQueue<>();
		assertThatExceptionOfType(RedisClusterUnavailableException.class).isThrownBy(() -> this.nodeA
			.broadcast(SessionSelector.all(), new ClusterMessage.Utf8("lost"), recorder(deliveredHere)));
		assertThat(deliveredHere).isEmpty();
	}

	@Test
	void subscriptionsComeBackAfterRedisRestarts() throws Exception {
		awaitSubscribed(() -> this.nodeA.broadcast(SessionSelector.all(), new ClusterMessage.Utf8("before"),
				recorder(new LinkedBlockingQueue<>())));
		redis.stop();
		redis.start();
		BroadcastResult result = awaitSubscribed(() -> {
			try {
				return this.nodeA.broadcast(SessionSelector.all(), new ClusterMessage.Utf8("after"),
						recorder(new LinkedBlockingQueue<>()));
			}
			catch (RedisClusterUnavailableException ex) {
				return new BroadcastResult(Map.of(), 0);
			}
		});
		assertThat(result.remoteDeliveries()).isEqualTo(1);
		String last = null;
		for (String arrived = this.arrivedAtB.poll(5, TimeUnit.SECONDS); arrived != null; arrived = this.arrivedAtB
			.poll(200, TimeUnit.MILLISECONDS)) {
			last = arrived;
		}
		assertThat(last).endsWith("after");
	}

	@Test
	void subscribedOnlyBetweenStartAndStop() throws Exception {
		awaitSubscribed(() -> this.nodeA.broadcast(SessionSelector.all(), new ClusterMessage.Utf8("warm-up"),
				recorder(new LinkedBlockingQueue<>())));
		assertThat(this.nodeB.isSubscribed()).isTrue();
		this.nodeB.stop();
		assertThat(this.nodeB.isSubscribed()).isFalse();
	}

	@Test
	void theObserverIsToldOfSentReceivedAndUnreadableMessages() throws Exception {
		BlockingQueue<String> toldA = new LinkedBlockingQueue<>();
		BlockingQueue<String> toldB = new LinkedBlockingQueue<>();
		this.nodeA.setObserver(observer(toldA));
		this.nodeB.setObserver(observer(toldB));
		awaitSubscribed(() -> this.nodeA.broadcast(SessionSelector.all(), new ClusterMessage.Utf8("counted"),
				recorder(new LinkedBlockingQueue<>())));
		assertThat(this.arrivedAtB.poll(5, TimeUnit.SECONDS)).endsWith("counted");
		// a publishes the multicast and gets b's report; b receives it and publishes the report.
		assertThat(toldA).contains("sent").isSubsetOf("sent", "received");
		assertThat(toldB.poll(5, TimeUnit.SECONDS)).isEqualTo("received");
		toldB.clear();
		assertThat(redis.command("PUBLISH " + this.nodeB.settings().broadcastChannel() + " not-a-cryo-message"))
			.isEqualTo(":2");
		// b's report of the multicast may still be counted as sent meanwhile.
		await().atMost(Duration.ofSeconds(10)).until(() -> toldB.contains("decode"));
		assertThat(this.arrivedAtB.poll(200, TimeUnit.MILLISECONDS)).isNull();
	}

	private static RedisClusterObserver observer(BlockingQueue<String> told) {
		return new RedisClusterObserver() {

			@Override
			public void messageSent() {
				told.add("sent");
			}

			@Override
			public void messageReceived() {
				told.add("received");
			}

			@Override
			public void failure(Failure reason) {
				told.add(reason.tag());
			}

		};
	}

	/**
	 * Subscriptions complete in the background, and the first commands on a loaded machine may
	 * take longer than the short command timeout: publishes until the other node is subscribed.
	 */
	private BroadcastResult awaitSubscribed(java.util.function.Supplier<BroadcastResult> multicast)
			throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		BroadcastResult result = attempt(multicast);
		while (result.remoteDeliveries() < 1 && System.nanoTime() < deadline) {
			Thread.sleep(50);
			this.arrivedAtA.clear();
			result = attempt(multicast);
		}
		return result;
	}

	private static BroadcastResult attempt(java.util.function.Supplier<BroadcastResult> multicast) {
		try {
			return multicast.get();
		}
		catch (RedisClusterUnavailableException ex) {
			return new BroadcastResult(Map.of(), 0);
		}
	}

}
