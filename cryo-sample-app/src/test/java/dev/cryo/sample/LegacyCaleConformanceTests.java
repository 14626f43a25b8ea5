package dev.cryo.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.SessionState;
import dev.cryo.sample.LegacyWire.Client;
import dev.cryo.sample.LegacyWire.Frame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CALE (legacy-v0.md §7.1–§7.4, §10.2–§10.4, §10.6) against the real sample app, which serves
 * legacy clients without CALE on {@code /cryo} and with CALE on {@code /cryo-cale}
 * ({@code cryo.dialects.legacy.cale-paths} in its {@code application.yml}). The CALE client is
 * {@link LegacyCaleClient}: frames from the tests' own {@link LegacyWire}, cryptography from
 * {@code dev.cryo.test.RawCale}, nothing from the server's CALE code. Same configuration as
 * {@link LegacyConformanceTests}, so the two share one application context.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.endpoint-info-timeout=2s")
@DisplayName("Legacy v0 with CALE — a cryo-client-node 1.0.3 with CALE on the sample's /cryo-cale")
@Timeout(60)
class LegacyCaleConformanceTests extends ConformanceSupport {

	static final String CALE_PATH = "/cryo-cale";

	static final String SERVER_EXPECTS_CALE = "CALE Mismatch. The server excepts CALE encryption, which is currently disabled.";

	@Autowired
	CryoServer server;

	/**
	 * Whether the session is open for the application (§10.3 rule 3): it is live from the upgrade
	 * on, but stays {@link SessionState#HANDSHAKING} until the client's HANDSHAKE_DONE.
	 */
	private boolean open(UUID sid) {
		return this.server.session(SessionId.of(sid))
			.map((session) -> session.state() == SessionState.OPEN && session.isOpen())
			.orElse(false);
	}

	private boolean live(UUID sid) {
		return this.server.session(SessionId.of(sid)).isPresent();
	}

	@Test
	@DisplayName("§7.1, §7.3, §10.3, §10.4, §8: handshake SERVER_HELLO → CLIENT_HELLO (ack 0) → HANDSHAKE_DONE → "
			+ "HANDSHAKE_DONE; then UTF-8 (multi-byte, and the Node clients' cut text) and binary of 0 B, 1 B, 64 KiB "
			+ "and 1 MiB echo encrypted both ways, byte for byte, ACKed with their own numbers (server numbers from "
			+ "1); no server message has byte 20 ≤ 7; the client's close 4000 is echoed and the session ends")
	void handshakeEncryptedEchoesAndCleanClose() {
		try (LegacyCaleClient client = LegacyCaleClient.connect(this.port, CALE_PATH)) {
			client.handshake();
			assertThat(live(client.sid)).as("live from the upgrade on").isTrue();
			DialectConformanceTests.awaitCondition("the CALE session to open", () -> open(client.sid));
			CryoSession session = this.server.session(SessionId.of(client.sid)).orElseThrow();
			assertThat(session.dialect()).isEqualTo("legacy-v0");
			assertThat(session.idString()).isEqualTo(client.sid.toString());

			// SERVER_HELLO took the server's number 0, CLIENT_HELLO the client's.
			long expectedServerAck = 1;
			byte[][] texts = { "héllo ✓ 🚀".getBytes(StandardCharsets.UTF_8),
					"ünïcödé — 日本語 — 🚀🚀".getBytes(StandardCharsets.UTF_8),
					LegacyWire.nodeClientText("héllo ✓ 🚀 ünïcödé"), LegacyWire.nodeClientText("ééé") };
			for (byte[] text : texts) {
				Frame echo = client.echo(LegacyWire.UTF8DATA, text);
				assertThat(echo.ack()).as("server number of the text echo").isEqualTo(expectedServerAck++);
			}
			assertThat(client.echo(LegacyWire.UTF8DATA, texts[0]).text()).isEqualTo("héllo ✓ 🚀");
			expectedServerAck++;
			for (int size : new int[] { 0, 1, 64 * 1024, 1024 * 1024 }) {
				byte[] payload = new byte[size];
				ThreadLocalRandom.current().nextBytes(payload);
				Frame echo = client.echo(LegacyWire.BINARYDATA, payload);
				assertThat(echo.ack()).as("server number of the %d-byte echo", size).isEqualTo(expectedServerAck++);
			}
			client.expectSilence(Duration.ofMillis(200));
			assertThat(client.serverMessages).as("encrypted server messages (ACK + echo each)").isEqualTo(2 * 9);

			client.sendClose(4000, LegacyCaleClient.CLIENT_FINISHED);
			CryoTestClient.Close close = client.awaitClose();
			assertThat(close.code()).as("§8: the server echoes the client's close code").isEqualTo(4000);
			DialectConformanceTests.awaitCondition("the CALE session to end", () -> !live(client.sid));
		}
	}

	/**
	 * A server that ignored the byte-20 rule would emit a misroutable message with probability
	 * 8/256 each: among these 300 encrypted server messages with probability above 99.99 %.
	 * The client, like the published ones, does not avoid such messages; about 4 of its 300
	 * are among them, and the server must still answer each (decrypt first).
	 */
	@Test
	@DisplayName("§10.4: 150 encrypted echoes — no server message has byte 20 ≤ 7, every IV counter the server "
			+ "skipped is explained by that rule, and client messages with byte 20 ≤ 7 are decrypted, not misrouted; "
			+ "§6, §10.5: an encrypted client ping is answered by an encrypted pong with its ack")
	void byteTwentyRuleAndDecryptFirst() {
		try (LegacyCaleClient client = LegacyCaleClient.connect(this.port, CALE_PATH)) {
			client.handshake();
			for (int i = 0; i < 150; i++) {
				byte[] payload = ("encrypted echo " + i + " ✓").getBytes(StandardCharsets.UTF_8);
				client.echo((i % 2 == 0) ? LegacyWire.UTF8DATA : LegacyWire.BINARYDATA, payload);
			}
			assertThat(client.serverMessages).isEqualTo(300);

			long pingAck = client.nextAck();
			client.sendEncrypted(LegacyWire.ping(client.sid, pingAck));
			Frame pong = client.nextDecrypted();
			assertThat(pong.bytes()).as("the pong %s", pong).isEqualTo(LegacyWire.pong(client.sid, pingAck));
			client.expectSilence(Duration.ofMillis(200));
		}
	}

	@Test
	@DisplayName("§10.2, §7.5, §10.6: a CALE-off client on /cryo-cale gets SERVER_HELLO first; its plaintext data "
			+ "frame is neither ACKed nor echoed and the session does not open; it closes 4010 as the published clients "
			+ "do, the server echoes 4010, and the sid is then refused as a duplicate")
	void caleOffClientOnTheCalePathGetsServerHelloFirst() {
		try (LegacyCaleClient client = LegacyCaleClient.connect(this.port, CALE_PATH)) {
			// cryo-client-node 1.0.3 with CALE off sends at once, before it reads the SERVER_HELLO.
			client.send(LegacyWire.utf8(client.sid, client.nextAck(), "plaintext before the hello"));
			client.expectServerHello();
			client.expectSilence(Duration.ofMillis(300));
			assertThat(live(client.sid)).as("live from the upgrade on").isTrue();
			assertThat(open(client.sid)).as("§10.3 rule 3: not open before the handshake").isFalse();

			client.sendClose(4010, SERVER_EXPECTS_CALE);
			assertThat(client.awaitClose().code()).isEqualTo(4010);
			assertRefused(upgrade(TOKEN + "&x-cryo-sid=" + client.sid), DUPLICATE);
		}
	}

	@Test
	@DisplayName("§10.2: a plain legacy client on /cryo gets no SERVER_HELLO and a plaintext echo with ack 0")
	void plainLegacyClientOnTheMainPathIsUnaffected() {
		try (Client client = Client.connect(this.port, UUID.randomUUID().toString())) {
			// Client records any SERVER_HELLO or non-frame message as a violation, checked on close.
			Frame echo = client.echo(LegacyWire.UTF8DATA, "héllo ✓ 🚀".getBytes(StandardCharsets.UTF_8));
			assertThat(echo.ack()).as("no SERVER_HELLO took the server's number 0").isZero();
			assertThat(echo.text()).isEqualTo("héllo ✓ 🚀");
		}
	}

}
