package dev.cryo.boot.autoconfigure.endtoend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.event.CryoSessionStatsEvent;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heartbeat of cryo-v1.md §7 and the statistics of §12, with a 300 ms interval.
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.keep-alive-interval=300ms", CryoTestApplication.ACK_TIMEOUT_300MS })
@Timeout(30)
class CryoHeartbeatEndToEndTests {

	private static final String DEAD_PEER = "Disconnecting session due to not responding to ping frames.";

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	@Test
	void pingsArriveEachIntervalWithIncreasingAckNumbers() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.readyAnsweringPings(this.port, sid, true)) {
			List<Integer> acks = new ArrayList<>();
			while (acks.size() < 4) {
				PingPongFrame ping = client.next(PingPongFrame.class);
				assertThat(ping.isPing()).isTrue();
				assertThat(ping.sid()).isEqualTo(sid);
				acks.add(ping.ack());
				client.send(PingPongFrame.pong(sid, ping.ack()));
			}
			assertThat(acks).isSorted().doesNotHaveDuplicates();
			// Pings take numbers from the same counter as tracked frames (§6.1).
			assertThat(acks.get(0)).isPositive();
			for (int i = 1; i < acks.size(); i++) {
				assertThat(acks.get(i)).isEqualTo(acks.get(i - 1) + 1);
			}
		}
	}

	@Test
	void answeringPongsKeepsTheSessionAliveForManyIntervals() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.readyAnsweringPings(this.port, sid, true)) {
			long until = System.nanoTime() + Duration.ofMillis(1800).toNanos();
			int pings = 0;
			while (System.nanoTime() < until) {
				Frame frame = client.poll(Duration.ofMillis(100));
				if (frame instanceof PingPongFrame ping && ping.isPing()) {
					client.send(PingPongFrame.pong(sid, ping.ack()));
					pings++;
				}
				else {
					assertThat(frame).as("only pings while idle").isNull();
				}
			}
			assertThat(pings).isGreaterThanOrEqualTo(4);
			assertThat(client.isClosed()).isFalse();
			client.send(Utf8DataFrame.of(sid, 12, "alive"));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 12));
		}
	}

	@Test
	void clientThatStopsAnsweringGetsByeThenClose4000() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.readyAnsweringPings(this.port, sid, true)) {
			PingPongFrame ping = client.next(PingPongFrame.class);
			assertThat(ping.isPing()).isTrue();
			// No pong: the next tick finds the peer dead.
			ByeFrame bye = client.next(ByeFrame.class);
			assertThat(bye.reason()).isEqualTo(DEAD_PEER);
			assertThat(bye.sid()).isEqualTo(sid);
			RawCryoClient.Close close = client.awaitClose(Duration.ofSeconds(5));
			assertThat(close.code()).isEqualTo(4000);
			assertThat(close.reason()).isEqualTo(DEAD_PEER);
			CryoSessionClosedEvent closed = this.events.await(sid, CryoSessionClosedEvent.class);
			assertThat(closed.code()).isEqualTo(4000);
			assertThat(closed.reason()).isEqualTo(DEAD_PEER);
			assertThat(closed.initiator()).isEqualTo(CloseInfo.Initiator.LOCAL);
		}
		CryoClients.awaitGone(this.server, sid);
	}

	@Test
	void dataFramesDoNotCountAsPongs() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.readyAnsweringPings(this.port, sid, true)) {
			client.next(PingPongFrame.class);
			// Keep talking, but never pong: the session is still reaped.
			List<Frame> received = new ArrayList<>();
			int ack = 100;
			long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
			while (!client.isClosed() && System.nanoTime() < until) {
				try {
					client.send(Utf8DataFrame.of(sid, ack++, "busy"));
				}
				catch (CompletionException ex) {
					// The server closed the connection between two of our sends.
					break;
				}
				Frame frame = client.poll(Duration.ofMillis(50));
				if (frame != null) {
					received.add(frame);
				}
			}
			assertThat(client.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(4000);
			for (Frame frame = client.poll(Duration.ZERO); frame != null; frame = client.poll(Duration.ZERO)) {
				received.add(frame);
			}
			assertThat(received).filteredOn(ByeFrame.class::isInstance)
				.singleElement()
				.satisfies((bye) -> assertThat(((ByeFrame) bye).reason()).isEqualTo(DEAD_PEER));
		}
	}

	@Test
	void clientPingIsAnsweredWithAPong() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.readyAnsweringPings(this.port, sid, true)) {
			client.send(PingPongFrame.ping(sid, 0xCAFE));
			Frame answer = client.nextIgnoringPings();
			assertThat(answer).isInstanceOfSatisfying(PingPongFrame.class, (pong) -> {
				assertThat(pong.isPing()).isFalse();
				assertThat(pong.sid()).isEqualTo(sid);
			});
		}
	}

	@Test
	void clientPingIsAnsweredWithAPongCopyingItsAck() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.readyAnsweringPings(this.port, sid, true)) {
			client.send(PingPongFrame.ping(sid, 0xCAFE));
			Frame answer = client.nextIgnoringPings();
			assertThat(answer).isEqualTo(PingPongFrame.pong(sid, 0xCAFE));
		}
	}

	@Test
	void clientPongIsNeverAnswered() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.readyAnsweringPings(this.port, sid, true)) {
			client.send(PingPongFrame.pong(sid, 1234));
			client.send(Utf8DataFrame.of(sid, 7, "sentinel"));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 7));
		}
	}

	@Test
	void statsEventIsPublishedEveryTickWithRttMinusOneBeforeAnySample() {
		SessionId sid = RawFrames.newSid();
		// Open the session without ACKing the server's ENDPOINT_INFO, so there is no RTT sample.
		try (RawCryoClient client = CryoClients.readyAnsweringPings(this.port, sid, false)) {
			for (int i = 0; i < 3; i++) {
				PingPongFrame ping = client.next(PingPongFrame.class);
				client.send(PingPongFrame.pong(sid, ping.ack()));
			}
			List<CryoSessionStatsEvent> stats = this.events.awaitCount(sid, CryoSessionStatsEvent.class, 3);
			assertThat(stats).allSatisfy((event) -> assertThat(event.rttMillis()).isEqualTo(-1.0));
			// Every tick sent one more 17-byte ping and received one more pong.
			for (int i = 1; i < 3; i++) {
				assertThat(stats.get(i).bytesSent()).isGreaterThan(stats.get(i - 1).bytesSent());
				assertThat(stats.get(i).bytesReceived()).isGreaterThan(stats.get(i - 1).bytesReceived());
			}
			// By the third tick: the ENDPOINT_INFO (25 B) and ACK (13 B) each way, and pings and pongs.
			assertThat(stats.get(2).bytesSent()).isGreaterThanOrEqualTo(25 + 13 + 17);
			assertThat(stats.get(2).bytesReceived()).isGreaterThanOrEqualTo(25 + 17);
		}
	}

	@Test
	void statsEventCarriesTheRttOnceAFrameWasAcked() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.readyAnsweringPings(this.port, sid, true)) {
			// ready() ACKed the server's ENDPOINT_INFO: that is one sample.
			PingPongFrame ping = client.next(PingPongFrame.class);
			client.send(PingPongFrame.pong(sid, ping.ack()));
			CryoSessionStatsEvent stats = this.events.await(sid, CryoSessionStatsEvent.class);
			assertThat(stats.rttMillis()).isGreaterThanOrEqualTo(0.0);
			assertThat(stats.ackTimeouts()).isZero();
			assertThat(stats.getSession().id()).isEqualTo(sid);
		}
	}

	@Test
	void statsEventCountsAckTimeoutsOfThePreviousInterval() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.readyAnsweringPings(this.port, sid, true)) {
			CryoClients.session(this.server, sid).sendUtf8("never acked");
			assertThat(client.next(Utf8DataFrame.class).text()).isEqualTo("never acked");
			// Keep the session alive until the timeout (300 ms) is reported by a tick.
			long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (this.events.events(sid, CryoSessionStatsEvent.class).stream().noneMatch((e) -> e.ackTimeouts() > 0)) {
				assertThat(System.nanoTime()).as("ack timeout reported in a stats event").isLessThan(until);
				Frame frame = client.poll(Duration.ofMillis(50));
				if (frame instanceof PingPongFrame ping && ping.isPing()) {
					client.send(PingPongFrame.pong(sid, ping.ack()));
				}
			}
			List<CryoSessionStatsEvent> stats = this.events.events(sid, CryoSessionStatsEvent.class);
			assertThat(stats.stream().mapToLong(CryoSessionStatsEvent::ackTimeouts).sum()).as("not a running total")
				.isEqualTo(1);
		}
	}

}
