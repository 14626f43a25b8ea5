package dev.cryo.core.transaction;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claims of incoming streams by name: made before or after the stream starts, timed out, two
 * of one name, and the end of the session.
 */
class StreamClaimsTests {

	private static final Duration LONG = Duration.ofSeconds(20);

	private static final Duration SHORT = Duration.ofMillis(50);

	@TempDir
	Path temporary;

	private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

	private final StreamClaims claims = new StreamClaims(this.scheduler);

	private final List<IncomingStream> streams = new ArrayList<>();

	@AfterEach
	void close() {
		this.streams.forEach((stream) -> stream.fail(new CryoTransactionException("test over")));
		this.scheduler.shutdownNow();
	}

	private IncomingStream started(int txid, String name) {
		IncomingStream stream = new IncomingStream(txid, name, new ReceiveBuffer(1024, this.temporary));
		this.streams.add(stream);
		this.claims.offer(stream);
		return stream;
	}

	@Test
	void aClaimAfterTheStreamStartedGetsItAtOnce() {
		IncomingStream stream = started(1, "file");
		assertThat(this.claims.claim("file", LONG)).isCompletedWithValue(stream);
	}

	@Test
	void aClaimBeforeTheStreamStartsGetsItWhenItStarts() {
		CompletableFuture<IncomingStream> claim = this.claims.claim("file", LONG);
		assertThat(claim).isNotDone();
		IncomingStream stream = started(1, "file");
		assertThat(claim).isCompletedWithValue(stream);
	}

	@Test
	void aClaimOnlyGetsAStreamOfItsName() {
		CompletableFuture<IncomingStream> claim = this.claims.claim("file", LONG);
		IncomingStream other = started(1, "other");
		assertThat(claim).isNotDone();
		assertThat(this.claims.claim("other", LONG)).isCompletedWithValue(other);
	}

	@Test
	void aClaimThatTimesOutFailsAndLeavesTheLaterStreamForTheNextClaim() {
		CompletableFuture<IncomingStream> claim = this.claims.claim("file", SHORT);
		assertThat(claim).failsWithin(LONG)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(TimeoutException.class)
			.withMessageContaining("No transaction named 'file' within PT0.05S");
		IncomingStream stream = started(1, "file");
		assertThat(this.claims.claim("file", LONG)).isCompletedWithValue(stream);
	}

	@Test
	void twoClaimsOfOneNameGetOneStreamEachInTheOrderTheyWereMade() {
		CompletableFuture<IncomingStream> first = this.claims.claim("file", LONG);
		CompletableFuture<IncomingStream> second = this.claims.claim("file", LONG);
		IncomingStream one = started(1, "file");
		assertThat(first).isCompletedWithValue(one);
		assertThat(second).isNotDone();
		IncomingStream two = started(2, "file");
		assertThat(second).isCompletedWithValue(two);
	}

	@Test
	void twoUnclaimedStreamsOfOneNameAreHandedOutInTheOrderTheyStarted() {
		IncomingStream one = started(1, "file");
		IncomingStream two = started(2, "file");
		assertThat(this.claims.claim("file", LONG)).isCompletedWithValue(one);
		assertThat(this.claims.claim("file", LONG)).isCompletedWithValue(two);
		assertThat(this.claims.claim("file", SHORT)).isNotDone();
	}

	@Test
	void anUnclaimedStreamThatFailedIsNotHandedOut() {
		IncomingStream stream = started(1, "file");
		stream.fail(new CryoTransactionException("replaced"));
		assertThat(this.claims.claim("file", LONG)).isNotDone();
	}

	@Test
	void theEndOfTheSessionReturnsTheWaitingClaimsAndRefusesNewOnes() {
		CompletableFuture<IncomingStream> waiting = this.claims.claim("file", LONG);
		IllegalStateException cause = new IllegalStateException("transport closed");
		assertThat(this.claims.end(cause)).containsExactly(waiting);
		assertThat(this.claims.claim("file", LONG)).isCompletedExceptionally()
			.failsWithin(Duration.ZERO)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(CryoTransactionException.class)
			.havingCause()
			.withMessage("The session has ended")
			.havingCause()
			.isSameAs(cause);
	}

	@Test
	void aStreamThatFinishedBeforeTheEndOfTheSessionCanStillBeClaimed() {
		IncomingStream stream = started(1, "file");
		stream.finish();
		this.claims.end(new IllegalStateException("transport closed"));
		assertThat(this.claims.claim("file", LONG)).isCompletedWithValue(stream);
	}

}
