package dev.cryo.sample;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.legacy.cale.CaleCipher;
import dev.cryo.core.dialect.legacy.cale.CaleKeys;
import dev.cryo.core.engine.SessionState;
import dev.cryo.sample.LegacyWire.Frame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CALE session captured from cryo-client-node 1.0.3 against cryo-server 2.7.4
 * ({@code vectors/legacy-v0.json} → {@code clientCaptureSessions} / {@code clientCaptures},
 * legacy-v0.md §7.1–§7.4, §9), checked with the server's own CALE implementation through its
 * public API ({@link CaleKeys}, {@link CaleCipher}): every captured encrypted message decrypts
 * with the logged keys to the frame the file says it is, and the captured plaintext handshake
 * frames drive a handshake with the sample's {@code /cryo-cale} (legacy-v0.md §10.3). Frames are
 * decoded with the tests' own {@link LegacyWire}. Same configuration as
 * {@link LegacyConformanceTests}, so they share one application context.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.endpoint-info-timeout=2s")
@DisplayName("Legacy v0 with CALE — the captured cryo-client-node 1.0.3 session")
@Timeout(60)
class LegacyCaleCaptureReplayConformanceTests extends ConformanceSupport {

	private static final String SESSION = "cryo-client-node-1.0.3-cale";

	private static final Map<String, Object> KEY_LOG = Vectors.legacyRead("$.clientCaptureSessions['" + SESSION + "']");

	private static final UUID SID = UUID.fromString((String) KEY_LOG.get("sid"));

	private static final Map<String, Integer> TYPES = Map.of("ACK", LegacyWire.ACK, "ERROR", LegacyWire.ERROR,
			"PING_PONG", LegacyWire.PING_PONG, "UTF8DATA", LegacyWire.UTF8DATA, "BINARYDATA", LegacyWire.BINARYDATA,
			"SERVER_HELLO", LegacyWire.SERVER_HELLO, "CLIENT_HELLO", LegacyWire.CLIENT_HELLO, "HANDSHAKE_DONE",
			LegacyWire.HANDSHAKE_DONE);

	@Autowired
	CryoServer server;

	@Test
	@DisplayName("§7.2: the key log is consistent — SHA-256 of the shared secret is the logged hash, its halves the "
			+ "logged server → client and client → server keys")
	void keyLogIsConsistent() {
		String secret = hex("sharedSecretHex");
		String hash = sha256(CryoWire.unhex(secret));
		assertThat(hash).isEqualTo(hex("sha256Hex"));
		assertThat(hex("serverToClientKeyHex")).isEqualTo(hash.substring(0, 32));
		assertThat(hex("clientToServerKeyHex")).isEqualTo(hash.substring(32));
		assertThat(hex("serverPublicKeyHex")).hasSize(130).startsWith("04");
		assertThat(hex("clientPublicKeyHex")).hasSize(130).startsWith("04");
	}

	@Test
	@DisplayName("§7.1, §7.3, §7.4: the session's captures in order — plaintext SERVER_HELLO, CLIENT_HELLO (carrying "
			+ "the logged public keys), both HANDSHAKE_DONE, then 7 encrypted messages, each decrypting with the "
			+ "server's CaleCipher and the logged keys to exactly the frame the file states, only with the receive "
			+ "key of its direction")
	void everyCapturedMessageDecryptsWithTheLoggedKeys() {
		List<Map<String, Object>> captures = Vectors.legacyList("$.clientCaptures[?(@.session == '" + SESSION + "')]");
		assertThat(captures).hasSize(11);
		assertThat(captures.stream().map((entry) -> ((Number) entry.get("messageIndex")).intValue()))
			.as("messageIndex order")
			.isSorted()
			.doesNotHaveDuplicates();

		List<CaleKeys> keySets = List.of(CaleKeys.fromSharedSecret(CryoWire.unhex(hex("sharedSecretHex"))),
				CaleKeys.of(CryoWire.unhex(hex("serverToClientKeyHex")), CryoWire.unhex(hex("clientToServerKeyHex"))));
		int encrypted = 0;
		int plaintext = 0;
		for (Map<String, Object> entry : captures) {
			String name = (String) entry.get("name");
			String type = (String) entry.get("type");
			boolean fromServer = directionIsServerToClient(entry);
			byte[] wire = CryoWire.unhex((String) entry.get("hex"));
			if (!type.startsWith("CALE(")) {
				// Handshake frames are plaintext (§7.1).
				plaintext++;
				assertThat(entry.get("messageIndex")).as(name).isEqualTo(plaintext - 1);
				Frame frame = new Frame(wire);
				checkFields(name, frame, type, entry);
				if (frame.is(LegacyWire.SERVER_HELLO) || frame.is(LegacyWire.CLIENT_HELLO)) {
					assertThat(fromServer).as(name).isEqualTo(frame.is(LegacyWire.SERVER_HELLO));
					assertThat(CryoWire.hex(frame.payload())).as(name)
						.isEqualTo(hex(fromServer ? "serverPublicKeyHex" : "clientPublicKeyHex"));
				}
				continue;
			}
			encrypted++;
			int counter = ((Number) entry.get("ivCounter")).intValue();
			assertThat(CryoWire.hex(wire).substring(0, 24)).as("%s: IV", name)
				.isEqualTo("0000000000000000" + String.format("%08x", counter));
			assertThat(wire[20] & 0xFF).as("%s: byte 20", name).isEqualTo(((Number) entry.get("byte20")).intValue());
			for (CaleKeys keys : keySets) {
				CaleCipher receiver = fromServer ? CaleCipher.forClient(keys) : CaleCipher.forServer(keys);
				CaleCipher sender = fromServer ? CaleCipher.forServer(keys) : CaleCipher.forClient(keys);
				byte[] plain = receiver.decrypt(wire);
				assertThat(plain).as("%s decrypts with the receive key of its direction", name).isNotNull();
				assertThat(CryoWire.hex(plain)).as(name).isEqualTo(entry.get("plaintextHex"));
				// The buffer form as the session layer uses it: same frame, position untouched.
				ByteBuffer buffer = ByteBuffer.wrap(wire);
				assertThat(receiver.decrypt(buffer)).isEqualTo(ByteBuffer.wrap(plain));
				assertThat(buffer.position()).isZero();
				assertThat(sender.decrypt(wire)).as("%s with the other direction's key", name).isNull();
				checkFields(name, new Frame(plain), type.substring(5, type.length() - 1), entry);
				if (!fromServer) {
					// The client emits whatever the counter gives, byte 20 ≤ 7 included.
					assertThat(CaleCipher.forClient(keys).encryptWithCounter(plain, counter)).as(name).isEqualTo(wire);
				}
				else {
					// Every captured server message would pass our byte-20 rule unchanged (§10.4).
					assertThat(wire[20] & 0xFF).as(name).isGreaterThan(LegacyWire.HANDSHAKE_DONE);
				}
			}
			// A tampered message does not authenticate.
			byte[] tampered = wire.clone();
			tampered[tampered.length - 1] ^= 1;
			assertThat(CaleCipher.forServer(keySets.get(0)).decrypt(tampered)).isNull();
			assertThat(CaleCipher.forClient(keySets.get(0)).decrypt(tampered)).isNull();
		}
		assertThat(plaintext).isEqualTo(4);
		assertThat(encrypted).isEqualTo(7);
	}

	@Test
	@DisplayName("§7.4, §10.4: the client's ACK(5) whose byte 20 is 3 — which 2.x misrouted as UTF8DATA, answering "
			+ "with a garbage ACK and echo — is an ordinary ACK(5) for our decrypt-first receiver")
	void misroutedAckIsAnOrdinaryAckForDecryptFirst() {
		Map<String, Object> misrouted = capture(SESSION + "/misrouted-client-ack");
		byte[] wire = CryoWire.unhex((String) misrouted.get("hex"));
		assertThat(wire[20] & 0xFF).isEqualTo(LegacyWire.UTF8DATA);
		byte[] plain = CaleCipher.forServer(CaleKeys.fromSharedSecret(CryoWire.unhex(hex("sharedSecretHex"))))
			.decrypt(wire);
		assertThat(plain).isNotNull();
		Frame frame = new Frame(plain);
		assertThat(frame.isAck(5)).as("%s", frame).isTrue();
		assertThat(frame.bytes()).hasSize(LegacyWire.HEADER);

		// 2.x's garbage ACK carries bytes 16–19 of the ciphertext as its number.
		Map<String, Object> garbage = capture(SESSION + "/server-garbage-ack");
		byte[] garbagePlain = CaleCipher.forClient(CaleKeys.fromSharedSecret(CryoWire.unhex(hex("sharedSecretHex"))))
			.decrypt(CryoWire.unhex((String) garbage.get("hex")));
		assertThat(garbagePlain).isNotNull();
		assertThat(new Frame(garbagePlain).ack()).isEqualTo(ByteBuffer.wrap(wire).getInt(16) & CryoWire.U32_MAX);
	}

	@Test
	@DisplayName("§7.1, §10.3: replayed against /cryo-cale with the captured sid, the captured CLIENT_HELLO is "
			+ "answered with a HANDSHAKE_DONE byte-identical to the captured one, and the captured client "
			+ "HANDSHAKE_DONE connects the session")
	void capturedHandshakeFramesAgainstTheSample() {
		try (LegacyCaleClient client = LegacyCaleClient.connect(this.port, LegacyCaleConformanceTests.CALE_PATH, SID)) {
			Frame hello = client.expectServerHello();
			assertThat(CryoWire.hex(hello.payload())).as("a fresh key pair per session, not 2.x's")
				.isNotEqualTo(hex("serverPublicKeyHex"));
			assertThat(CryoWire.hex(hello.bytes()).substring(0, 42))
				.isEqualTo(((String) capture(SESSION + "/server-hello").get("hex")).substring(0, 42));
			client.send(CryoWire.unhex((String) capture(SESSION + "/client-hello").get("hex")));
			Frame done = client.nextPlain();
			assertThat(CryoWire.hex(done.bytes())).isEqualTo(capture(SESSION + "/server-handshake-done").get("hex"));
			assertThat(this.server.session(SessionId.of(SID)).map(CryoSession::state))
				.as("live, but not open before the client's HANDSHAKE_DONE")
				.contains(SessionState.HANDSHAKING);
			client.send(CryoWire.unhex((String) capture(SESSION + "/client-handshake-done").get("hex")));
			DialectConformanceTests.awaitCondition("the replayed session to open",
					() -> this.server.session(SessionId.of(SID)).map(CryoSession::state).orElse(null) == SessionState.OPEN);
			client.sendClose(4000, LegacyCaleClient.CLIENT_FINISHED);
			assertThat(client.awaitClose().code()).isEqualTo(4000);
			DialectConformanceTests.awaitCondition("the replayed session to end",
					() -> this.server.session(SessionId.of(SID)).isEmpty());
		}
	}

	private static void checkFields(String name, Frame frame, String type, Map<String, Object> entry) {
		@SuppressWarnings("unchecked")
		Map<String, Object> fields = (Map<String, Object>) entry
			.get(entry.containsKey("plaintextFields") ? "plaintextFields" : "fields");
		assertThat(frame.sid()).as("%s: sid", name).isEqualTo(SID).isEqualTo(UUID.fromString((String) fields.get("sid")));
		assertThat(frame.ack()).as("%s: ack", name).isEqualTo(((Number) fields.get("ack")).longValue());
		assertThat(frame.type()).as("%s: type %s", name, type).isEqualTo(TYPES.get(type));
		if (fields.containsKey("payloadHex")) {
			assertThat(CryoWire.hex(frame.payload())).as("%s: payload", name).isEqualTo(fields.get("payloadHex"));
		}
		if (fields.containsKey("payload")) {
			assertThat(frame.text()).as("%s: payload", name).isEqualTo(fields.get("payload"));
		}
		if (fields.containsKey("payloadText")) {
			assertThat(frame.text()).as("%s: text", name).isEqualTo(fields.get("payloadText"));
		}
	}

	private static boolean directionIsServerToClient(Map<String, Object> entry) {
		String direction = (String) entry.get("direction");
		assertThat(direction).isIn("client->server", "server->client");
		return direction.equals("server->client");
	}

	private static Map<String, Object> capture(String name) {
		List<Map<String, Object>> matches = Vectors.legacyList("$.clientCaptures[?(@.name == '" + name + "')]");
		assertThat(matches).as(name).hasSize(1);
		return matches.get(0);
	}

	private static String hex(String field) {
		Object value = KEY_LOG.get(field);
		assertThat(value).as(field).isInstanceOf(String.class);
		return (String) value;
	}

}
