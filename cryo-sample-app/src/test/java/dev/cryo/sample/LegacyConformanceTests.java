package dev.cryo.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.sample.DialectPeer.Kind;
import dev.cryo.sample.LegacyWire.Client;
import dev.cryo.sample.LegacyWire.Frame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The legacy "v0" generation (legacy-v0.md §3–§6, §10.1, §10.5, §10.7) against the real sample
 * app, as a published legacy client without CALE behaves (cryo-client-node 1.0.3: no Origin
 * header, a UUID sid in {@code x-cryo-sid}, no greeting, first data frame ack 0), with the tests'
 * own legacy codec ({@link LegacyWire}). Same configuration as
 * {@link DialectsTogetherConformanceTests}, so the two share one application context.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.endpoint-info-timeout=2s")
@DisplayName("Legacy v0 — a cryo-client-node 1.0.3 without CALE on the sample's /cryo")
@Timeout(60)
class LegacyConformanceTests extends ConformanceSupport {

	@Autowired
	CryoServer server;

	private CryoSession session(UUID sid) {
		return this.server.session(SessionId.of(sid)).orElseThrow();
	}

	@Test
	@DisplayName("§10.1: upgrades with a lower-case and an upper-case UUID are accepted; the application's session "
			+ "id is the lower-case UUID, dialect legacy-v0, and every server frame carries its 16 bytes")
	void upgradeWithLowerAndUpperCaseUuid() {
		UUID lower = UUID.randomUUID();
		UUID upper = UUID.randomUUID();
		String upperText = upper.toString().toUpperCase(Locale.ROOT);
		try (Client first = Client.connect(this.port, lower.toString());
				Client second = Client.connect(this.port, upperText)) {
			for (Client client : new Client[] { first, second }) {
				String expected = client.sid.toString();
				DialectConformanceTests.awaitCondition("the legacy session " + expected,
						() -> this.server.session(SessionId.of(client.sid)).isPresent());
				CryoSession session = session(client.sid);
				assertThat(session.idString()).isEqualTo(expected).isEqualTo(client.lowerCaseSid());
				assertThat(session.dialect()).isEqualTo("legacy-v0");
				assertThat(this.server.sessions().stream().map(CryoSession::idString)).contains(expected)
					.doesNotContain(upperText);
				// Connected at the upgrade, no greeting: the first data frame has ack 0.
				Frame echo = client.echo(LegacyWire.UTF8DATA, "first".getBytes(StandardCharsets.UTF_8));
				assertThat(echo.ack()).as("the server's first number").isZero();
				assertThat(echo.sid()).isEqualTo(client.sid);
			}
		}
	}

	@Test
	@DisplayName("§3.1, §5, §10.5: UTF-8 (multi-byte, sized correctly) and the Node clients' cut and NUL-filled "
			+ "text echo back exactly; binary of 0 B, 1 B, 64 KiB and 1 MiB echoes; every frame is ACKed with "
			+ "its own number and the server numbers its echoes from 0")
	void echoesTextAndBinary() {
		try (Client client = Client.connect(this.port, UUID.randomUUID().toString())) {
			byte[][] texts = { "héllo ✓ 🚀".getBytes(StandardCharsets.UTF_8),
					LegacyWire.nodeClientText("héllo ✓ 🚀"), LegacyWire.nodeClientText("ééé"),
					LegacyWire.nodeClientText("héllo ✓ 🚀 ünïcödé") };
			assertThat(texts[0]).hasSize(15);
			assertThat(texts[1]).isEqualTo("héllo ✓".getBytes(StandardCharsets.UTF_8));
			assertThat(texts[2]).isEqualTo(CryoWire.unhex("c3a900"));
			assertThat(texts[3]).isEqualTo("héllo ✓ 🚀 ü".getBytes(StandardCharsets.UTF_8));
			long expectedServerAck = 0;
			for (byte[] text : texts) {
				Frame echo = client.echo(LegacyWire.UTF8DATA, text);
				assertThat(echo.ack()).isEqualTo(expectedServerAck++);
				assertThat(echo.bytes()).hasSize(LegacyWire.HEADER + text.length);
			}
			for (int size : new int[] { 0, 1, 64 * 1024, 1024 * 1024 }) {
				byte[] payload = new byte[size];
				ThreadLocalRandom.current().nextBytes(payload);
				Frame echo = client.echo(LegacyWire.BINARYDATA, payload);
				assertThat(echo.ack()).as("server number of the %d-byte echo", size).isEqualTo(expectedServerAck++);
			}
			client.expectSilence(Duration.ofMillis(200));
		}
	}

	@Test
	@DisplayName("§10.5: the server's ERROR is sent untracked (its future completes without an ACK) with a number "
			+ "of its counter, and the session goes on")
	void errorIsNotExpectedToBeAcked() throws Exception {
		try (Client client = Client.connect(this.port, UUID.randomUUID().toString())) {
			DialectConformanceTests.awaitCondition("the legacy session",
					() -> this.server.session(SessionId.of(client.sid)).isPresent());
			CompletableFuture<Void> sent = session(client.sid).sendError("invalid_operation");
			Frame error = client.next();
			assertThat(error.type()).as("%s", error).isEqualTo(LegacyWire.ERROR);
			assertThat(error.text()).isEqualTo("invalid_operation");
			assertThat(error.ack()).isZero();
			sent.get(2, TimeUnit.SECONDS);
			// Not ACKed; the next data frame takes the next number.
			Frame echo = client.echo(LegacyWire.UTF8DATA, "after the error".getBytes(StandardCharsets.UTF_8));
			assertThat(echo.ack()).isEqualTo(1);
		}
	}

	@Test
	@DisplayName("§6, §10.5: a client ping is answered with a pong carrying the same ack; a client pong is never "
			+ "answered")
	void pingIsAnsweredAndPongIsNot() {
		try (Client client = Client.connect(this.port, UUID.randomUUID().toString())) {
			long ack = client.nextAck();
			client.send(LegacyWire.ping(client.sid, ack));
			Frame pong = client.next();
			assertThat(pong.bytes()).as("the pong %s", pong).isEqualTo(LegacyWire.pong(client.sid, ack));
			client.send(LegacyWire.pong(client.sid, 77));
			client.expectSilence(Duration.ofMillis(500));
			assertThat(client.echo(LegacyWire.UTF8DATA, "still here".getBytes(StandardCharsets.UTF_8)).ack())
				.isZero();
		}
	}

	@Test
	@DisplayName("§8, §10.7: the client closes with 4000 'Client finished.' and the server's session ends")
	void cleanCloseByTheClient() {
		try (Client client = Client.connect(this.port, UUID.randomUUID().toString())) {
			client.echo(LegacyWire.UTF8DATA, "bye".getBytes(StandardCharsets.UTF_8));
			client.sendClose(4000, "Client finished.");
			client.awaitClose();
			DialectConformanceTests.awaitCondition("the legacy session to end",
					() -> this.server.session(SessionId.of(client.sid)).isEmpty());
		}
	}

	@Test
	@DisplayName("§10.1: refusal order and messages — no auth / not Bearer, duplicate live sid (even with a bad "
			+ "token), bad token (which releases the sid)")
	void refusalOrderAndMessages() {
		UUID fresh = UUID.randomUUID();
		String sid = "&x-cryo-sid=" + fresh;
		assertRefused(upgrade("x-cryo-sid=" + fresh), NO_AUTH);
		assertRefused(upgrade("authorization=" + sid), NO_AUTH);
		assertRefused(upgrade("authorization=Basic+dev-token" + sid), NO_AUTH);
		assertRefused(upgrade("authorization=bearer+dev-token" + sid), NO_AUTH);
		assertRefused(upgrade("authorization=Bearer+nope" + sid), INVALID_TOKEN);
		assertRefused(upgrade("authorization=Bearer+" + sid), INVALID_TOKEN);
		try (Client live = Client.connect(this.port, fresh.toString())) {
			String upperSid = "&x-cryo-sid=" + fresh.toString().toUpperCase(Locale.ROOT);
			assertRefused(upgrade(TOKEN + sid), DUPLICATE);
			assertRefused(upgrade("authorization=Bearer+nope" + upperSid), DUPLICATE);
			// The missing auth is still reported first.
			assertRefused(upgrade("x-cryo-sid=" + fresh), NO_AUTH);
			live.echo(LegacyWire.UTF8DATA, "unaffected".getBytes(StandardCharsets.UTF_8));
		}
	}

	@Test
	@DisplayName("§10.2: a CALE client's CLIENT_HELLO (86 bytes, ack 0) is closed with 4010")
	void clientHelloIsClosedWith4010() {
		try (Client client = Client.connect(this.port, UUID.randomUUID().toString())) {
			byte[] key = new byte[65];
			ThreadLocalRandom.current().nextBytes(key);
			key[0] = 4;
			byte[] hello = LegacyWire.frame(client.sid, client.nextAck(), LegacyWire.CLIENT_HELLO, key);
			assertThat(hello).hasSize(86);
			client.send(hello);
			CryoTestClient.Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(4010);
			assertThat(close.reason())
				.isEqualTo("CALE Mismatch. The client excepts CALE encryption, which is currently disabled.");
		}
	}

	@Test
	@DisplayName("README: a legacy, a CAMP and a Cryo v1 client at once all receive one broadcast and echo side "
			+ "by side")
	void legacyCampAndV1Together() throws Exception {
		try (Client legacy = Client.connect(this.port, UUID.randomUUID().toString());
				DialectPeer camp = DialectPeer.open(this.port, Kind.CAMP_NODE);
				DialectPeer v1 = DialectPeer.open(this.port, Kind.CRYO_V1)) {
			DialectConformanceTests.awaitCondition("the legacy session",
					() -> this.server.session(SessionId.of(legacy.sid)).isPresent());
			String news = "to all three: héllo ✓ 🚀";
			Map<CryoSession, CompletableFuture<Void>> broadcast = this.server.broadcastUtf8(news);
			assertThat(broadcast.keySet().stream().map(CryoSession::idString)).contains(legacy.lowerCaseSid(),
					Long.toUnsignedString(camp.sid), Long.toUnsignedString(v1.sid));
			Frame received = legacy.next();
			assertThat(received.type()).isEqualTo(LegacyWire.UTF8DATA);
			assertThat(received.text()).isEqualTo(news);
			legacy.send(LegacyWire.ack(legacy.sid, received.ack()));
			assertThat(camp.awaitText("to all three")).isEqualTo(news);
			assertThat(v1.awaitText("to all three")).isEqualTo(news);

			legacy.echo(LegacyWire.UTF8DATA, "side by side: legacy".getBytes(StandardCharsets.UTF_8));
			camp.echo("side by side: camp");
			v1.echo("side by side: v1");
			legacy.echo(LegacyWire.BINARYDATA, new byte[] { 1, 2, 3 });
			CompletableFuture.allOf(broadcast.values().toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
		}
	}

}
