package dev.cryo.boot.autoconfigure.web;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

import dev.cryo.core.SessionId;
import dev.cryo.server.CryoServer;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.observer.SessionCloseCategory;
import dev.cryo.server.support.DefaultCryoServer;
import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer that resets the TCP connection right after the 101 makes the first write of its
 * session (the server's ENDPOINT_INFO) fail. Every session opened that way must still end with
 * exactly one closed event, and leave nothing in the registry, or {@code cryo.sessions.opened}
 * minus {@code cryo.sessions.closed} drifts.
 *
 * <p>A few hundred resets by default; {@code -Dcryo.test.full=true} runs four thousand.
 */
@SpringBootTest(classes = ConnectionResetAfterUpgradeTests.ResetTestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
@Timeout(300)
class ConnectionResetAfterUpgradeTests {

	private static final int RESETS = Boolean.getBoolean("cryo.test.full") ? 4000 : 300;

	@LocalServerPort
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	SessionCounter counter;

	@Test
	void everySessionOpenedOnAConnectionResetRightAfterThe101IsClosedExactlyOnce() throws IOException {
		long firstSid = 7_000_000L;
		for (int i = 0; i < RESETS; i++) {
			upgradeThenReset(firstSid + i);
		}
		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.counter.closedEvents()).isEqualTo(this.counter.opened()));
		assertThat(this.counter.opened()).isPositive().isLessThanOrEqualTo(RESETS);
		assertThat(this.counter.observedClosed()).isEqualTo(this.counter.opened());
		assertThat(this.counter.closedEventsPerSession().values()).allMatch((count) -> count == 1);
		assertThat(this.server.sessionCount()).isZero();
		assertThat(((DefaultCryoServer) this.server).sessionRegistry().size()).isZero();
	}

	/** Upgrades on a raw socket, reads the 101 status line and resets the connection. */
	private void upgradeThenReset(long sid) throws IOException {
		try (Socket socket = new Socket()) {
			// Linger 0: close() sends RST instead of FIN.
			socket.setSoLinger(true, 0);
			socket.setTcpNoDelay(true);
			socket.connect(new InetSocketAddress("localhost", this.port), 5000);
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write(RawUpgradeRequest.bytes(this.port, "/cryo?authorization=Bearer+secret&x-cryo-sid=" + sid, Map.of()));
			out.flush();
			assertThat(RawUpgradeRequest.readLine(socket.getInputStream())).startsWith("HTTP/1.1 101");
		}
		catch (SocketException ex) {
			// The server may notice the reset first; the close still counts.
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ResetTestApplication {

		@Bean
		TokenValidator tokenValidator() {
			return "secret"::equals;
		}

		@Bean
		SessionCounter sessionCounter() {
			return new SessionCounter();
		}

	}

	/** Counts sessions opened and closed, by the observer and by the closed event. */
	static class SessionCounter implements CryoServerObserver {

		private final AtomicInteger opened = new AtomicInteger();

		private final AtomicInteger observedClosed = new AtomicInteger();

		private final Map<SessionId, Integer> closedEvents = new ConcurrentHashMap<>();

		@Override
		public void sessionOpened() {
			this.opened.incrementAndGet();
		}

		@Override
		public void sessionClosed(SessionCloseCategory category) {
			this.observedClosed.incrementAndGet();
		}

		@EventListener
		void closed(CryoSessionClosedEvent event) {
			this.closedEvents.merge(event.session().id(), 1, Integer::sum);
		}

		int opened() {
			return this.opened.get();
		}

		int observedClosed() {
			return this.observedClosed.get();
		}

		int closedEvents() {
			return this.closedEvents.values().stream().mapToInt(Integer::intValue).sum();
		}

		Map<SessionId, Integer> closedEventsPerSession() {
			return this.closedEvents;
		}

	}

}
