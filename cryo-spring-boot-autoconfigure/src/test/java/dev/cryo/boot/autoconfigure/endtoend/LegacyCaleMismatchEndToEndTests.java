package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.server.CryoServer;
import dev.cryo.server.event.CryoBinaryMessageEvent;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;
import dev.cryo.test.RawCale;
import dev.cryo.test.RawLegacyClient;
import dev.cryo.test.RawLegacyFrames;
import dev.cryo.test.RawLegacyFrames.Parsed;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A legacy client with CALE off on a CALE path, the first row of the mismatch table of
 * legacy-v0.md §10.2 that differs from the 2.x server, on a real server (§7.5, §10.2, §10.3 rule
 * 5, §10.6): it receives SERVER_HELLO; its plaintext data, sent before and after reading it, is
 * neither ACKed nor delivered; it closes with 4010 as the published clients do; the application
 * sees no {@code connected}; the sid is then blocked and counted in {@code cryo.sessions.blocked}.
 * (The CLIENT_HELLO on a path without CALE is in {@link LegacySessionEndToEndTests}; a CALE-on
 * client on a path without CALE and the end of a block are in
 * {@link LegacyCaleTimingEndToEndTests}.)
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.dialects.legacy.cale-paths=" + CaleClients.CALE_PATH)
@Timeout(60)
class LegacyCaleMismatchEndToEndTests {

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	@Autowired
	MeterRegistry registry;

	@Test
	void caleOffClientOnACalePathGetsServerHelloAndNothingElseAndItsSidIsBlocked() throws IOException {
		UUID uuid = UUID.randomUUID();
		SessionId sid = SessionId.of(uuid);
		try (RawLegacyClient client = RawLegacyClient.connect(this.port, CaleClients.CALE_PATH,
				DialectTestApplication.TOKEN, uuid.toString())) {
			// A CALE-off client sends at once (§4), possibly before it has read anything.
			client.send(RawLegacyFrames.utf8(uuid, 0, "echo:before the hello"));
			client.send(RawLegacyFrames.binary(uuid, 1, new byte[] { 1, 2, 3 }));
			Parsed hello = client.next();
			assertThat(hello.type()).isEqualTo(RawLegacyFrames.SERVER_HELLO);
			assertThat(hello.ack()).isZero();
			assertThat(hello.payload()).hasSize(RawCale.PUBLIC_KEY_LENGTH);
			client.send(RawLegacyFrames.utf8(uuid, 2, "echo:after the hello"));
			client.send(RawLegacyFrames.pingPong(uuid, 3, true));
			// What cryo-client-node 1.0.x and cryo-client-browser do on a SERVER_HELLO with CALE off (§7.5).
			client.closeWith(4010, CaleClients.CLIENT_HAS_CALE_OFF);
			assertThat(client.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(4010);
			// Everything the server sent came before its close: only the SERVER_HELLO, no ACK,
			// no echo, no pong.
			assertThat(client.poll(Duration.ZERO)).isNull();
		}
		CryoClients.awaitGone(this.server, sid);
		assertThat(this.events.events(sid, CryoSessionConnectedEvent.class)).isEmpty();
		assertThat(this.events.events(sid, CryoUtf8MessageEvent.class)).isEmpty();
		assertThat(this.events.events(sid, CryoBinaryMessageEvent.class)).isEmpty();
		CaleClients.assertBlocked(this.port, uuid);
		assertThat(this.registry.get("cryo.sessions.blocked").gauge().value()).isGreaterThanOrEqualTo(1);
	}

}
