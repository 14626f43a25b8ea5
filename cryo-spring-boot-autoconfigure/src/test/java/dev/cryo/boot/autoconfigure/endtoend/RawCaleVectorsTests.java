package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.test.RawCale;
import dev.cryo.test.RawCale.Keys;
import dev.cryo.test.RawLegacyFrames;
import dev.cryo.test.RawLegacyFrames.Parsed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link RawCale}, the test clients' own CALE, against {@code vectors/legacy-v0.json} (copied from
 * {@code shared/protocol/vectors} into the test resources) byte for byte: keys derived from the
 * fixed private keys, every encrypted message of {@code cale.encrypted} encrypted and decrypted
 * again, and the captured cryo-client-node 1.0.3 session decrypted with its key log. End-to-end
 * tests rely on it to judge the server's CALE, so it must match the document, not the server.
 */
class RawCaleVectorsTests {

	private static final HexFormat HEX = HexFormat.of();

	private static final JsonNode VECTORS = load();

	private static final JsonNode CALE = VECTORS.path("cale");

	private static final String SESSION = "cryo-client-node-1.0.3-cale";

	@Test
	void fixedPrivateKeysGiveThePublicKeysOfTheDocument() {
		KeyPair server = RawCale.keyPair(text(CALE, "serverPrivateKeyHex"));
		KeyPair client = RawCale.keyPair(text(CALE, "clientPrivateKeyHex"));
		assertThat(hex(RawCale.publicKey(server))).isEqualTo(text(CALE, "serverPublicKeyHex"));
		assertThat(hex(RawCale.publicKey(client))).isEqualTo(text(CALE, "clientPublicKeyHex"));
	}

	@Test
	void bothSidesAgreeOnTheSecretHashAndKeysOfTheDocument() {
		KeyPair server = RawCale.keyPair(text(CALE, "serverPrivateKeyHex"));
		KeyPair client = RawCale.keyPair(text(CALE, "clientPrivateKeyHex"));
		Keys serverSide = RawCale.keys(server.getPrivate(), bytes(CALE, "clientPublicKeyHex"));
		Keys clientSide = RawCale.keys(client.getPrivate(), bytes(CALE, "serverPublicKeyHex"));
		for (Keys keys : List.of(serverSide, clientSide)) {
			assertThat(hex(keys.sharedSecret())).isEqualTo(text(CALE, "sharedSecretHex"));
			assertThat(hex(keys.hash())).isEqualTo(text(CALE, "sha256Hex"));
		}
		// Each side's transmit key is the other's receive key (§7.2).
		assertThat(hex(serverSide.serverToClient())).isEqualTo(text(CALE, "serverTxKeyHex"))
			.isEqualTo(text(CALE, "clientRxKeyHex"));
		assertThat(hex(serverSide.clientToServer())).isEqualTo(text(CALE, "serverRxKeyHex"))
			.isEqualTo(text(CALE, "clientTxKeyHex"));
		assertThat(clientSide.serverToClient()).isEqualTo(serverSide.serverToClient());
		assertThat(clientSide.clientToServer()).isEqualTo(serverSide.clientToServer());
	}

	@Test
	void handshakeFramesAreBuiltFromThePublicKeysAndNull() {
		JsonNode handshake = CALE.path("handshake");
		assertThat(handshake).hasSize(4);
		List<String> types = new ArrayList<>();
		for (JsonNode step : handshake) {
			byte[] message = bytes(step, "hex");
			Parsed parsed = RawLegacyFrames.parse(message);
			types.add(text(step, "type"));
			assertThat(parsed.ack()).isEqualTo(step.path("ack").asInt());
			assertThat(hex(parsed.payload())).isEqualTo(text(step, "payloadHex"));
			assertThat(RawLegacyFrames.frame(parsed.sid(), parsed.ack(), parsed.type(), parsed.payload()))
				.isEqualTo(message);
		}
		assertThat(types).containsExactly("SERVER_HELLO", "CLIENT_HELLO", "HANDSHAKE_DONE", "HANDSHAKE_DONE");
		assertThat(text(handshake.get(0), "payloadHex")).isEqualTo(text(CALE, "serverPublicKeyHex"));
		assertThat(text(handshake.get(1), "payloadHex")).isEqualTo(text(CALE, "clientPublicKeyHex"));
		assertThat(bytes(handshake.get(2), "payloadHex")).isEqualTo("null".getBytes(StandardCharsets.US_ASCII));
		assertThat(bytes(handshake.get(3), "payloadHex")).isEqualTo("null".getBytes(StandardCharsets.US_ASCII));
	}

	@Test
	void everyEncryptedMessageOfTheDocumentIsReproducedByteForByte() {
		assertThat(CALE.path("encrypted")).hasSize(4);
		for (JsonNode entry : CALE.path("encrypted")) {
			int counter = entry.path("nonce").asInt();
			byte[] message = RawCale.encrypt(transmitKey(entry), counter, bytes(entry, "plaintextHex"));
			String name = text(entry, "name");
			assertThat(hex(RawCale.iv(counter))).as(name).isEqualTo(text(entry, "ivHex"));
			assertThat(hex(message)).as(name).isEqualTo(text(entry, "wireHex"));
			assertThat(hex(Arrays.copyOfRange(message, 12, message.length - 16))).as(name)
				.isEqualTo(text(entry, "ciphertextHex"));
			assertThat(hex(Arrays.copyOfRange(message, message.length - 16, message.length))).as(name)
				.isEqualTo(text(entry, "tagHex"));
		}
	}

	@Test
	void everyEncryptedMessageOfTheDocumentDecryptsWithItsDirectionsKeyOnly() {
		Keys keys = fixedKeys();
		for (JsonNode entry : CALE.path("encrypted")) {
			byte[] message = bytes(entry, "wireHex");
			byte[] key = transmitKey(entry);
			byte[] otherKey = Arrays.equals(key, keys.serverToClient()) ? keys.clientToServer() : keys.serverToClient();
			String name = text(entry, "name");
			assertThat(RawCale.ivCounter(message)).as(name).isEqualTo(entry.path("nonce").asLong());
			assertThat(RawCale.decrypt(key, message)).as(name).isEqualTo(bytes(entry, "plaintextHex"));
			assertThat(RawCale.decrypt(otherKey, message)).as(name).isNull();
		}
	}

	@Test
	void tamperedOrTooShortMessagesDoNotDecrypt() {
		JsonNode entry = CALE.path("encrypted").get(0);
		byte[] key = transmitKey(entry);
		byte[] message = bytes(entry, "wireHex");
		for (int index : new int[] { 0, 11, 12, message.length - 17, message.length - 1 }) {
			byte[] tampered = message.clone();
			tampered[index] ^= 0x01;
			assertThat(RawCale.decrypt(key, tampered)).as("bit flipped at %d", index).isNull();
		}
		assertThat(RawCale.decrypt(key, Arrays.copyOf(message, 27))).isNull();
		// An empty frame still makes a valid 28-byte message: the lower bound is the overhead.
		assertThat(RawCale.decrypt(key, RawCale.encrypt(key, 7, new byte[0]))).isEmpty();
	}

	@Test
	void misroutedCiphertextExampleIsAClientMessageWhoseByte20LooksLikeAType() {
		JsonNode example = CALE.path("misroutedCiphertextExample");
		byte[] message = bytes(example, "wireHex");
		assertThat(message[20] & 0xFF).isEqualTo(example.path("byte20").asInt());
		assertThat(RawCale.looksLikePlaintext(message)).isTrue();
		assertThat(RawCale.ivCounter(message)).isEqualTo(example.path("nonce").asLong());
		byte[] plain = RawCale.decrypt(fixedKeys().clientToServer(), message);
		assertThat(plain).isNotNull();
		assertThat(RawCale.encrypt(fixedKeys().clientToServer(), example.path("nonce").asInt(), plain))
			.isEqualTo(message);
		assertThat(RawCale.decrypt(fixedKeys().serverToClient(), message)).isNull();
	}

	@Test
	void capturedSessionKeyLogGivesItsHashAndKeys() {
		JsonNode session = onlyCaleSession();
		Keys keys = RawCale.keys(bytes(session, "sharedSecretHex"));
		assertThat(hex(keys.hash())).isEqualTo(text(session, "sha256Hex"));
		assertThat(hex(keys.serverToClient())).isEqualTo(text(session, "serverToClientKeyHex"));
		assertThat(hex(keys.clientToServer())).isEqualTo(text(session, "clientToServerKeyHex"));
		// The logged keys must be valid points for the handshake they came from.
		assertThat(RawCale.publicKey(RawCale.decodePublicKey(bytes(session, "serverPublicKeyHex"))))
			.isEqualTo(bytes(session, "serverPublicKeyHex"));
		assertThat(RawCale.publicKey(RawCale.decodePublicKey(bytes(session, "clientPublicKeyHex"))))
			.isEqualTo(bytes(session, "clientPublicKeyHex"));
	}

	@Test
	void capturedSessionDecryptsFrameByFrameToWhatTheDocumentSays() {
		JsonNode session = onlyCaleSession();
		Keys keys = RawCale.keys(bytes(session, "sharedSecretHex"));
		UUID sid = UUID.fromString(text(session, "sid"));
		int plaintext = 0;
		int encrypted = 0;
		int lastIndex = -1;
		for (JsonNode capture : captures(SESSION)) {
			String name = text(capture, "name");
			byte[] message = bytes(capture, "hex");
			int index = capture.path("messageIndex").asInt();
			assertThat(index).as(name).isGreaterThan(lastIndex);
			lastIndex = index;
			boolean fromServer = "server->client".equals(text(capture, "direction"));
			if (capture.has("ivCounter")) {
				encrypted++;
				byte[] key = fromServer ? keys.serverToClient() : keys.clientToServer();
				byte[] otherKey = fromServer ? keys.clientToServer() : keys.serverToClient();
				assertThat(RawCale.ivCounter(message)).as(name).isEqualTo(capture.path("ivCounter").asLong());
				assertThat(message[20] & 0xFF).as(name).isEqualTo(capture.path("byte20").asInt());
				byte[] plain = RawCale.decrypt(key, message);
				assertThat(plain).as(name).isNotNull();
				assertThat(hex(plain)).as(name).isEqualTo(text(capture, "plaintextHex"));
				assertThat(RawCale.decrypt(otherKey, message)).as(name).isNull();
				assertFields(name, RawLegacyFrames.parse(plain), capture.path("plaintextFields"), sid);
				assertThat(text(capture, "type")).as(name).isEqualTo("CALE(" + typeName(plain[20]) + ")");
			}
			else {
				plaintext++;
				Parsed parsed = RawLegacyFrames.parse(message);
				assertFields(name, parsed, capture.path("fields"), sid);
				assertThat(text(capture, "type")).as(name).isEqualTo(typeName(message[20]));
				// Handshake frames are never encrypted: none of them authenticates.
				assertThat(RawCale.decrypt(keys.serverToClient(), message)).as(name).isNull();
				assertThat(RawCale.decrypt(keys.clientToServer(), message)).as(name).isNull();
			}
		}
		assertThat(plaintext).isEqualTo(4);
		assertThat(encrypted).isEqualTo(7);
		assertThat(hex(RawLegacyFrames.parse(capture(SESSION, "server-hello")).payload()))
			.isEqualTo(text(session, "serverPublicKeyHex"));
		assertThat(hex(RawLegacyFrames.parse(capture(SESSION, "client-hello")).payload()))
			.isEqualTo(text(session, "clientPublicKeyHex"));
	}

	@Test
	void capturedServerReactionRepeatsTheMisroutedCiphertext() {
		JsonNode session = onlyCaleSession();
		Keys keys = RawCale.keys(bytes(session, "sharedSecretHex"));
		byte[] misrouted = capture(SESSION, "misrouted-client-ack");
		assertThat(RawCale.looksLikePlaintext(misrouted)).isTrue();
		Parsed garbageAck = RawLegacyFrames
			.parse(RawCale.decrypt(keys.serverToClient(), capture(SESSION, "server-garbage-ack")));
		Parsed garbageEcho = RawLegacyFrames
			.parse(RawCale.decrypt(keys.serverToClient(), capture(SESSION, "server-garbage-echo")));
		// The 2.x server read bytes 16-19 of the ciphertext as the "ack" and bytes 21.. as text.
		assertThat(garbageAck.type()).isEqualTo(RawLegacyFrames.ACK);
		assertThat(garbageAck.ack()).isEqualTo(RawLegacyFrames.parse(misrouted).ack());
		assertThat(garbageEcho.type()).isEqualTo(RawLegacyFrames.UTF8DATA);
		String asText = new String(RawLegacyFrames.parse(misrouted).payload(), StandardCharsets.UTF_8);
		assertThat(garbageEcho.payload()).isEqualTo(asText.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void decodePublicKeyRefusesWhatIsNotAnUncompressedP256Point() {
		byte[] valid = bytes(CALE, "serverPublicKeyHex");
		assertThat(RawCale.publicKey(RawCale.decodePublicKey(valid))).isEqualTo(valid);
		byte[] compressedPrefix = valid.clone();
		compressedPrefix[0] = 0x02;
		assertThatIllegalArgumentException().isThrownBy(() -> RawCale.decodePublicKey(compressedPrefix))
			.withMessageContaining("0x04");
		byte[] offCurve = valid.clone();
		offCurve[64] ^= 0x01;
		assertThatIllegalArgumentException().isThrownBy(() -> RawCale.decodePublicKey(offCurve))
			.withMessageContaining("not on P-256");
		assertThatIllegalArgumentException().isThrownBy(() -> RawCale.decodePublicKey(Arrays.copyOf(valid, 64)))
			.withMessageContaining("65 bytes");
		byte[] zeros = new byte[65];
		zeros[0] = 0x04;
		assertThatIllegalArgumentException().isThrownBy(() -> RawCale.decodePublicKey(zeros));
	}

	@Test
	void generatedKeyPairsAgreeWithEachOther() {
		KeyPair first = RawCale.generateKeyPair();
		KeyPair second = RawCale.generateKeyPair();
		assertThat(RawCale.publicKey(first)).hasSize(65).startsWith(0x04);
		Keys one = RawCale.keys(first.getPrivate(), RawCale.publicKey(second));
		Keys other = RawCale.keys(second.getPrivate(), RawCale.publicKey(first));
		assertThat(one.sharedSecret()).hasSize(32).isEqualTo(other.sharedSecret());
		assertThat(one.serverToClient()).isEqualTo(other.serverToClient());
	}

	private static void assertFields(String name, Parsed parsed, JsonNode fields, UUID sid) {
		assertThat(parsed.sid()).as(name).isEqualTo(sid).isEqualTo(UUID.fromString(text(fields, "sid")));
		assertThat(Integer.toUnsignedLong(parsed.ack())).as(name).isEqualTo(fields.path("ack").asLong());
		if (fields.has("payloadHex")) {
			assertThat(hex(parsed.payload())).as(name).isEqualTo(text(fields, "payloadHex"));
		}
		if (fields.has("payload")) {
			assertThat(parsed.text()).as(name).isEqualTo(text(fields, "payload"));
		}
		if (fields.has("payloadText")) {
			assertThat(parsed.text()).as(name).isEqualTo(text(fields, "payloadText"));
		}
	}

	private static String typeName(byte type) {
		return List.of("ACK", "ERROR", "PING_PONG", "UTF8DATA", "BINARYDATA", "SERVER_HELLO", "CLIENT_HELLO",
				"HANDSHAKE_DONE")
			.get(type);
	}

	private static Keys fixedKeys() {
		return RawCale.keys(RawCale.keyPair(text(CALE, "serverPrivateKeyHex")).getPrivate(),
				bytes(CALE, "clientPublicKeyHex"));
	}

	private static byte[] transmitKey(JsonNode entry) {
		Keys keys = fixedKeys();
		return switch (text(entry, "direction")) {
			case "server->client" -> keys.serverToClient();
			case "client->server" -> keys.clientToServer();
			default -> throw new IllegalArgumentException("Unknown direction in " + entry);
		};
	}

	/** The document's single CALE session; its captures carry its name. */
	private static JsonNode onlyCaleSession() {
		JsonNode sessions = VECTORS.path("clientCaptureSessions");
		assertThat(sessions.propertyNames()).containsExactly(SESSION);
		return sessions.path(SESSION);
	}

	private static List<JsonNode> captures(String session) {
		List<JsonNode> captures = new ArrayList<>();
		for (JsonNode capture : VECTORS.path("clientCaptures")) {
			if (session.equals(capture.path("session").asString(""))) {
				captures.add(capture);
			}
		}
		assertThat(captures).isNotEmpty();
		return captures;
	}

	private static byte[] capture(String session, String suffix) {
		for (JsonNode capture : captures(session)) {
			if (text(capture, "name").equals(session + "/" + suffix)) {
				return bytes(capture, "hex");
			}
		}
		throw new IllegalArgumentException("No capture " + session + "/" + suffix);
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		if (!value.isString()) {
			throw new IllegalArgumentException("No text field " + field + " in " + node);
		}
		return value.asString();
	}

	private static byte[] bytes(JsonNode node, String field) {
		return HEX.parseHex(text(node, field));
	}

	private static String hex(byte[] bytes) {
		return HEX.formatHex(bytes);
	}

	private static JsonNode load() {
		try (InputStream in = RawCaleVectorsTests.class.getResourceAsStream("/vectors/legacy-v0.json")) {
			if (in == null) {
				throw new IllegalStateException("/vectors/legacy-v0.json is missing from the test resources");
			}
			return JsonMapper.builder().build().readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
