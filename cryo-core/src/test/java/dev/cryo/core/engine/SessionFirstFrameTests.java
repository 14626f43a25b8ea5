package dev.cryo.core.engine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.cryo.core.engine.ProtocolSession.Role;
import dev.cryo.core.engine.TestTransport.CloseCall;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.Utf8DataFrame;

import static dev.cryo.core.engine.SessionFixture.SID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first write (cryo-v1.md §3 rule 2): the opening ENDPOINT_INFO is queued at the start with
 * ack 0 but written as a write of its own, {@code firstFrameDelay} later, so that a peer that
 * attaches its listener late does not lose it with the 101. Nothing overtakes it, and a peer
 * that already talks does not wait for it.
 */
class SessionFirstFrameTests {

	private static final Duration DELAY = SessionOptions.DEFAULT_FIRST_FRAME_DELAY;

	private static final EndpointInfoFrame OURS = new EndpointInfoFrame(SID, 0, 1, 1);

	private final SessionFixture fixture = new SessionFixture().manualClock()
		.options(SessionFixture.QUIET.withFirstFrameDelay(DELAY));

	@AfterEach
	void stopTimers() {
		this.fixture.close();
	}

	@Test
	void defaultDelayIsTwentyMilliseconds() {
		assertThat(SessionOptions.DEFAULTS.firstFrameDelay()).isEqualTo(Duration.ofMillis(20));
		assertThat(new SessionOptions(Duration.ofSeconds(1), Duration.ZERO, 1, Duration.ofSeconds(1)).firstFrameDelay())
			.isEqualTo(DELAY);
	}

	@Test
	void openingFrameIsWrittenOnlyAfterTheDelayAsTheFirstWrite() {
		ProtocolSession session = this.fixture.start();
		// Queued and tracked with ack 0 from the start, but not on the wire yet.
		assertThat(this.fixture.transport.sendCount()).isZero();
		assertThat(session.pendingAcks()).isOne();
		this.fixture.clock.advance(DELAY.minusNanos(1));
		assertThat(this.fixture.transport.sendCount()).isZero();
		this.fixture.clock.advance(Duration.ofNanos(1));
		assertThat(this.fixture.transport.sent()).containsExactly(OURS);
	}

	@Test
	void framesSentDuringTheHoldFollowTheOpeningFrame() {
		ProtocolSession session = this.fixture.start();
		session.sendUtf8("hello");
		assertThat(this.fixture.transport.sendCount()).isZero();
		this.fixture.clock.advance(DELAY);
		// The opening frame keeps ack 0 and the first place.
		assertThat(this.fixture.transport.sent()).containsExactly(OURS, Utf8DataFrame.of(SID, 1, "hello"));
	}

	@Test
	void frameReceivedDuringTheHoldReleasesItAndItsAckFollowsIt() {
		this.fixture.start();
		this.fixture.receive(new EndpointInfoFrame(SID, 7, 1, 1));
		// The peer reads already: no waiting, and our answer never comes before our opening frame.
		assertThat(this.fixture.transport.sent()).containsExactly(OURS, new AckFrame(SID, 7));
		this.fixture.clock.advance(DELAY);
		assertThat(this.fixture.transport.sent()).containsExactly(OURS, new AckFrame(SID, 7));
	}

	@Test
	void ackOfAFrameReceivedDuringTheHoldWaitsBehindTheOpeningFrameInFlight() {
		this.fixture.transport.hold();
		this.fixture.start();
		this.fixture.receive(Utf8DataFrame.of(SID, 4, "first"));
		// The ACK is expedited, but the opening frame went to the transport before it was queued.
		assertThat(this.fixture.transport.sent()).containsExactly(OURS);
		this.fixture.transport.release();
		assertThat(this.fixture.transport.sent()).containsExactly(OURS, new AckFrame(SID, 4));
	}

	@Test
	void malformedMessageReleasesItToo() {
		this.fixture.start();
		this.fixture.receive(new byte[] { 1, 2, 3 });
		assertThat(this.fixture.transport.sent()).first().isEqualTo(OURS);
		assertThat(this.fixture.transport.sent()).hasSize(2).last().isInstanceOf(ErrorFrame.class);
	}

	@Test
	void heartbeatPingNeverPrecedesIt() {
		ProtocolSession session = this.fixture.start();
		session.heartbeatTick();
		assertThat(this.fixture.transport.sent()).containsExactly(OURS, PingPongFrame.ping(SID, 1));
	}

	@Test
	void applicationPingNeverPrecedesIt() {
		ProtocolSession session = this.fixture.start();
		session.ping();
		assertThat(this.fixture.transport.sent()).containsExactly(OURS, PingPongFrame.ping(SID, 1));
	}

	@Test
	void gracefulCloseDuringTheHoldWritesTheOpeningFrameThenByeAfterTheDelay() {
		ProtocolSession session = this.fixture.start();
		session.close("too early");
		// The BYE deserves the same protection as the frame it follows.
		assertThat(this.fixture.transport.sendCount()).isZero();
		assertThat(this.fixture.transport.isClosed()).isFalse();
		this.fixture.clock.advance(DELAY);
		assertThat(this.fixture.transport.sent()).containsExactly(OURS, new ByeFrame(SID, 1, "too early"));
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4000, "too early"));
	}

	@Test
	void immediateCloseDuringTheHoldClosesAtOnceAndWritesNothing() {
		ProtocolSession session = this.fixture.start();
		session.closeNow(CloseCodes.POLICY_VIOLATION, "Go away.");
		// Nothing is in flight: the close does not wait for a timer meant for the discarded opening frame.
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(1008, "Go away."));
		this.fixture.clock.advance(DELAY);
		assertThat(this.fixture.transport.sendCount()).isZero();
		assertThat(this.fixture.transport.closes()).hasSize(1);
	}

	@Test
	void connectionLostDuringTheHoldWritesNothing() {
		ProtocolSession session = this.fixture.start();
		CompletableFuture<Void> ready = session.readyFuture();
		session.transportClosed(1006, "gone");
		this.fixture.clock.advance(DELAY);
		// Nothing goes to a connection that is gone, and nothing waits for an ACK any more.
		assertThat(this.fixture.transport.sendCount()).isZero();
		assertThat(session.pendingAcks()).isZero();
		assertThat(ready).isCompletedExceptionally();
		assertThat(this.fixture.handler.closes()).extracting(CloseInfo::code).containsExactly(1006);
	}

	@Test
	void zeroDelayWritesItAtOnce() {
		this.fixture.options(SessionFixture.QUIET.withFirstFrameDelay(Duration.ZERO));
		this.fixture.start();
		assertThat(this.fixture.transport.sent()).containsExactly(OURS);
	}

	@Test
	void clientHoldsItsOpeningFrameTheSameWay() {
		this.fixture.role(Role.CLIENT).start();
		assertThat(this.fixture.transport.sendCount()).isZero();
		this.fixture.clock.advance(DELAY);
		assertThat(this.fixture.transport.sent()).containsExactly(OURS);
	}

}
