package dev.cryo.boot.autoconfigure.endtoend;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.engine.SessionState;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deadline for the client's ENDPOINT_INFO (cryo-v1.md §3 rule 7), shortened to 500 ms, and
 * what happens to a peer that sends frames but no ENDPOINT_INFO (rule 9 (a) and (c)).
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.endpoint-info-timeout=500ms")
@Timeout(30)
class CryoEndpointInfoTimeoutEndToEndTests {

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	@Test
	void connectionWithoutEndpointInfoIsClosedWith4001AfterTheTimeout() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.connect(this.port, sid)) {
			long start = System.nanoTime();
			client.next(EndpointInfoFrame.class);
			RawCryoClient.Close close = client.awaitClose(Duration.ofSeconds(5));
			long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
			assertThat(close.code()).isEqualTo(4001);
			assertThat(close.reason()).isEqualTo("No ENDPOINT_INFO received.");
			assertThat(elapsedMillis).isGreaterThanOrEqualTo(400);
			CryoSessionClosedEvent closed = this.events.await(sid, CryoSessionClosedEvent.class);
			assertThat(closed.code()).isEqualTo(4001);
			assertThat(closed.initiator()).isEqualTo(CloseInfo.Initiator.LOCAL);
		}
		CryoClients.awaitGone(this.server, sid);
	}

	@Test
	void aDataFrameWithoutEndpointInfoOpensTheSessionAtOnceAndNoTimeoutFollows() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.connect(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			// §3 rule 9 (a): the peer is taken to be one that never sends ENDPOINT_INFO, and the
			// session is ready before its first message is handled.
			client.send(Utf8DataFrame.of(sid, 0, "early"));
			assertThat(client.next(AckFrame.class).ack()).isZero();
			CryoUtf8MessageEvent message = this.events.await(sid, CryoUtf8MessageEvent.class);
			assertThat(this.events.events(sid, CryoSessionConnectedEvent.class)).hasSize(1);
			assertThat(message.getSession().transactionLayout()).isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4);
			// Rule 7: only a connection that sent nothing is closed by the timeout.
			assertThat(client.poll(Duration.ofMillis(900))).isNull();
			assertThat(client.isClosed()).isFalse();
			client.send(Utf8DataFrame.of(sid, 1, "still open"));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(1);
		}
	}

	@Test
	void aPeerThatOnlyPingsIsOpenedWhenTheTimeoutExpires() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.connect(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			long start = System.nanoTime();
			// A ping alone decides nothing at once (§3 rule 9), but it is a well-formed frame: at
			// the deadline the session opens instead of being closed (rule 9 (c)).
			client.send(PingPongFrame.ping(sid, 0));
			assertThat(client.next(PingPongFrame.class).isPing()).isFalse();
			this.events.await(sid, CryoSessionConnectedEvent.class);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
			assertThat(client.poll(Duration.ofMillis(300))).isNull();
			assertThat(client.isClosed()).isFalse();
			assertThat(this.server.session(sid).orElseThrow().state()).isEqualTo(SessionState.OPEN);
		}
	}

	@Test
	void endpointInfoInTimeKeepsTheSessionOpenPastTheTimeout() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			this.events.await(sid, CryoSessionConnectedEvent.class);
			assertThat(client.poll(Duration.ofMillis(900))).isNull();
			assertThat(client.isClosed()).isFalse();
			client.send(Utf8DataFrame.of(sid, 5, "still open"));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(5);
		}
	}

}
