package dev.cryo.core.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.TestTransport.CloseCall;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.Utf8DataFrame;

import static dev.cryo.core.engine.SessionFixture.SID;
import static org.assertj.core.api.Assertions.assertThat;

/** Heartbeat ticks, pings and pongs, and the statistics emitted with them (cryo-v1.md §7, §12). */
class SessionHeartbeatTests {

	private static final String DEAD = "Disconnecting session due to not responding to ping frames.";

	private final SessionFixture fixture = new SessionFixture();

	@AfterEach
	void stopTimers() {
		this.fixture.close();
	}

	@Test
	void firstTickReportsStatisticsThenSendsAPing() {
		ProtocolSession session = this.fixture.open();
		session.heartbeatTick();
		// A session starts out alive; the ping takes the next number (1) and is not tracked.
		assertThat(this.fixture.log.events()).containsExactly("onStatistics", "send PING 1");
		assertThat(session.pendingAcks()).isZero();
		assertThat(this.fixture.transport.isClosed()).isFalse();
	}

	@Test
	void statisticsCarryTheFourValuesOfSection12() {
		ProtocolSession session = this.fixture.open();
		session.heartbeatTick();
		SessionStatistics statistics = this.fixture.handler.statistics().get(0);
		assertThat(statistics.ackTimeouts()).isZero();
		assertThat(statistics.rttMillis()).isGreaterThanOrEqualTo(0.0);
		// Sent: our ENDPOINT_INFO (25) and the ACK of the peer's (13); received: the peer's ENDPOINT_INFO and ACK.
		assertThat(statistics.bytesSent()).isEqualTo(25 + 13);
		assertThat(statistics.bytesReceived()).isEqualTo(25 + 13);
		assertThat(statistics.framesDropped()).isZero();
	}

	@Test
	void eachTickPingsWithAFreshNumber() {
		ProtocolSession session = this.fixture.open();
		session.heartbeatTick();
		this.fixture.receive(PingPongFrame.pong(SID, 1));
		session.sendUtf8("between");
		session.heartbeatTick();
		assertThat(this.fixture.transport.sent()).containsExactly(PingPongFrame.ping(SID, 1),
				Utf8DataFrame.of(SID, 2, "between"), PingPongFrame.ping(SID, 3));
	}

	@Test
	void pongMarksThePeerAlive() {
		ProtocolSession session = this.fixture.open();
		for (int tick = 0; tick < 3; tick++) {
			session.heartbeatTick();
			// The pong's number is not checked (§5).
			this.fixture.receive(PingPongFrame.pong(SID, 12345));
		}
		assertThat(this.fixture.handler.statistics()).hasSize(3);
		assertThat(this.fixture.transport.sentTypes()).containsOnly(FrameType.PING_PONG).hasSize(3);
		assertThat(this.fixture.transport.isClosed()).isFalse();
	}

	@Test
	void secondTickWithoutPongSendsByeThenClosesWith4000AndNoStatistics() {
		ProtocolSession session = this.fixture.open();
		session.heartbeatTick();
		session.heartbeatTick();
		assertThat(this.fixture.log.events()).containsExactly("onStatistics", "send PING 1", "send BYE 2 " + DEAD,
				"close 4000 " + DEAD);
		assertThat(this.fixture.transport.sent()).last().isEqualTo(new ByeFrame(SID, 2, DEAD));
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4000, DEAD));
		assertThat(session.state()).isEqualTo(SessionState.CLOSING);
		assertThat(ProtocolSession.DEAD_PEER_REASON).isEqualTo(DEAD);
	}

	@Test
	void deadPeerIsReportedAsLocalGracefulClose() {
		ProtocolSession session = this.fixture.open();
		session.heartbeatTick();
		session.heartbeatTick();
		session.transportClosed(4000, DEAD);
		assertThat(this.fixture.handler.closes())
			.containsExactly(new CloseInfo(4000, DEAD, CloseInfo.Initiator.LOCAL));
	}

	@Test
	void onlyAPongMarksThePeerAlive() {
		ProtocolSession session = this.fixture.open();
		session.heartbeatTick();
		// Data, ACKs and pings from the peer do not count (§7).
		this.fixture.receive(Utf8DataFrame.of(SID, 5, "still here"));
		this.fixture.receive(new AckFrame(SID, 1));
		this.fixture.receive(PingPongFrame.ping(SID, 6));
		session.heartbeatTick();
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4000, DEAD));
		assertThat(this.fixture.handler.statistics()).hasSize(1);
	}

	@Test
	void tickPingsASessionThatIsNotReadyYet() {
		ProtocolSession session = this.fixture.start();
		session.heartbeatTick();
		// The ENDPOINT_INFO took 0, so the ping gets 1.
		assertThat(this.fixture.transport.sent()).containsExactly(new EndpointInfoFrame(SID, 0, 1, 1),
				PingPongFrame.ping(SID, 1));
		assertThat(this.fixture.handler.statistics()).hasSize(1);
	}

	@Test
	void tickDoesNothingForAClosingOrClosedSession() {
		ProtocolSession session = this.fixture.open();
		session.close("done");
		session.heartbeatTick();
		session.transportClosed(4000, "done");
		session.heartbeatTick();
		assertThat(this.fixture.handler.statistics()).isEmpty();
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.BYE);
	}

	@Test
	void failingStatisticsHandlerDoesNotStopThePing() {
		ProtocolSession session = this.fixture.open();
		this.fixture.handler.throwing(new IllegalStateException("application bug"));
		session.heartbeatTick();
		assertThat(this.fixture.transport.sent()).containsExactly(PingPongFrame.ping(SID, 1));
	}

	@Test
	void receivedPingIsAnsweredWithAPong() {
		this.fixture.open();
		this.fixture.receive(PingPongFrame.ping(SessionId.of(3), 0));
		// The answer carries our sid, is not ACKed and takes no number of ours.
		assertThat(this.fixture.transport.sent()).containsExactly(PingPongFrame.pong(SID, 0));
		assertThat(this.fixture.session().pendingAcks()).isZero();
	}

	@Test
	void pongCopiesThePingsAck() {
		this.fixture.open();
		this.fixture.receive(PingPongFrame.ping(SID, 0x1234_5678));
		this.fixture.receive(PingPongFrame.ping(SID, (int) 4_294_967_295L));
		assertThat(this.fixture.transport.sent()).containsExactly(PingPongFrame.pong(SID, 0x1234_5678),
				PingPongFrame.pong(SID, (int) 4_294_967_295L));
	}

	@Test
	void pongsAreNeverAnswered() {
		this.fixture.open();
		this.fixture.receive(PingPongFrame.pong(SID, 1));
		this.fixture.receive(PingPongFrame.pong(SID, 2));
		assertThat(this.fixture.transport.sent()).isEmpty();
	}

	@Test
	void pingOvertakesQueuedDataOnACongestedSession() {
		ProtocolSession session = this.fixture.open();
		this.fixture.transport.hold();
		session.sendUtf8("in flight");
		session.sendUtf8("queued 1");
		session.sendUtf8("queued 2");
		session.heartbeatTick();
		this.fixture.transport.release();
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.UTF8DATA, FrameType.PING_PONG,
				FrameType.UTF8DATA, FrameType.UTF8DATA);
	}

}
