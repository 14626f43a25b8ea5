package dev.cryo.server.support;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoPrincipal;
import dev.cryo.server.support.InMemoryServer.Peer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing a session when its token expires ({@code closeOnTokenExpiry}): BYE
 * {@value CryoAuthentication#TOKEN_EXPIRED_REASON} at the {@code expiresAt} attribute, nothing
 * without the setting, and no timer task left behind by a session that ended first.
 */
class SessionTokenExpiryTests {

	private static final CryoPrincipal ALICE = new CryoPrincipal("alice");

	@Test
	void aSessionIsSentByeWhenItsTokenExpires() {
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.closeOnTokenExpiry(true))) {
			Peer alice = memory.connect(1, ALICE, expiringIn(Duration.ofMillis(200)));
			assertThat(awaitBye(alice, Duration.ofSeconds(5))).isNotNull()
				.extracting(ByeFrame::reason)
				.isEqualTo("Token expired.");
		}
	}

	@Test
	void aTokenThatExpiredAlreadyClosesTheSessionAtOnce() {
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.closeOnTokenExpiry(true))) {
			Peer alice = memory.connect(1, ALICE, expiringIn(Duration.ofSeconds(-5)));
			assertThat(awaitBye(alice, Duration.ofSeconds(5))).isNotNull();
		}
	}

	@Test
	void withoutCloseOnTokenExpiryTheSessionOutlivesItsToken() {
		try (InMemoryServer memory = new InMemoryServer()) {
			Peer alice = memory.connect(1, ALICE, expiringIn(Duration.ofMillis(50)));
			assertThat(awaitBye(alice, Duration.ofMillis(400))).isNull();
		}
	}

	@Test
	void aSessionThatEndsFirstLeavesNoTaskOnTheTimer() {
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.closeOnTokenExpiry(true))) {
			ScheduledThreadPoolExecutor timer = (ScheduledThreadPoolExecutor) memory.server().lifecycle().scheduler();
			Peer alice = memory.connect(1, ALICE, expiringIn(Duration.ofHours(1)));
			// The timer's other tasks (heartbeat, acknowledgement timeouts) are due within seconds.
			assertThat(timer.getQueue()).filteredOn(SessionTokenExpiryTests::dueInAnHour).hasSize(1);
			alice.close(1000, "gone");
			assertThat(timer.getQueue()).filteredOn(SessionTokenExpiryTests::dueInAnHour).isEmpty();
		}
	}

	private static boolean dueInAnHour(Runnable task) {
		return ((Delayed) task).getDelay(TimeUnit.MINUTES) >= 30;
	}

	private static Map<String, Object> expiringIn(Duration duration) {
		return Map.of(CryoAuthentication.EXPIRES_AT_ATTRIBUTE, Instant.now().plus(duration));
	}

	private static @Nullable ByeFrame awaitBye(Peer peer, Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		do {
			for (Frame frame : peer.received()) {
				if (frame instanceof ByeFrame bye) {
					return bye;
				}
			}
			Thread.onSpinWait();
		}
		while (System.nanoTime() < deadline);
		return null;
	}

}
