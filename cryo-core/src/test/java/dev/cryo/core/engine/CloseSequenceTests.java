package dev.cryo.core.engine;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.cryo.core.dialect.v1.CryoV1Codec;
import dev.cryo.core.dialect.v1.CryoV1Dialect;
import dev.cryo.core.engine.CloseInfo.Initiator;
import dev.cryo.core.engine.TestTransport.CloseCall;
import dev.cryo.core.frame.ByeFrame;

import static dev.cryo.core.engine.SessionFixture.SID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The close state machine on its own: the first decision wins whatever comes after it, a
 * broken transport ends the connection at once but keeps the decision, and the session is told
 * once that a close started.
 */
class CloseSequenceTests {

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final AtomicReference<SessionState> state = new AtomicReference<>(SessionState.OPEN);

	private final TestTransport transport = new TestTransport(new EventLog());

	private final AtomicInteger closingStarted = new AtomicInteger();

	private final CloseSequence closing = closeSequence();

	@AfterEach
	void stopScheduler() {
		this.scheduler.shutdownNow();
	}

	@Test
	void firstDecisionWinsOverEveryLaterClose() {
		this.closing.closeNow(CloseCodes.CLIENT_ERROR, "first");
		this.closing.close("second");
		this.closing.closeNow(CloseCodes.POLICY_VIOLATION, "third");
		assertThat(this.state.get()).isEqualTo(SessionState.CLOSING);
		assertThat(this.closingStarted).hasValue(1);
		assertThat(this.transport.sent(ByeFrame.class)).isEmpty();
		assertThat(this.transport.closes()).containsExactly(new CloseCall(CloseCodes.CLIENT_ERROR, "first"));
		assertThat(this.closing.transportClosed(CloseCodes.NORMAL, "peer"))
			.isEqualTo(new CloseInfo(CloseCodes.CLIENT_ERROR, "first", Initiator.LOCAL));
	}

	@Test
	void goodbyeAfterADecisionFailsAndSendsNothing() {
		this.closing.closeNow(CloseCodes.CLIENT_ERROR, "first");
		CompletableFuture<Void> goodbye = this.closing.goodbye("late");
		assertThat(goodbye).isCompletedExceptionally();
		assertThat(this.transport.sent(ByeFrame.class)).isEmpty();
	}

	@Test
	void terminateClosesWithTheDecisionOfTheGoodbye() {
		this.closing.goodbye("shutting down");
		this.closing.terminate();
		assertThat(this.transport.sent(ByeFrame.class)).singleElement()
			.satisfies((bye) -> assertThat(bye.reason()).isEqualTo("shutting down"));
		assertThat(this.transport.closes()).containsExactly(new CloseCall(CloseCodes.GRACEFUL, "shutting down"));
	}

	@Test
	void brokenWriteEndsAGracefulCloseAtOnceButKeepsItsDecision() {
		this.transport.hold();
		this.closing.close("bye");
		this.closing.writeFailed(new IOException("reset"));
		assertThat(this.closing.discardsIncoming()).isTrue();
		assertThat(this.transport.closes()).containsExactly(new CloseCall(CloseCodes.GRACEFUL, "bye"));
	}

	@Test
	void brokenWriteWithoutADecisionIsThePeersAbnormalEnd() {
		this.closing.writeFailed(new IOException("reset"));
		assertThat(this.transport.closes()).containsExactly(new CloseCall(CloseCodes.SERVER_ERROR, "Write failed."));
		assertThat(this.closing.transportClosed(CloseCodes.ABNORMAL, ""))
			.isEqualTo(new CloseInfo(CloseCodes.ABNORMAL, "Connection lost.", Initiator.PEER));
	}

	@Test
	void sendTimeoutIsOurOwnPolicyViolation() {
		this.closing.writeFailed(new SocketTimeoutException());
		assertThat(this.transport.closes()).containsExactly(new CloseCall(CloseCodes.POLICY_VIOLATION, "Send timeout."));
	}

	@Test
	void closeAfterTheConnectionWentAwayDecidesNothingNew() {
		this.state.set(SessionState.CLOSED);
		assertThat(this.closing.transportClosed(CloseCodes.ABNORMAL, "gone"))
			.isEqualTo(new CloseInfo(CloseCodes.ABNORMAL, "gone", Initiator.PEER));
		this.closing.close("late");
		assertThat(this.closingStarted).hasValue(0);
		assertThat(this.transport.closes()).isEmpty();
	}

	private CloseSequence closeSequence() {
		AckTracker acks = new AckTracker(Duration.ofSeconds(5));
		FrameSender sender = new FrameSender(SID, CryoV1Codec.INSTANCE, CryoV1Dialect.INSTANCE, acks,
				new AckTimer(acks, this.scheduler, Duration.ofSeconds(5), SID), new TrafficCounters(),
				SessionObserver.NOOP, BackpressureSettings.SEED_DEFAULTS, this.transport, this.state,
				new FrameSender.Events() {

					@Override
					public void overflowed() {
					}

					@Override
					public void expeditedOverflowed() {
					}

					@Override
					public void writabilityChanged(boolean writable) {
					}

					@Override
					public void writeFailed(Throwable failure) {
					}

				});
		return new CloseSequence(SID, this.state, sender, this.transport, this.scheduler, Duration.ofSeconds(5),
				CryoV1Codec.MAX_PAYLOAD, this.closingStarted::incrementAndGet);
	}

}
