package dev.cryo.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.cryo.core.SessionId;
import dev.cryo.test.PrivateRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The directory on a real Redis, two nodes sharing it: a claim is exclusive, refreshed and
 * released only by its owner, expires after its time to live, and an outage neither blocks an
 * upgrade longer than the command timeout nor loses the claim once Redis is back: the held ids are
 * claimed again as soon as Redis answers. The heartbeat refreshes in batches.
 */
@Timeout(60)
class RedisSessionDirectoryTests {

	@RegisterExtension
	static final PrivateRedis redis = new PrivateRedis();

	private final String sharedPrefix = "shared:" + System.nanoTime() + ":";

	private LettuceConnectionFactory connectionFactory;

	@BeforeEach
	void connect() throws Exception {
		this.connectionFactory = RedisConnections.startedFactory(redis);
	}

	@AfterEach
	void disconnect() {
		this.connectionFactory.destroy();
	}

	/** A node's directory on the prefix the test's nodes share. */
	private RedisSessionDirectory shared(String node) {
		return new RedisSessionDirectory(this.connectionFactory,
				new RedisClusterSettings(node, this.sharedPrefix, Duration.ofSeconds(30), Duration.ofMillis(500)));
	}

	@Test
	void aClaimIsExclusiveLocatedAndFreedByItsOwnerOnly() {
		RedisSessionDirectory otherA = shared("a");
		RedisSessionDirectory otherB = shared("b");
		SessionId sid = SessionId.of(1001);
		assertThat(otherA.reserve(sid)).isTrue();
		assertThat(otherB.reserve(sid)).isFalse();
		assertThat(otherB.locate(sid)).contains("a");
		// Neither a refresh nor a release of another node takes the claim.
		otherB.refresh(sid);
		otherB.release(sid);
		assertThat(otherA.locate(sid)).contains("a");
		otherA.release(sid);
		assertThat(otherB.locate(sid)).isEmpty();
		assertThat(otherB.reserve(sid)).isTrue();
		otherA.close();
		otherB.close();
	}

	@Test
	void aRefreshedClaimOutlivesItsTimeToLiveAndAnUnrefreshedOneExpires() throws Exception {
		String prefix = "ttl:" + System.nanoTime() + ":";
		RedisSessionDirectory a = new RedisSessionDirectory(this.connectionFactory,
				new RedisClusterSettings("a", prefix, Duration.ofMillis(600), Duration.ofMillis(500)));
		RedisSessionDirectory b = new RedisSessionDirectory(this.connectionFactory,
				new RedisClusterSettings("b", prefix, Duration.ofMillis(600), Duration.ofMillis(500)));
		SessionId refreshed = SessionId.of(1);
		SessionId abandoned = SessionId.of(2);
		assertThat(a.reserve(refreshed)).isTrue();
		assertThat(a.reserve(abandoned)).isTrue();
		for (int i = 0; i < 4; i++) {
			Thread.sleep(300);
			a.refresh(refreshed);
		}
		assertThat(b.reserve(refreshed)).isFalse();
		assertThat(b.locate(abandoned)).isEmpty();
		assertThat(b.reserve(abandoned)).isTrue();
		a.close();
		b.close();
	}

	@Test
	void aNodeRestartedUnderTheSameIdTakesOverItsLeftoverClaims() {
		RedisSessionDirectory before = shared("a");
		SessionId sid = SessionId.of(4711);
		assertThat(before.reserve(sid)).isTrue();
		before.close();
		RedisSessionDirectory restarted = shared("a");
		RedisSessionDirectory other = shared("b");
		assertThat(restarted.reserve(sid)).isTrue();
		assertThat(other.reserve(sid)).isFalse();
		restarted.close();
		other.close();
	}

	@Test
	void membershipsStayOnTheNode() {
		RedisSessionDirectory a = shared("a");
		RedisSessionDirectory b = shared("b");
		a.join(SessionId.of(5), "chat");
		assertThat(a.members("chat")).containsExactly(SessionId.of(5));
		assertThat(a.groupCount()).isEqualTo(1);
		assertThat(b.members("chat")).isEmpty();
		a.leave(SessionId.of(5), "chat");
		assertThat(a.groupCount()).isZero();
		a.close();
		b.close();
	}

	@Test
	void redisDownGrantsLocallyWithinTheTimeoutAndTheNextRefreshWritesTheClaim() throws Exception {
		RedisSessionDirectory a = shared("a");
		RedisSessionDirectory b = shared("b");
		SessionId sid = SessionId.of(77);
		redis.stop();
		long start = System.nanoTime();
		assertThat(a.reserve(sid)).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		assertThat(a.isRedisUnavailable()).isTrue();
		// Within the retry pause the directory does not wait again.
		long again = System.nanoTime();
		assertThatExceptionOfType(RedisClusterUnavailableException.class).isThrownBy(() -> a.locate(sid));
		assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofMillis(200));
		redis.start();
		// This directory has no server attached to list its ids: the refresh of the heartbeat writes it.
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
			a.refresh(sid);
			assertThat(b.locate(sid)).contains("a");
		});
		assertThat(b.reserve(sid)).isFalse();
		a.close();
		b.close();
	}

	@Test
	void refreshAllClaimsMoreThanABatchAndLeavesAnotherNodesClaim() throws Exception {
		RedisSessionDirectory a = shared("a");
		RedisSessionDirectory b = shared("b");
		List<SessionId> held = new ArrayList<>();
		for (int i = 0; i < RedisSessionDirectory.BATCH_SIZE * 2 + 100; i++) {
			held.add(SessionId.of(50_000 + i));
		}
		SessionId contested = held.get(RedisSessionDirectory.BATCH_SIZE + 7);
		assertThat(b.reserve(contested)).isTrue();
		// Written by the refresh: as after an outage, or after Redis lost its data.
		a.refreshAll(held);
		assertThat(b.locate(held.get(0))).contains("a");
		assertThat(b.locate(held.get(held.size() - 1))).contains("a");
		assertThat(b.reserve(held.get(RedisSessionDirectory.BATCH_SIZE))).isFalse();
		assertThat(a.locate(contested)).contains("b");
		assertThat(redis.command("PTTL " + this.sharedPrefix + "sid:" + held.get(3))).startsWith(":");
		assertThat(Long.parseLong(redis.command("PTTL " + this.sharedPrefix + "sid:" + held.get(3)).substring(1)))
			.isPositive();
		a.close();
		b.close();
	}

	@Test
	void heldIdsAreClaimedAgainAsSoonAsRedisReturnsWithoutAHeartbeat() throws Exception {
		RedisSessionDirectory a = shared("a");
		RedisSessionDirectory b = shared("b");
		List<SessionId> held = new CopyOnWriteArrayList<>();
		a.attach(() -> held);
		SessionId before = SessionId.of(901);
		SessionId during = SessionId.of(902);
		assertThat(a.reserve(before)).isTrue();
		held.add(before);
		redis.stop();
		// Granted here alone; Redis loses every claim when it stops.
		assertThat(a.reserve(during)).isTrue();
		held.add(during);
		redis.start();
		await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
			.untilAsserted(() -> assertThat(b.locate(before)).contains("a"));
		assertThat(b.locate(during)).contains("a");
		assertThat(a.isRedisUnavailable()).isFalse();
		a.close();
		b.close();
	}

}
