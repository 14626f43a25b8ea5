package dev.cryo.boot.autoconfigure.endtoend;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deadline for the client's ENDPOINT_INFO (cryo-v1.md §3 item 7), shortened to 500 ms.
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.endpoint-info-timeout=500ms")
@Timeout(30)
class CryoEndpointInfoTimeoutEndToEndTests {

	@LocalServerPort
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
	void dataFramesDoNotStopTheEndpointInfoDeadline() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.connect(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			// Base frames before ENDPOINT_INFO are handled (§3 item 5), but only ENDPOINT_INFO counts.
			client.send(Utf8DataFrame.of(sid, 1, "early"));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(1);
			assertThat(client.awaitClose(Duration.ofSeconds(5)).reason()).isEqualTo("No ENDPOINT_INFO received.");
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
