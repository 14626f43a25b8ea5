package dev.cryo.boot.autoconfigure.endtoend;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import dev.cryo.boot.autoconfigure.metrics.CryoTomcatMeterBinder;
import dev.cryo.core.SessionId;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.test.RawCryoClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that close together while the server's sends to them are still completing, on a
 * Tomcat with few threads: Tomcat answers each peer's close only once the session's last
 * asynchronous send has completed, and it completes those sends on its container threads. When
 * every container thread is already waiting in such a close, the completions they wait for
 * must still run, or each close waits out its whole timeout (2 s) and the container serves
 * nothing meanwhile.
 */
@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.tomcat.threads.max=4", "server.tomcat.threads.min-spare=4", "cryo.ack-timeout=60s" })
class TomcatMassCloseTests {

	private static final int STALLED = 4;

	private static final int CLOSING = 60;

	@Autowired
	CryoServer server;

	@Autowired
	ApplicationContext context;

	@LocalServerPort
	int port;

	@Test
	void closesThatWaitForSendCompletionsDoNotStallTheContainer() throws Exception {
		List<RawCryoClient> stalled = new ArrayList<>();
		List<RawCryoClient> closing = new ArrayList<>();
		try {
			for (int i = 0; i < STALLED + CLOSING; i++) {
				RawCryoClient client = RawCryoClient.connect(this.port, "/cryo", BackpressureTestApplication.TOKEN,
						SessionId.of(5000 + i));
				client.handshake();
				((i < STALLED) ? stalled : closing).add(client);
			}
			// Occupies every container thread: a peer that reads nothing, then closes, makes Tomcat
			// wait with its close reply until the large write to it is done (up to 2 s).
			for (RawCryoClient client : stalled) {
				client.pauseReading();
				session(client).sendBinary(ByteBuffer.allocate(8 * 1024 * 1024));
			}
			Thread.sleep(200);
			for (RawCryoClient client : stalled) {
				client.closeWebSocket(1000, "");
			}
			Thread.sleep(100);
			// The other peers close while every thread waits; then the server sends to each of them,
			// so each send's completion queues behind their closes.
			List<CompletableFuture<Void>> closes = new ArrayList<>();
			for (RawCryoClient client : closing) {
				closes.add(CompletableFuture.runAsync(() -> client.closeWebSocket(1000, "")));
			}
			CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
			for (RawCryoClient client : closing) {
				CryoSession session = this.server.session(client.sid()).orElse(null);
				if (session != null) {
					session.sendUtf8("last words");
				}
			}
			long start = System.nanoTime();
			long deadline = start + TimeUnit.SECONDS.toNanos(120);
			while (this.server.sessionCount() > 0 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			Duration released = Duration.ofNanos(System.nanoTime() - start);
			System.out.println("Released " + (STALLED + CLOSING) + " sessions in " + released.toMillis() + " ms");
			assertThat(this.server.sessionCount()).isZero();
			assertThat(released).isLessThan(Duration.ofSeconds(10));
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			new CryoTomcatMeterBinder(this.context).bindTo(registry);
			assertThat(registry.get("cryo.tomcat.send-completions.threads").gauge().value())
				.as("the completions ran on their own pool").isPositive();
		}
		finally {
			stalled.forEach(RawCryoClient::abort);
			closing.forEach(RawCryoClient::close);
		}
	}

	private CryoSession session(RawCryoClient client) {
		return this.server.session(client.sid()).orElseThrow();
	}

}
