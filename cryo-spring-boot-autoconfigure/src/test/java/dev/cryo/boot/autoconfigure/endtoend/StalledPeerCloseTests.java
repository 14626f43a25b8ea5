package dev.cryo.boot.autoconfigure.endtoend;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.SessionOptions;
import dev.cryo.server.CryoServer;
import dev.cryo.test.RawCryoClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions whose peers read nothing, closed by the server on Tomcat: their close timeout ends
 * them with a write still in flight, on the server's one timer thread. Tomcat holds the thread
 * that closes a session until the write in flight is done or its close send timeout (2 s) ran
 * out; the timer must not wait that out once per stalled peer, because every other session's
 * timers (first frames, ACK timeouts, heartbeats) run on it too.
 */
@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.ack-timeout=60s")
class StalledPeerCloseTests {

	private static final int STALLED = 6;

	private static final Duration CLOSE_TIMEOUT = SessionOptions.DEFAULTS.closeTimeout();

	@Autowired
	CryoServer server;

	@LocalServerPort
	int port;

	@Test
	void closingPeersThatReadNothingDoesNotHoldUpTheTimerOfEveryOtherSession() throws Exception {
		List<RawCryoClient> stalled = new ArrayList<>();
		RawCryoClient late = null;
		try {
			for (int i = 0; i < STALLED; i++) {
				RawCryoClient client = connect(7000 + i);
				client.handshake();
				client.pauseReading();
				stalled.add(client);
			}
			// More than the socket buffers take: each session keeps a write in flight.
			for (RawCryoClient client : stalled) {
				this.server.session(client.sid()).orElseThrow().sendBinary(ByteBuffer.allocate(8 * 1024 * 1024));
			}
			Thread.sleep(200);
			long closed = System.nanoTime();
			for (RawCryoClient client : stalled) {
				// BYE queues behind the stuck write; the close timeout ends the session with it in flight.
				this.server.session(client.sid()).orElseThrow().close("Leaving.");
			}
			long fallbacks = closed + CLOSE_TIMEOUT.toNanos();
			TimeUnit.NANOSECONDS.sleep(fallbacks - System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300));

			// A session opened while the stalled ones are being closed gets its ENDPOINT_INFO from a
			// timer task (the first frame is written 20 ms after the upgrade).
			long connecting = System.nanoTime();
			late = connect(7100);
			late.handshake();
			Duration handshake = Duration.ofNanos(System.nanoTime() - connecting);

			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (stalled.stream().anyMatch((client) -> this.server.session(client.sid()).isPresent())
					&& System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			Duration released = Duration.ofNanos(System.nanoTime() - fallbacks);
			System.out.println("Stalled sessions released " + released.toMillis() + " ms after their close timeout; "
					+ "a new session's handshake took " + handshake.toMillis() + " ms meanwhile");
			assertThat(stalled).allSatisfy((client) -> assertThat(this.server.session(client.sid())).isEmpty());
			// Waiting out Tomcat's 2 s per stalled peer would take 12 s for the six.
			assertThat(released).isLessThan(Duration.ofSeconds(4));
			assertThat(handshake).isLessThan(Duration.ofSeconds(2));
		}
		finally {
			stalled.forEach(RawCryoClient::abort);
			if (late != null) {
				late.close();
			}
		}
	}

	private RawCryoClient connect(long sid) {
		return RawCryoClient.connect(this.port, "/cryo", BackpressureTestApplication.TOKEN, SessionId.of(sid));
	}

}
