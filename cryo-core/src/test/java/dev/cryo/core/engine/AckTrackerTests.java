package dev.cryo.core.engine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The ack counter and the pending frames (cryo-v1.md §6), driven with made-up clock values so
 * that expiry and round trips are exact.
 */
class AckTrackerTests {

	private static final long MS = 1_000_000;

	private static final SessionId SID = SessionId.of(42);

	private final AckTracker tracker = new AckTracker(Duration.ofMillis(100));

	@Test
	void numbersStartAtZeroAndTrackedAndUntrackedFramesShareTheCounter() {
		assertThat(this.tracker.register(null, 0, SessionId.of(0))).isZero();
		assertThat(this.tracker.next()).isOne();
		assertThat(this.tracker.register(new CompletableFuture<>(), 0, SessionId.of(0))).isEqualTo(2);
		// Only registered frames wait for an ACK; next() numbers a ping.
		assertThat(this.tracker.pendingCount()).isEqualTo(2);
	}

	@Test
	void counterUsesEveryU32ValueThenWrapsToZero() {
		SessionFixture.setNextAck(this.tracker, (int) 4_294_967_294L);
		CompletableFuture<Void> beforeLast = new CompletableFuture<>();
		CompletableFuture<Void> afterWrap = new CompletableFuture<>();
		assertThat(Integer.toUnsignedLong(this.tracker.register(beforeLast, 0, SessionId.of(0)))).isEqualTo(4_294_967_294L);
		// Unlike the reference, 4294967295 is used too (§6.1).
		assertThat(Integer.toUnsignedLong(this.tracker.next())).isEqualTo(4_294_967_295L);
		assertThat(this.tracker.register(afterWrap, 0, SessionId.of(0))).isZero();
		assertThat(this.tracker.next()).isOne();
		assertThat(this.tracker.acknowledge((int) 4_294_967_294L, MS)).isSameAs(beforeLast);
		assertThat(this.tracker.acknowledge(0, MS)).isSameAs(afterWrap);
	}

	@Test
	void matchingAckReturnsTheFutureOnce() {
		CompletableFuture<Void> future = new CompletableFuture<>();
		int ack = this.tracker.register(future, 0, SessionId.of(0));
		assertThat(this.tracker.acknowledge(ack, 5 * MS)).isSameAs(future);
		assertThat(this.tracker.acknowledge(ack, 6 * MS)).isNull();
		assertThat(this.tracker.pendingCount()).isZero();
	}

	@Test
	void unknownAckIsIgnored() {
		int ack = this.tracker.register(new CompletableFuture<>(), 0, SessionId.of(0));
		assertThat(this.tracker.acknowledge(ack + 1, MS)).isNull();
		assertThat(this.tracker.acknowledge(-1, MS)).isNull();
		assertThat(this.tracker.pendingCount()).isOne();
		assertThat(this.tracker.roundTripMillis()).isEqualTo(-1.0);
	}

	@Test
	void ackOfAFrameNobodyWaitsForStillSettlesItAndSamplesTheRoundTrip() {
		int ack = this.tracker.register(null, 10 * MS, SessionId.of(0));
		assertThat(this.tracker.acknowledge(ack, 30 * MS)).isNull();
		assertThat(this.tracker.pendingCount()).isZero();
		assertThat(this.tracker.roundTripMillis()).isEqualTo(20.0);
	}

	@Test
	void roundTripIsMeasuredFromRegistrationToAck() {
		int first = this.tracker.register(null, 0, SessionId.of(0));
		int second = this.tracker.register(null, 100 * MS, SessionId.of(0));
		this.tracker.acknowledge(first, 50 * MS);
		assertThat(this.tracker.roundTripMillis()).isEqualTo(50.0);
		this.tracker.acknowledge(second, 110 * MS);
		// 0.8 · 50 + 0.2 · 10
		assertThat(this.tracker.roundTripMillis()).isCloseTo(42.0, within(1e-9));
	}

	@Test
	void expireFailsOverdueFramesAndReturnsTheNextDeadline() {
		CompletableFuture<Void> first = new CompletableFuture<>();
		CompletableFuture<Void> second = new CompletableFuture<>();
		this.tracker.register(first, 0, SessionId.of(0));
		this.tracker.register(second, 50 * MS, SessionId.of(0));
		assertThat(this.tracker.expire(99 * MS, SID)).isEqualTo(100 * MS);
		assertThat(first).isNotDone();
		// The deadline itself counts as expired.
		assertThat(this.tracker.expire(100 * MS, SID)).isEqualTo(150 * MS);
		assertThat(first).isCompletedExceptionally();
		assertThat(second).isNotDone();
		assertThat(this.tracker.expire(1000 * MS, SID)).isEqualTo(-1);
		assertThat(second).isCompletedExceptionally();
		assertThat(this.tracker.pendingCount()).isZero();
	}

	@Test
	void expiredFutureFailsWithAckTimeoutNamingFrameSessionAndTimeout() {
		CompletableFuture<Void> future = new CompletableFuture<>();
		this.tracker.register(null, 0, SessionId.of(0));
		this.tracker.register(future, 0, SessionId.of(0));
		this.tracker.expire(100 * MS, SessionId.of(-1L));
		assertThat(future).failsWithin(Duration.ZERO)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(CryoAckTimeoutException.class)
			.withMessage("No ACK for frame 1 of session 18446744073709551615 within 100 ms");
	}

	@Test
	void timeoutsAreCountedSinceTheLastReportAndInTotal() {
		this.tracker.register(null, 0, SessionId.of(0));
		this.tracker.register(new CompletableFuture<>(), 0, SessionId.of(0));
		this.tracker.expire(100 * MS, SID);
		assertThat(this.tracker.takeTimeoutCount()).isEqualTo(2);
		assertThat(this.tracker.takeTimeoutCount()).isZero();
		this.tracker.register(null, 200 * MS, SessionId.of(0));
		this.tracker.expire(300 * MS, SID);
		assertThat(this.tracker.takeTimeoutCount()).isOne();
		assertThat(this.tracker.totalTimeoutCount()).isEqualTo(3);
	}

	@Test
	void lateAckIsIgnoredAndNotSampled() {
		CompletableFuture<Void> future = new CompletableFuture<>();
		int ack = this.tracker.register(future, 0, SessionId.of(0));
		this.tracker.expire(100 * MS, SID);
		assertThat(this.tracker.acknowledge(ack, 101 * MS)).isNull();
		assertThat(this.tracker.roundTripMillis()).isEqualTo(-1.0);
		assertThat(future.isCompletedExceptionally()).isTrue();
	}

	@Test
	void forgottenFrameIsNotATimeout() {
		CompletableFuture<Void> future = new CompletableFuture<>();
		int ack = this.tracker.register(future, 0, SessionId.of(0));
		assertThat(this.tracker.forget(ack)).isSameAs(future);
		assertThat(this.tracker.forget(ack)).isNull();
		assertThat(this.tracker.expire(1000 * MS, SID)).isEqualTo(-1);
		assertThat(this.tracker.totalTimeoutCount()).isZero();
		// The caller decides how the forgotten future ends.
		assertThat(future).isNotDone();
	}

	@Test
	void failAllFailsEveryPendingFrame() {
		CompletableFuture<Void> first = new CompletableFuture<>();
		CompletableFuture<Void> second = new CompletableFuture<>();
		this.tracker.register(first, 0, SessionId.of(0));
		this.tracker.register(null, 0, SessionId.of(0));
		this.tracker.register(second, 0, SessionId.of(0));
		CryoSessionClosedException failure = new CryoSessionClosedException(SID, "test");
		this.tracker.failAll(failure);
		assertThat(this.tracker.pendingCount()).isZero();
		assertThat(first).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isSameAs(failure);
		assertThat(second).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isSameAs(failure);
		// Closing is not a timeout.
		assertThat(this.tracker.totalTimeoutCount()).isZero();
	}

}
