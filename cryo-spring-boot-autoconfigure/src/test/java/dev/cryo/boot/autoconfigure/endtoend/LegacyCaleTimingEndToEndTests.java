package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.server.CryoServer;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.test.RawCaleClient;
import dev.cryo.test.RawCaleClient.Decoded;
import dev.cryo.test.RawCryoClient.Close;
import dev.cryo.test.RawLegacyFrames;
import dev.cryo.test.RawLegacyFrames.Parsed;
import dev.cryo.test.RawUpgradeRequest.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CALE and the clock, on a real server with a two-second handshake deadline, a 300 ms heartbeat
 * and a one-second sid block (legacy-v0.md §7.5, §10.2, §10.3 rules 5–6, §10.5, §10.6): a
 * handshake left unfinished ends in 4011 at the deadline with no ping before it; once encrypted
 * the pings come encrypted and the deadline no longer applies; a CALE-on client on a path without
 * CALE is connected at once and closes with 4010 at the first ping, which blocks its sid; and a
 * blocked sid is accepted again once the block has run out.
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.dialects.legacy.cale-paths=" + CaleClients.CALE_PATH, "cryo.endpoint-info-timeout=2s",
				"cryo.keep-alive-interval=300ms", "cryo.dialects.legacy.cale-failure-block=1s" })
@Timeout(60)
class LegacyCaleTimingEndToEndTests {

	private static final Duration DEADLINE = Duration.ofSeconds(2);

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	// ---- the handshake deadline (§10.3 rules 5-6)

	@ParameterizedTest(name = "[{index}] CLIENT_HELLO sent: {0}")
	@ValueSource(booleans = { false, true })
	void unfinishedHandshakeIsClosedWith4011AtTheDeadlineWithoutPings(boolean clientHelloSent) throws IOException {
		UUID uuid = UUID.randomUUID();
		SessionId sid = SessionId.of(uuid);
		long start = System.nanoTime();
		try (RawCaleClient client = CaleClients.connect(this.port, uuid)) {
			client.awaitServerHello();
			if (clientHelloSent) {
				client.sendClientHello();
				client.awaitHandshakeDone();
			}
			Close close = client.awaitClose(DEADLINE.plusSeconds(3));
			Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
			assertThat(close).isEqualTo(new Close(4011, CaleClients.HANDSHAKE_FAILED));
			assertThat(elapsed).isGreaterThanOrEqualTo(DEADLINE.minusMillis(100));
			// Six heartbeat ticks passed, and not one ping came (nor anything else).
			assertThat(client.pollRaw(Duration.ZERO)).isNull();
		}
		CryoClients.awaitGone(this.server, sid);
		assertThat(this.events.events(sid, CryoSessionConnectedEvent.class)).isEmpty();
		CaleClients.assertBlocked(this.port, uuid);
	}

	@Test
	void encryptedSessionIsPingedEncryptedAndOutlivesTheDeadline() {
		UUID uuid = UUID.randomUUID();
		SessionId sid = SessionId.of(uuid);
		long start = System.nanoTime();
		try (RawCaleClient client = CaleClients.ready(this.port, uuid, this.events)) {
			int previous = 0;
			while (System.nanoTime() - start < DEADLINE.plusMillis(700).toNanos()) {
				Decoded decoded = client.nextDecoded(Duration.ofSeconds(2));
				assertThat(decoded.authentic()).isTrue();
				// An encrypted PING_PONG is 53 bytes (§7.3).
				assertThat(decoded.message()).hasSize(53);
				Parsed ping = decoded.frame();
				assertThat(ping.isPing()).as("a ping, got %s", ping).isTrue();
				// Numbered after the SERVER_HELLO's 0 (§10.5).
				assertThat(ping.ack()).isGreaterThan(previous);
				previous = ping.ack();
				client.sendFrame(RawLegacyFrames.pingPong(uuid, ping.ack(), false));
			}
			assertThat(this.server.session(sid)).isPresent();
			assertThat(this.events.events(sid, CryoSessionClosedEvent.class)).isEmpty();
			assertThat(client.misroutableCount()).isZero();
		}
	}

	// ---- CALE on, on a path without CALE (§10.2 third row), and the end of a block (§10.6)

	@Test
	void caleOnClientOnAPathWithoutCaleClosesAtTheFirstPingAndItsSidIsBlockedForASecond() throws IOException {
		UUID uuid = UUID.randomUUID();
		SessionId sid = SessionId.of(uuid);
		long closedAt;
		try (RawCaleClient client = CaleClients.connect(this.port, DialectTestApplication.PATH, uuid)) {
			// No SERVER_HELLO: connected for the application at once.
			this.events.await(sid, CryoSessionConnectedEvent.class);
			// The client waits; the first thing it sees is the first ping, in plaintext.
			byte[] first = client.nextRaw();
			assertThat(first).hasSize(25);
			assertThat(RawLegacyFrames.parse(first).isPing()).isTrue();
			// What cryo-client-browser does then (the Node clients use 1002, which the JDK cannot send).
			closedAt = System.nanoTime();
			client.closeWith(4010, CaleClients.SERVER_HAS_CALE_OFF);
			assertThat(client.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(4010);
		}
		CryoSessionClosedEvent closed = this.events.await(sid, CryoSessionClosedEvent.class);
		assertThat(closed.closeInfo().code()).isEqualTo(4010);
		assertThat(closed.closeInfo().reason()).isEqualTo(CaleClients.SERVER_HAS_CALE_OFF);
		CaleClients.assertBlocked(this.port, uuid);
		// The block runs out after cryo.dialects.legacy.cale-failure-block (1 s here).
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (true) {
			Response response = CaleClients.probe(this.port, CaleClients.CALE_PATH, uuid);
			if (response.body().contains(CaleClients.INVALID_TOKEN)) {
				break;
			}
			LegacySessionEndToEndTests.assertRefused(response, CaleClients.DUPLICATE);
			assertThat(System.nanoTime() - deadline).as("the block is still there after 5 s").isNegative();
			sleep(20);
		}
		assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
		// The same sid is served again, this time on the CALE path with the handshake.
		try (RawCaleClient client = CaleClients.ready(this.port, uuid, this.events)) {
			client.sendFrame(RawLegacyFrames.utf8(uuid, 1, "echo:back"));
			assertThat(CaleClients.nextData(client).text()).isEqualTo("back");
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
