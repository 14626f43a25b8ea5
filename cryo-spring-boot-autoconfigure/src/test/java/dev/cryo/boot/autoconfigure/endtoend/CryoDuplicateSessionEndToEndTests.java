package dev.cryo.boot.autoconfigure.endtoend;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawUpgradeRequest;
import dev.cryo.test.RawUpgradeRequest.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One live session per sid (cryo-v1.md §2.3 steps 6-7): duplicates are refused after the token
 * check, the reservation is race-free, and the sid is free again once the session ends.
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = CryoTestApplication.ACK_TIMEOUT_300MS)
@Timeout(30)
class CryoDuplicateSessionEndToEndTests {

	private static final String DUPLICATE = "The session already exists.";

	private static final int CONTENDERS = 32;

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Test
	void secondUpgradeForALiveSidIsRefusedWithSessionAlreadyExists() throws IOException {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient first = CryoClients.ready(this.port, sid)) {
			Response second = upgrade("Bearer+secret", sid);
			assertThat(second.status()).isEqualTo(401);
			assertThat(second.body()).endsWith("was refused. " + DUPLICATE + "</p></body></html>");
			// The refusal leaves the first session untouched.
			first.send(Utf8DataFrame.of(sid, 5, "still here"));
			assertThat(first.next(AckFrame.class).ack()).isEqualTo(5);
		}
	}

	@Test
	void sidWithLeadingZerosIsTheSameSession() throws IOException {
		SessionId sid = SessionId.of(4242);
		try (RawCryoClient first = CryoClients.ready(this.port, sid)) {
			Response second = RawUpgradeRequest.send(this.port,
					CryoTestApplication.PATH + "?authorization=Bearer+secret&x-cryo-sid=0004242", Map.of());
			assertThat(second.body()).endsWith(DUPLICATE + "</p></body></html>");
			assertThat(first.isClosed()).isFalse();
		}
		CryoClients.awaitGone(this.server, sid);
	}

	@Test
	void tokenIsCheckedBeforeTheDuplicateSoLiveSidsCannotBeProbed() throws IOException {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient first = CryoClients.ready(this.port, sid)) {
			Response probe = upgrade("Bearer+wrong", sid);
			assertThat(probe.status()).isEqualTo(401);
			assertThat(probe.body()).endsWith("was refused. Invalid bearer token in authorization query.</p></body></html>")
				.doesNotContain(DUPLICATE);
			assertThat(first.isClosed()).isFalse();
		}
	}

	@Test
	void concurrentUpgradesForOneFreshSidLetExactlyOneThroughAndTheSidIsReusableAfterIt() throws Exception {
		SessionId sid = RawFrames.newSid();
		CountDownLatch ready = new CountDownLatch(CONTENDERS);
		CountDownLatch go = new CountDownLatch(1);
		ConcurrentLinkedQueue<RawCryoClient> winners = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<Integer> refusals = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<Throwable> surprises = new ConcurrentLinkedQueue<>();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < CONTENDERS; i++) {
			Thread thread = new Thread(() -> {
				ready.countDown();
				try {
					go.await();
					winners.add(CryoClients.connect(this.port, sid));
				}
				catch (CompletionException ex) {
					if (ex.getCause() instanceof WebSocketHandshakeException refused) {
						refusals.add(refused.getResponse().statusCode());
					}
					else {
						surprises.add(ex);
					}
				}
				catch (Throwable ex) {
					surprises.add(ex);
				}
			}, "upgrade-" + i);
			thread.start();
			threads.add(thread);
		}
		try {
			assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
			go.countDown();
			for (Thread thread : threads) {
				thread.join(20_000);
			}
			assertThat(surprises).isEmpty();
			assertThat(winners).hasSize(1);
			assertThat(refusals).hasSize(CONTENDERS - 1).containsOnly(401);
			// The winner is a working session.
			RawCryoClient winner = winners.peek();
			winner.handshake();
			assertThat(this.server.session(sid)).isPresent();
		}
		finally {
			winners.forEach(RawCryoClient::close);
		}
		// Once the winner is gone, the sid can be taken again.
		CryoClients.awaitGone(this.server, sid);
		try (RawCryoClient next = CryoClients.ready(this.port, sid)) {
			assertThat(this.server.session(sid)).isPresent();
			assertThat(next.isClosed()).isFalse();
		}
	}

	@Test
	void sidCanBeReusedOnceItsSessionEnded() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient first = CryoClients.ready(this.port, sid)) {
			assertThat(this.server.session(sid)).isPresent();
			assertThat(first.isClosed()).isFalse();
		}
		CryoClients.awaitGone(this.server, sid);
		try (RawCryoClient again = CryoClients.ready(this.port, sid)) {
			again.send(Utf8DataFrame.of(sid, 9, "again"));
			assertThat(again.next(AckFrame.class).ack()).isEqualTo(9);
		}
	}

	@Test
	void sidIsFreeAgainAfterAGracefulBye() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient first = CryoClients.ready(this.port, sid)) {
			CryoClients.session(this.server, sid).close("done");
			assertThat(first.awaitClose().code()).isEqualTo(4000);
		}
		CryoClients.awaitGone(this.server, sid);
		try (RawCryoClient again = CryoClients.ready(this.port, sid)) {
			assertThat(this.server.session(sid)).isPresent();
			assertThat(again.isClosed()).isFalse();
		}
	}

	@Test
	void upgradeThatFailsAfterAuthenticationDoesNotKeepTheSidReserved() throws IOException {
		SessionId sid = RawFrames.newSid();
		// Authenticated, but the WebSocket handshake itself fails on an unsupported version.
		assertThat(rawUpgradeStatus(sid, "99")).isEqualTo(426);
		assertThat(this.server.session(sid)).isEmpty();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			assertThat(this.server.session(sid)).isPresent();
			assertThat(client.isClosed()).isFalse();
		}
	}

	private int rawUpgradeStatus(SessionId sid, String webSocketVersion) throws IOException {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			String request = "GET " + CryoTestApplication.PATH + "?authorization=Bearer+secret&x-cryo-sid="
					+ sid + " HTTP/1.1\r\nHost: localhost:" + this.port
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
					+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: " + webSocketVersion
					+ "\r\n\r\n";
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
			return Integer.parseInt(reader.readLine().split(" ")[1]);
		}
	}

	private Response upgrade(String authorization, SessionId sid) throws IOException {
		return RawUpgradeRequest.send(this.port, CryoTestApplication.PATH + "?authorization=" + authorization
				+ "&x-cryo-sid=" + sid, Map.of());
	}

}
