package dev.cryo.core.dialect.legacy.cale;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import dev.cryo.core.frame.Hex;
import dev.cryo.core.frame.VectorFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CALE part of {@code vectors/legacy-v0.json} byte for byte: the fixed-key handshake of
 * {@code cale} (public keys, shared secret, hash, directional keys, encrypted messages both ways,
 * the misrouted ciphertext) and the captured cryo-client-node 1.0.3 session of
 * {@code clientCaptureSessions} / {@code clientCaptures} with its key log (legacy-v0.md §7).
 */
class CaleVectorsTests {

	private static final VectorFile VECTORS = VectorFile.load("legacy-v0.json");

	private static final JsonNode CALE = VECTORS.node("cale");

	private static final String CAPTURED_SESSION = "cryo-client-node-1.0.3-cale";

	private static final JsonNode KEY_LOG = VECTORS.node("clientCaptureSessions", CAPTURED_SESSION);

	private static final CaleKeyPair SERVER = CaleKeyPair.fromPrivateKey(hex(CALE, "serverPrivateKeyHex"));

	private static final CaleKeyPair CLIENT = CaleKeyPair.fromPrivateKey(hex(CALE, "clientPrivateKeyHex"));

	@Test
	void publicKeysOfTheFixedPrivateKeysAreTheVectors() throws CaleKeyException {
		assertThat(Hex.of(SERVER.publicKey().encoded())).isEqualTo(CALE.path("serverPublicKeyHex").stringValue());
		assertThat(Hex.of(CLIENT.publicKey().encoded())).isEqualTo(CALE.path("clientPublicKeyHex").stringValue());
		// The vector encodings are accepted by the strict decoder and are the same keys.
		assertThat(CalePublicKey.decode(hex(CALE, "serverPublicKeyHex"))).isEqualTo(SERVER.publicKey());
		assertThat(CalePublicKey.decode(hex(CALE, "clientPublicKeyHex"))).isEqualTo(CLIENT.publicKey());
	}

	@Test
	void bothSidesDeriveTheSecretTheHashAndTheDirectionalKeysOfTheVectors() throws CaleKeyException {
		byte[] serverSecret = CaleKeys.sharedSecret(SERVER, CalePublicKey.decode(hex(CALE, "clientPublicKeyHex")));
		byte[] clientSecret = CaleKeys.sharedSecret(CLIENT, CalePublicKey.decode(hex(CALE, "serverPublicKeyHex")));
		assertThat(Hex.of(serverSecret)).isEqualTo(CALE.path("sharedSecretHex").stringValue());
		assertThat(clientSecret).isEqualTo(serverSecret);
		assertThat(Hex.of(CaleKeys.hash(serverSecret))).isEqualTo(CALE.path("sha256Hex").stringValue());

		CaleKeys serverKeys = CaleKeys.agree(SERVER, CLIENT.publicKey());
		CaleKeys clientKeys = CaleKeys.agree(CLIENT, SERVER.publicKey());
		for (CaleKeys keys : List.of(serverKeys, clientKeys)) {
			assertThat(Hex.of(keys.transmitKey(CaleRole.SERVER).getEncoded())).isEqualTo(CALE.path("serverTxKeyHex").stringValue());
			assertThat(Hex.of(keys.receiveKey(CaleRole.SERVER).getEncoded())).isEqualTo(CALE.path("serverRxKeyHex").stringValue());
			assertThat(Hex.of(keys.transmitKey(CaleRole.CLIENT).getEncoded())).isEqualTo(CALE.path("clientTxKeyHex").stringValue());
			assertThat(Hex.of(keys.receiveKey(CaleRole.CLIENT).getEncoded())).isEqualTo(CALE.path("clientRxKeyHex").stringValue());
			assertThat(Hex.of(keys.serverToClientKey())).isEqualTo(CALE.path("serverTxKeyHex").stringValue());
			assertThat(Hex.of(keys.clientToServerKey())).isEqualTo(CALE.path("clientTxKeyHex").stringValue());
		}
	}

	@Test
	void theHelloFramesCarryTheEncodedPublicKeys() throws CaleKeyException {
		for (JsonNode step : VECTORS.group("cale", "handshake")) {
			byte[] frame = hex(step, "hex");
			String type = step.path("type").stringValue();
			if (type.endsWith("HELLO")) {
				// Frame layout (legacy-v0.md §3): sid 16, ack u32 @16, type u8 @20, payload @21.
				byte[] payload = Arrays.copyOfRange(frame, 21, frame.length);
				assertThat(frame).hasSize(86);
				assertThat(frame[20]).isEqualTo((byte) (type.equals("SERVER_HELLO") ? 5 : 6));
				CaleKeyPair sender = type.equals("SERVER_HELLO") ? SERVER : CLIENT;
				assertThat(CalePublicKey.decode(payload)).isEqualTo(sender.publicKey());
				assertThat(Hex.of(payload)).isEqualTo(step.path("payloadHex").stringValue());
			}
			else {
				assertThat(frame[20]).isEqualTo((byte) 7);
				assertThat(Hex.of(frame)).endsWith(Hex.of("null".getBytes(StandardCharsets.US_ASCII)));
			}
		}
	}

	static Stream<Arguments> encryptedMessages() {
		return VectorFile.named(VECTORS.group("cale", "encrypted"));
	}

	/**
	 * The sender's cipher, started at the entry's counter, reproduces the message; every entry has
	 * a byte 20 above 7, so the byte-20 rule skips none of them (asserted, since a server-sent
	 * entry with a byte 20 ≤ 7 would be one our server never emits).
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("encryptedMessages")
	void encryptionWithTheGivenCounterReproducesTheMessage(String name, JsonNode entry) throws Exception {
		byte[] wire = hex(entry, "wireHex");
		assertThat(Hex.of(wire)).isEqualTo(entry.path("ivHex").stringValue() + entry.path("ciphertextHex").stringValue()
				+ entry.path("tagHex").stringValue());
		assertThat(wire[20] & 0xFF).isGreaterThan(7);
		CaleRole sender = senderOf(entry);
		long counter = entry.path("nonce").asLong();
		CaleCipher cipher = new CaleCipher(fixedKeys(), sender, counter);
		assertThat(Hex.of(cipher.encrypt(hex(entry, "plaintextHex")))).isEqualTo(Hex.of(wire));
		assertThat(cipher.nextCounter()).isEqualTo(counter + 1);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("encryptedMessages")
	void decryptionRecoversThePlaintextOnlyWithTheReceiveKeyOfItsDirection(String name, JsonNode entry) {
		CaleRole sender = senderOf(entry);
		CaleCipher receiver = new CaleCipher(fixedKeys(), opposite(sender), 0);
		ByteBuffer plain = receiver.decrypt(ByteBuffer.wrap(hex(entry, "wireHex")));
		assertThat(plain).isNotNull();
		assertThat(Hex.of(plain)).isEqualTo(entry.path("plaintextHex").stringValue());
		// The sender's own receive key is the other direction's key: not authentic.
		assertThat(new CaleCipher(fixedKeys(), sender, 0).decrypt(hex(entry, "wireHex"))).isNull();
	}

	/**
	 * The message that a byte-20 router hands to a plaintext handler (byte 20 = 3) is an ordinary
	 * encrypted client → server "hello" for our decrypt-first receiver; and our server, had it
	 * produced that ciphertext, would have spent the next counter instead.
	 */
	@Test
	void theMisroutedCiphertextDecryptsNormally() throws CaleNonceExhaustedException {
		JsonNode example = CALE.path("misroutedCiphertextExample");
		byte[] wire = hex(example, "wireHex");
		assertThat(wire[20] & 0xFF).isEqualTo(example.path("byte20").asInt()).isLessThanOrEqualTo(7);
		int nonce = example.path("nonce").asInt();
		assertThat(ByteBuffer.wrap(wire).getInt(8)).isEqualTo(nonce);

		ByteBuffer plain = CaleCipher.forServer(fixedKeys()).decrypt(ByteBuffer.wrap(wire));
		assertThat(plain).isNotNull();
		String helloFromTheClient = VECTORS.group("cale", "encrypted").get(0).path("plaintextHex").stringValue();
		assertThat(Hex.of(plain)).isEqualTo(helloFromTheClient);

		// A published client emits it as is ...
		assertThat(CaleCipher.forClient(fixedKeys()).encryptWithCounter(Hex.bytes(helloFromTheClient), nonce)).isEqualTo(wire);
		assertThat(new CaleCipher(fixedKeys(), CaleRole.CLIENT, nonce).encrypt(Hex.bytes(helloFromTheClient))).isEqualTo(wire);
	}

	@Test
	void theKeyLogOfTheCapturedSessionIsConsistent() throws CaleKeyException {
		byte[] secret = hex(KEY_LOG, "sharedSecretHex");
		assertThat(Hex.of(CaleKeys.hash(secret))).isEqualTo(KEY_LOG.path("sha256Hex").stringValue());
		CaleKeys derived = CaleKeys.fromSharedSecret(secret);
		assertThat(Hex.of(derived.serverToClientKey())).isEqualTo(KEY_LOG.path("serverToClientKeyHex").stringValue());
		assertThat(Hex.of(derived.clientToServerKey())).isEqualTo(KEY_LOG.path("clientToServerKeyHex").stringValue());
		// The private keys were not recorded, but both public keys must pass our decoder.
		CalePublicKey.decode(hex(KEY_LOG, "serverPublicKeyHex"));
		CalePublicKey.decode(hex(KEY_LOG, "clientPublicKeyHex"));
	}

	static Stream<Arguments> capturedCaleMessages() {
		List<JsonNode> entries = VECTORS.group("clientCaptures").stream()
			.filter((entry) -> entry.path("type").stringValue().startsWith("CALE("))
			.toList();
		assertThat(entries).hasSize(7).allSatisfy((entry) -> assertThat(entry.path("session").stringValue()).isEqualTo(CAPTURED_SESSION));
		return VectorFile.named(entries);
	}

	/**
	 * Each captured CALE message decrypts with the logged key of its direction to its
	 * {@code plaintextHex}, with the IV counter and byte 20 the entry states, and our sender's
	 * cipher at that counter reproduces it byte for byte. (The one message with byte 20 ≤ 7, the
	 * client's ACK at counter 9, was sent by the client; every server-sent one has byte 20 > 7,
	 * so our rule would have emitted them unchanged.)
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("capturedCaleMessages")
	void capturedMessagesDecryptWithTheLoggedKeys(String name, JsonNode entry) throws Exception {
		byte[] wire = hex(entry, "hex");
		int counter = entry.path("ivCounter").asInt();
		assertThat(Hex.of(wire).substring(0, 24)).isEqualTo("0000000000000000" + String.format("%08x", counter));
		assertThat(wire[20] & 0xFF).isEqualTo(entry.path("byte20").asInt());

		CaleKeys logged = CaleKeys.of(hex(KEY_LOG, "serverToClientKeyHex"), hex(KEY_LOG, "clientToServerKeyHex"));
		CaleKeys derived = CaleKeys.fromSharedSecret(hex(KEY_LOG, "sharedSecretHex"));
		CaleRole sender = senderOf(entry);
		for (CaleKeys keys : List.of(logged, derived)) {
			ByteBuffer plain = new CaleCipher(keys, opposite(sender), 0).decrypt(ByteBuffer.wrap(wire));
			assertThat(plain).isNotNull();
			assertThat(Hex.of(plain)).isEqualTo(entry.path("plaintextHex").stringValue());
			assertThat(new CaleCipher(keys, sender, 0).decrypt(wire)).isNull();
		}
		// The frame inside belongs to the captured session.
		assertThat(entry.path("plaintextHex").stringValue())
			.startsWith(KEY_LOG.path("sid").stringValue().replace("-", ""));

		byte[] plaintext = hex(entry, "plaintextHex");
		if (sender == CaleRole.SERVER) {
			assertThat(wire[20] & 0xFF).isGreaterThan(7);
			assertThat(new CaleCipher(logged, CaleRole.SERVER, counter).encrypt(plaintext)).isEqualTo(wire);
		}
		else {
			assertThat(CaleCipher.forClient(logged).encryptWithCounter(plaintext, counter)).isEqualTo(wire);
		}
	}

	private static CaleKeys fixedKeys() {
		return CaleKeys.fromSharedSecret(hex(CALE, "sharedSecretHex"));
	}

	private static CaleRole senderOf(JsonNode entry) {
		String direction = entry.path("direction").stringValue();
		assertThat(direction).isIn("client->server", "server->client");
		return direction.equals("client->server") ? CaleRole.CLIENT : CaleRole.SERVER;
	}

	private static CaleRole opposite(CaleRole role) {
		return (role == CaleRole.SERVER) ? CaleRole.CLIENT : CaleRole.SERVER;
	}

	private static byte[] hex(JsonNode node, String field) {
		String value = node.path(field).stringValue();
		assertThat(value).as(field).isNotNull();
		return Hex.bytes(value);
	}

}
