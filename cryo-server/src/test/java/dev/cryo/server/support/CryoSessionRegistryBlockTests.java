package dev.cryo.server.support;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session ids blocked after a CALE failure (legacy-v0.md §10.6): refused as duplicates while the
 * block lasts, free again after it, counted while they last.
 */
class CryoSessionRegistryBlockTests {

	private final CryoSessionRegistry registry = new CryoSessionRegistry();

	private final SessionId sid = SessionId.of(UUID.randomUUID());

	@Test
	void blockedSidIsRefusedLikeALiveOneAndCounted() {
		this.registry.block(this.sid, Duration.ofMinutes(1));
		assertThat(this.registry.reserve(this.sid)).isNull();
		assertThat(this.registry.blockedCount()).isEqualTo(1);
		assertThat(this.registry.reserve(SessionId.of(UUID.randomUUID()))).isNotNull();
	}

	@Test
	void blockedSidIsRefusedAlsoOnABoundedRegistry() {
		CryoSessionRegistry bounded = new CryoSessionRegistry(10);
		bounded.block(this.sid, Duration.ofMinutes(1));
		assertThat(bounded.reserve(this.sid)).isNull();
	}

	@Test
	void blockEndsByItself() throws InterruptedException {
		this.registry.block(this.sid, Duration.ofMillis(200));
		assertThat(this.registry.reserve(this.sid)).isNull();
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (this.registry.blockedCount() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(this.registry.blockedCount()).isZero();
		assertThat(this.registry.reserve(this.sid)).isNotNull();
	}

	@Test
	void aLongerBlockIsKeptAndAShorterOneDoesNotShortenIt() {
		this.registry.block(this.sid, Duration.ofMinutes(1));
		this.registry.block(this.sid, Duration.ofMillis(1));
		this.registry.purgeStaleReservations(Long.MAX_VALUE);
		assertThat(this.registry.blockedCount()).isEqualTo(1);
		assertThat(this.registry.reserve(this.sid)).isNull();
	}

	@Test
	void zeroBlockDoesNothing() {
		this.registry.block(this.sid, Duration.ZERO);
		assertThat(this.registry.blockedCount()).isZero();
		assertThat(this.registry.reserve(this.sid)).isNotNull();
	}

}
