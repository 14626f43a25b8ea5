package dev.cryo.boot.autoconfigure.endtoend;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.SessionState;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.test.RawCryoClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cryo.send-timeout}: a peer that accepts nothing for that long is closed, and every send
 * still waiting on it fails instead of hanging.
 */
@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.send-timeout=1s", "cryo.ack-timeout=60s" })
class SendTimeoutTests {

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Test
	void aPeerThatAcceptsNothingIsClosedAfterTheSendTimeout() throws Exception {
		SessionId sid = SessionId.of(ThreadLocalRandom.current().nextLong());
		try (RawCryoClient client = RawCryoClient.connect(this.port, "/cryo", BackpressureTestApplication.TOKEN, sid)) {
			client.handshake();
			CryoSession session = this.server.session(sid).orElseThrow();
			client.pauseReading();
			// Enough to fill the kernel buffers of both ends, so the server's write stalls.
			var last = session.sendBinary(ByteBuffer.allocate(64 * 1024));
			for (int i = 0; i < 400; i++) {
				last = session.sendBinary(ByteBuffer.allocate(64 * 1024));
			}
			long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
			// The state turns CLOSED before the registry lets the session go: wait for both.
			while ((session.state() != SessionState.CLOSED || this.server.session(sid).isPresent())
					&& System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(session.state()).isEqualTo(SessionState.CLOSED);
			assertThat(this.server.session(sid)).isEmpty();
			assertThat(last).failsWithin(Duration.ofSeconds(5));
		}
	}

}
