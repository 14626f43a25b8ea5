package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.boot.autoconfigure.endpoint.CryoEndpoint;
import dev.cryo.core.SessionId;
import dev.cryo.core.engine.SessionState;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.test.RawCale;
import dev.cryo.test.RawCaleClient;
import dev.cryo.test.RawCryoClient.Close;
import dev.cryo.test.RawLegacyFrames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CALE handshake on a real server and how it fails (legacy-v0.md §7.1, §7.2, §10.3, §10.6,
 * §10.7): CLIENT_HELLOs whose key is not on the curve, has the wrong prefix or the wrong length
 * and handshake frames out of order end in 4011 without a {@code connected} and block the sid,
 * while the server goes on serving others; a client that takes its time before CLIENT_HELLO
 * still completes; and a CALE session is a {@code legacy-v0} session for the actuator and the
 * metrics.
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.dialects.legacy.cale-paths=" + CaleClients.CALE_PATH)
@Timeout(60)
class LegacyCaleHandshakeEndToEndTests {

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	@Autowired
	MeterRegistry registry;

	// ---- invalid keys (§10.3 rule 2)

	static Stream<Arguments> invalidKeys() {
		byte[] valid = RawCale.publicKey(RawCale.generateKeyPair());
		byte[] notOnTheCurve = new byte[65];
		notOnTheCurve[0] = 0x04;
		notOnTheCurve[32] = 1;
		notOnTheCurve[64] = 1;
		byte[] zeros = new byte[65];
		zeros[0] = 0x04;
		byte[] compressedPrefix = valid.clone();
		compressedPrefix[0] = 0x02;
		byte[] otherPrefix = valid.clone();
		otherPrefix[0] = 0x05;
		byte[] xBeyondThePrime = new byte[65];
		Arrays.fill(xBeyondThePrime, (byte) 0xFF);
		xBeyondThePrime[0] = 0x04;
		byte[] compressed = Arrays.copyOf(valid, 33);
		compressed[0] = (byte) (0x02 + (valid[64] & 1));
		return Stream.of(Arguments.of(Named.of("(1, 1), not on the curve", notOnTheCurve)),
				Arguments.of(Named.of("all zeros, the point at infinity", zeros)),
				Arguments.of(Named.of("coordinates of 0xff, beyond the field prime", xBeyondThePrime)),
				Arguments.of(Named.of("a valid point with prefix 0x02", compressedPrefix)),
				Arguments.of(Named.of("a valid point with prefix 0x05", otherPrefix)),
				Arguments.of(Named.of("a valid point compressed, 33 bytes", compressed)),
				Arguments.of(Named.of("64 bytes of a valid point", Arrays.copyOf(valid, 64))),
				Arguments.of(Named.of("a valid point and one more byte", Arrays.copyOf(valid, 66))),
				Arguments.of(Named.of("no key at all", new byte[0])));
	}

	@ParameterizedTest(name = "[{index}] {0}")
	@MethodSource("invalidKeys")
	void invalidClientKeyIs4011AndBlocksTheSid(byte[] key) throws IOException {
		UUID uuid = UUID.randomUUID();
		SessionId sid = SessionId.of(uuid);
		try (RawCaleClient client = CaleClients.connect(this.port, uuid)) {
			client.awaitServerHello();
			client.sendClientHello(key);
			assertThat(client.awaitClose(Duration.ofSeconds(5))).isEqualTo(new Close(4011, CaleClients.HANDSHAKE_FAILED));
			// No HANDSHAKE_DONE, nothing at all after the SERVER_HELLO.
			assertThat(client.pollRaw(Duration.ZERO)).isNull();
		}
		CryoClients.awaitGone(this.server, sid);
		assertThat(this.events.events(sid, CryoSessionConnectedEvent.class)).isEmpty();
		// §10.6: a reconnect with the sid is refused, on either path.
		CaleClients.assertBlocked(this.port, uuid);
		// The server survived the key (unlike 2.x, §7.1) and serves the next client.
		assertEchoes(UUID.randomUUID());
	}

	// ---- handshake frames out of order (§10.3 rule 4)

	@Test
	void handshakeDoneBeforeClientHelloIs4011() throws IOException {
		UUID uuid = UUID.randomUUID();
		try (RawCaleClient client = CaleClients.connect(this.port, uuid)) {
			client.awaitServerHello();
			client.sendHandshakeDone(0);
			assertThat(client.awaitClose(Duration.ofSeconds(5))).isEqualTo(new Close(4011, CaleClients.HANDSHAKE_FAILED));
		}
		CaleClients.assertBlocked(this.port, uuid);
	}

	@Test
	void serverHelloFromTheClientIs4011() {
		UUID uuid = UUID.randomUUID();
		try (RawCaleClient client = CaleClients.connect(this.port, uuid)) {
			client.awaitServerHello();
			client.sendRaw(RawLegacyFrames.frame(uuid, 0, RawLegacyFrames.SERVER_HELLO,
					RawCale.publicKey(RawCale.generateKeyPair())));
			assertThat(client.awaitClose(Duration.ofSeconds(5))).isEqualTo(new Close(4011, CaleClients.HANDSHAKE_FAILED));
		}
	}

	@Test
	void secondClientHelloIs4011() {
		UUID uuid = UUID.randomUUID();
		try (RawCaleClient client = CaleClients.connect(this.port, uuid)) {
			client.awaitServerHello();
			client.sendClientHello();
			client.awaitHandshakeDone();
			client.sendClientHello();
			assertThat(client.awaitClose(Duration.ofSeconds(5))).isEqualTo(new Close(4011, CaleClients.HANDSHAKE_FAILED));
		}
		assertThat(this.events.events(SessionId.of(uuid), CryoSessionConnectedEvent.class)).isEmpty();
	}

	@Test
	void handshakeFrameInEncryptedModeIs4011() {
		UUID uuid = UUID.randomUUID();
		try (RawCaleClient client = CaleClients.ready(this.port, uuid, this.events)) {
			client.sendFrame(RawLegacyFrames.frame(uuid, 0, RawLegacyFrames.HANDSHAKE_DONE, new byte[] { 'n', 'u', 'l', 'l' }));
			assertThat(client.awaitClose(Duration.ofSeconds(5))).isEqualTo(new Close(4011, CaleClients.HANDSHAKE_FAILED));
		}
	}

	// ---- a slow client (§10.3 rule 6)

	@Test
	void clientThatWaitsBeforeItsClientHelloStillCompletes() {
		UUID uuid = UUID.randomUUID();
		SessionId sid = SessionId.of(uuid);
		try (RawCaleClient client = CaleClients.connect(this.port, uuid)) {
			client.awaitServerHello();
			// A second and a half of silence, in which the server sends nothing either.
			assertThat(client.pollRaw(Duration.ofMillis(1500))).isNull();
			assertThat(this.events.events(sid, CryoSessionConnectedEvent.class)).isEmpty();
			client.sendClientHello();
			client.sendHandshakeDone(client.awaitHandshakeDone().ack()).startEncrypting();
			this.events.await(sid, CryoSessionConnectedEvent.class);
			client.sendFrame(RawLegacyFrames.utf8(uuid, 1, "echo:late but fine"));
			assertThat(CaleClients.nextData(client).text()).isEqualTo("late but fine");
		}
	}

	// ---- what the application sees (§10.7)

	@Test
	void caleSessionIsALegacySessionForTheActuatorAndTheMetrics() {
		UUID uuid = UUID.randomUUID();
		SessionId sid = SessionId.of(uuid);
		double openedBefore = this.registry.get("cryo.sessions.opened").tag("dialect", "legacy-v0").counter().count();
		try (RawCaleClient client = CaleClients.connect(this.port, uuid)) {
			client.awaitServerHello();
			CryoEndpoint endpoint = new CryoEndpoint(this.server);
			// During the handshake the session exists but is not open.
			CryoClients.session(this.server, sid);
			assertThat(endpoint.session(uuid.toString()).state()).isEqualTo(SessionState.HANDSHAKING);
			client.sendClientHello();
			client.sendHandshakeDone(client.awaitHandshakeDone().ack()).startEncrypting();
			this.events.await(sid, CryoSessionConnectedEvent.class);
			CryoSession session = CryoClients.session(this.server, sid);
			assertThat(session.dialect()).isEqualTo("legacy-v0");
			assertThat(session.idString()).isEqualTo(uuid.toString());
			CryoEndpoint.SessionDescriptor described = endpoint.session(uuid.toString());
			assertThat(described.dialect()).isEqualTo("legacy-v0");
			assertThat(described.state()).isEqualTo(SessionState.OPEN);
			assertThat(endpoint.cryo().summary().dialects()).containsKey("legacy-v0");
			assertThat(this.registry.get("cryo.sessions.active").tag("dialect", "legacy-v0").gauge().value())
				.isGreaterThanOrEqualTo(1);
			assertThat(this.registry.get("cryo.sessions.opened").tag("dialect", "legacy-v0").counter().count())
				.isEqualTo(openedBefore + 1);
		}
	}

	private void assertEchoes(UUID uuid) {
		try (RawCaleClient client = CaleClients.ready(this.port, uuid, this.events)) {
			client.sendFrame(RawLegacyFrames.utf8(uuid, 1, "echo:still here"));
			assertThat(CaleClients.nextData(client).text()).isEqualTo("still here");
		}
	}

}
