package dev.cryo.client.support;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.cryo.client.CryoConnectException;
import dev.cryo.client.CryoHandshakeRefusedException;
import dev.cryo.client.ReconnectPolicy;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.engine.CloseInfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The reconnect state machine on its own: connections come from a fake connector that the test
 * completes by hand, and delays wait on a manual timer that runs a task only when told to. The
 * sample app's {@code CryoClientReconnectTests} show the same rules end to end.
 */
class ReconnectorTests {

	private static final URI ENDPOINT = URI.create("ws://localhost/cryo");

	private static final CloseInfo SERVER_SHUTDOWN = new CloseInfo(CloseCodes.GRACEFUL, "Server shutting down.",
			CloseInfo.Initiator.PEER);

	private final ManualTimer timer = new ManualTimer();

	private final FakeSession session = new FakeSession();

	@Test
	void theFirstConnectionBecomesCurrent() {
		Reconnector<FakeConnection> reconnector = reconnector(ReconnectPolicy.DEFAULT);
		CompletableFuture<FakeConnection> first = reconnector.connectFirst();
		assertThat(reconnector.phase()).isEqualTo(Reconnector.Phase.CONNECTING);
		FakeConnection connection = this.session.establishNext();
		assertThat(first).isCompletedWithValue(connection);
		assertThat(reconnector.phase()).isEqualTo(Reconnector.Phase.CONNECTED);
		assertThat(reconnector.current()).isSameAs(connection);
		assertThat(this.session.events).containsExactly("connected");
	}

	@Test
	void aFirstConnectThatFailsEndsTheSessionWithoutReconnecting() {
		Reconnector<FakeConnection> reconnector = reconnector(ReconnectPolicy.DEFAULT);
		CompletableFuture<FakeConnection> first = reconnector.connectFirst();
		this.session.failNext(unreachable());
		assertThat(first).isCompletedExceptionally();
		assertThat(reconnector.phase()).isEqualTo(Reconnector.Phase.CLOSED);
		assertThat(reconnector.closeFuture()).isCompletedWithValueMatching((info) -> info.code() == CloseCodes.ABNORMAL);
		assertThat(this.timer.scheduled).isEmpty();
		assertThat(this.session.events).isEmpty();
	}

	@Test
	void attemptsAreCountedAndWaitTheDelaysOfThePolicyUntilItGivesUp() {
		// No jitter: each delay is exactly base·2^(n−1), capped: 100, 200, 250 ms.
		Reconnector<FakeConnection> reconnector = connected(
				new ReconnectPolicy(3, Duration.ofMillis(100), Duration.ofMillis(250), 0));
		FakeConnection lost = reconnector.current();
		lost.end(reconnector, SERVER_SHUTDOWN);
		assertThat(reconnector.phase()).isEqualTo(Reconnector.Phase.RECONNECTING);

		assertThat(this.timer.nextDelay()).isEqualTo(Duration.ofMillis(100));
		this.timer.runNext();
		this.session.failNext(unreachable());
		assertThat(this.timer.nextDelay()).isEqualTo(Duration.ofMillis(200));
		this.timer.runNext();
		this.session.failNext(unreachable());
		assertThat(this.timer.nextDelay()).isEqualTo(Duration.ofMillis(250));
		this.timer.runNext();
		this.session.failNext(unreachable());

		assertThat(this.timer.scheduled).isEmpty();
		assertThat(this.session.events).containsExactly("connected", "disconnected", "reconnectFailed 1",
				"reconnectFailed 2", "reconnectFailed 3", "closed Server shutting down.");
		assertThat(reconnector.phase()).isEqualTo(Reconnector.Phase.CLOSED);
		assertThat(reconnector.closeFuture()).isCompletedWithValue(SERVER_SHUTDOWN);
	}

	@Test
	void aRefusalOfTheCredentialsEndsTheRetriesAtOnce() {
		Reconnector<FakeConnection> reconnector = connected(ReconnectPolicy.exponential(50, Duration.ofMillis(100),
				Duration.ofMillis(200)));
		reconnector.current().end(reconnector, SERVER_SHUTDOWN);
		this.timer.runNext();
		this.session.failNext(new CryoHandshakeRefusedException(ENDPOINT, 503, "Full."));
		assertThat(reconnector.phase()).isEqualTo(Reconnector.Phase.RECONNECTING);
		this.timer.runNext();
		this.session.failNext(new CryoHandshakeRefusedException(ENDPOINT, 401, "Invalid bearer token."));

		assertThat(this.timer.scheduled).isEmpty();
		assertThat(this.session.events).endsWith("reconnectFailed 1", "reconnectFailed 2",
				"closed Server shutting down.");
		assertThat(this.session.failures.get(1)).isInstanceOfSatisfying(CryoHandshakeRefusedException.class,
				(ex) -> assertThat(ex.getStatusCode()).isEqualTo(401));
		assertThat(reconnector.phase()).isEqualTo(Reconnector.Phase.CLOSED);
	}

	@Test
	void closeWhileAReconnectIsPendingCancelsItAndEndsTheSessionGracefully() {
		Reconnector<FakeConnection> reconnector = connected(ReconnectPolicy.DEFAULT);
		reconnector.current().end(reconnector, SERVER_SHUTDOWN);
		FutureTask<?> pending = this.timer.scheduled.get(0).task();

		reconnector.close("Never mind.");
		assertThat(pending.isCancelled()).isTrue();
		assertThat(reconnector.phase()).isEqualTo(Reconnector.Phase.CLOSED);
		assertThat(reconnector.closeFuture()).isCompletedWithValue(
				new CloseInfo(CloseCodes.GRACEFUL, "Never mind.", CloseInfo.Initiator.LOCAL));
		// The cancelled attempt never connects, and a second close changes nothing.
		this.timer.runNext();
		reconnector.close("Again.");
		assertThat(this.session.pending).isEmpty();
		assertThat(this.session.events).containsExactly("connected", "disconnected", "closed Never mind.");
	}

	@Test
	void closeWhileAReconnectIsUnderWayEndsTheSessionAndClosesTheLateConnection() {
		Reconnector<FakeConnection> reconnector = connected(ReconnectPolicy.DEFAULT);
		FakeConnection lost = reconnector.current();
		lost.end(reconnector, SERVER_SHUTDOWN);
		this.timer.runNext();

		reconnector.close("Never mind.");
		FakeConnection late = this.session.establishNext();
		assertThat(late.closedWith).isEqualTo(FakeSession.ABANDONED);
		assertThat(reconnector.phase()).isEqualTo(Reconnector.Phase.CLOSED);
		assertThat(reconnector.current()).isSameAs(lost);
		assertThat(this.session.events).containsExactly("connected", "disconnected", "closed Never mind.");
	}

	@Test
	void closeWhileConnectedClosesTheConnectionWhoseEndEndsTheSession() {
		Reconnector<FakeConnection> reconnector = connected(ReconnectPolicy.DEFAULT);
		FakeConnection connection = reconnector.current();
		reconnector.close("Bye.");
		assertThat(connection.closedWith).isEqualTo("Bye.");
		assertThat(reconnector.closeFuture()).isNotDone();
		CloseInfo closed = new CloseInfo(CloseCodes.GRACEFUL, "Bye.", CloseInfo.Initiator.LOCAL);
		connection.end(reconnector, closed);

		assertThat(this.timer.scheduled).isEmpty();
		assertThat(reconnector.closeFuture()).isCompletedWithValue(closed);
		// A close the session asked for is no disconnect.
		assertThat(this.session.events).containsExactly("connected", "closed Bye.");
	}

	@Test
	void closeWhileTheFirstConnectionIsOpeningClosesItOnceEstablished() {
		Reconnector<FakeConnection> reconnector = reconnector(ReconnectPolicy.DEFAULT);
		reconnector.connectFirst();
		reconnector.close("Bye.");
		FakeConnection connection = this.session.establishNext();
		assertThat(connection.closedWith).isEqualTo(FakeSession.ABANDONED);
		connection.end(reconnector, new CloseInfo(CloseCodes.GRACEFUL, "Client closed.", CloseInfo.Initiator.LOCAL));
		assertThat(reconnector.phase()).isEqualTo(Reconnector.Phase.CLOSED);
		assertThat(this.session.events).containsExactly("closed Client closed.");
	}

	@Test
	void successResetsTheAttemptCounter() {
		Reconnector<FakeConnection> reconnector = connected(
				new ReconnectPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), 0));
		reconnector.current().end(reconnector, SERVER_SHUTDOWN);
		this.timer.runNext();
		this.session.failNext(unreachable());
		assertThat(this.timer.nextDelay()).isEqualTo(Duration.ofMillis(200));
		this.timer.runNext();
		FakeConnection second = this.session.establishNext();
		assertThat(reconnector.phase()).isEqualTo(Reconnector.Phase.CONNECTED);
		assertThat(reconnector.current()).isSameAs(second);

		// Lost again: three fresh attempts, from the base delay.
		second.end(reconnector, SERVER_SHUTDOWN);
		assertThat(this.timer.nextDelay()).isEqualTo(Duration.ofMillis(100));
		this.timer.runNext();
		this.session.failNext(unreachable());
		this.timer.runNext();
		this.session.failNext(unreachable());
		this.timer.runNext();
		this.session.failNext(unreachable());
		assertThat(this.session.events).containsExactly("connected", "disconnected", "reconnectFailed 1",
				"reconnected", "disconnected", "reconnectFailed 1", "reconnectFailed 2", "reconnectFailed 3",
				"closed Server shutting down.");
	}

	@Test
	void aConnectionThatEndsBeforeItIsAdoptedIsStillReportedLost() {
		Reconnector<FakeConnection> reconnector = reconnector(ReconnectPolicy.DISABLED);
		reconnector.connectFirst();
		FakeConnection connection = this.session.pending.get(0).connection;
		connection.endedBeforeAdoption = SERVER_SHUTDOWN;
		this.session.establishNext();
		assertThat(reconnector.closeFuture()).isCompletedWithValue(SERVER_SHUTDOWN);
		assertThat(this.session.events).containsExactly("connected", "disconnected", "closed Server shutting down.");
	}

	@Test
	void onlyTheFirstLossOfTheCurrentConnectionCounts() {
		Reconnector<FakeConnection> reconnector = connected(ReconnectPolicy.DEFAULT);
		FakeConnection first = reconnector.current();
		first.end(reconnector, SERVER_SHUTDOWN);
		first.end(reconnector, SERVER_SHUTDOWN);
		assertThat(this.timer.scheduled).hasSize(1);
		this.timer.runNext();
		this.session.establishNext();
		// A late report of the replaced connection changes nothing.
		first.end(reconnector, SERVER_SHUTDOWN);
		assertThat(reconnector.phase()).isEqualTo(Reconnector.Phase.CONNECTED);
		assertThat(this.session.events).containsExactly("connected", "disconnected", "reconnected");
	}

	@Test
	void withReconnectingDisabledTheFirstLossEndsTheSession() {
		Reconnector<FakeConnection> reconnector = connected(ReconnectPolicy.DISABLED);
		reconnector.current().end(reconnector, SERVER_SHUTDOWN);
		assertThat(this.timer.scheduled).isEmpty();
		assertThat(reconnector.closeFuture()).isCompletedWithValue(SERVER_SHUTDOWN);
		assertThat(this.session.events).containsExactly("connected", "disconnected", "closed Server shutting down.");
	}

	@Test
	void aFirstConnectFailureIsReportedAsTheConnectorsException() {
		Reconnector<FakeConnection> reconnector = reconnector(ReconnectPolicy.DEFAULT);
		CompletableFuture<FakeConnection> first = reconnector.connectFirst();
		CryoConnectException refused = new CryoHandshakeRefusedException(ENDPOINT, 401, "");
		this.session.failNext(refused);
		assertThatExceptionOfType(Exception.class).isThrownBy(first::join).withCause(refused);
	}

	private Reconnector<FakeConnection> connected(ReconnectPolicy policy) {
		Reconnector<FakeConnection> reconnector = reconnector(policy);
		reconnector.connectFirst();
		this.session.establishNext();
		return reconnector;
	}

	/** Wires the rules the way {@code CryoClientSession} does, with a jitter source that never shortens. */
	private Reconnector<FakeConnection> reconnector(ReconnectPolicy policy) {
		RandomGenerator noJitter = () -> 0;
		Reconnector.Rules rules = new Reconnector.Rules(policy.maxAttempts(),
				(attempt) -> policy.delayBefore(attempt, noJitter),
				(failure) -> !(failure instanceof CryoConnectException connectException)
						|| connectException.isRetryable());
		return new Reconnector<>(rules, this.timer, this.session);
	}

	private static CryoConnectException unreachable() {
		return new CryoConnectException(ENDPOINT, "ConnectException", new ConnectException("Connection refused"));
	}

	/** A timer that runs its tasks only when the test says so. */
	private static final class ManualTimer implements Reconnector.Timer {

		final List<Scheduled> scheduled = new ArrayList<>();

		@Override
		public FutureTask<?> schedule(Runnable task, Duration delay) {
			FutureTask<?> future = new FutureTask<>(task, null);
			this.scheduled.add(new Scheduled(future, delay));
			return future;
		}

		Duration nextDelay() {
			assertThat(this.scheduled).isNotEmpty();
			return this.scheduled.get(0).delay();
		}

		void runNext() {
			assertThat(this.scheduled).isNotEmpty();
			this.scheduled.remove(0).task().run();
		}

		record Scheduled(FutureTask<?> task, Duration delay) {
		}

	}

	/** A connection that records how it was closed. */
	private static final class FakeConnection implements Reconnector.Connection {

		@Nullable CloseInfo endedBeforeAdoption;

		@Nullable String closedWith;

		@Override
		public @Nullable CloseInfo adopt() {
			return this.endedBeforeAdoption;
		}

		@Override
		public void close(String reason) {
			this.closedWith = reason;
		}

		void end(Reconnector<FakeConnection> reconnector, CloseInfo closeInfo) {
			reconnector.connectionLost(this, closeInfo);
		}

	}

	/** Connects by hand and records what the reconnector reports, in order. */
	private static final class FakeSession implements Reconnector.Session<FakeConnection> {

		static final String ABANDONED = "(abandoned)";

		final List<Attempt> pending = new ArrayList<>();

		final List<String> events = new ArrayList<>();

		final List<Throwable> failures = new ArrayList<>();

		@Override
		public CompletableFuture<FakeConnection> connect() {
			Attempt attempt = new Attempt(new FakeConnection(), new CompletableFuture<>());
			this.pending.add(attempt);
			return attempt.future();
		}

		FakeConnection establishNext() {
			assertThat(this.pending).isNotEmpty();
			Attempt attempt = this.pending.remove(0);
			attempt.future().complete(attempt.connection());
			return attempt.connection();
		}

		void failNext(Throwable failure) {
			assertThat(this.pending).isNotEmpty();
			this.pending.remove(0).future().completeExceptionally(failure);
		}

		@Override
		public void connected(FakeConnection connection, boolean reconnected) {
			this.events.add(reconnected ? "reconnected" : "connected");
		}

		@Override
		public void abandon(FakeConnection connection) {
			connection.closedWith = ABANDONED;
		}

		@Override
		public void disconnected(FakeConnection connection, CloseInfo closeInfo, boolean closeRequested) {
			if (!closeRequested) {
				this.events.add("disconnected");
			}
		}

		@Override
		public void reconnectFailed(int attempt, Throwable cause) {
			this.events.add("reconnectFailed " + attempt);
			this.failures.add(cause);
		}

		@Override
		public void closed(CloseInfo closeInfo) {
			this.events.add("closed " + closeInfo.reason());
		}

		record Attempt(FakeConnection connection, CompletableFuture<FakeConnection> future) {
		}

	}

}
