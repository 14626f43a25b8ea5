package dev.cryo.core.dialect.legacy.cale;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import org.junit.jupiter.api.Test;

import dev.cryo.core.frame.Hex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The AES-128-GCM layer of CALE (legacy-v0.md §7.3, §10.4): round trips both ways, the message
 * layout, authentication failures as {@code null} and never as an exception, IVs taken as sent,
 * the server's byte-20 rule and a counter that never wraps.
 */
class CaleCipherTests {

	/** The fixed keys of the {@code cale} vectors, so that every run sees the same ciphertexts. */
	private static final CaleKeys KEYS = CaleKeys.fromSharedSecret(
			Hex.bytes("a32925daeba4017351c9d0bcc8d4e2d762ad76662398285f942bd6d8e9e58ab7"));

	/** A plaintext UTF8DATA "hello" with ack 1 (sid 16 bytes, ack u32 @16, type @20, payload @21). */
	private static final byte[] HELLO = frame(1, 3, "hello".getBytes());

	@Test
	void framesOfEverySizeMakeTheRoundTripBothWays() throws Exception {
		CaleKeyPair serverPair = CaleKeyPair.generate();
		CaleKeyPair clientPair = CaleKeyPair.generate();
		CaleCipher server = CaleCipher.forServer(CaleKeys.agree(serverPair, clientPair.publicKey()));
		CaleCipher client = CaleCipher.forClient(CaleKeys.agree(clientPair, serverPair.publicKey()));
		Random random = new Random(15);
		for (int length : new int[] { 0, 1, 20, 21, 25, 1000, 65_536, 1 << 20 }) {
			byte[] frame = new byte[length];
			random.nextBytes(frame);
			byte[] toClient = server.encrypt(frame);
			byte[] toServer = client.encrypt(frame);
			assertThat(toClient).hasSize(length + CaleCipher.OVERHEAD);
			assertThat(client.decrypt(toClient)).isEqualTo(frame);
			assertThat(server.decrypt(toServer)).isEqualTo(frame);
			// Each side's own direction is not what it receives.
			assertThat(server.decrypt(toClient)).isNull();
			assertThat(client.decrypt(toServer)).isNull();
		}
	}

	@Test
	void aMessageIsTheCounterIvTheCiphertextAndTheTag() throws Exception {
		CaleCipher client = CaleCipher.forClient(KEYS);
		for (int counter = 0; counter < 3; counter++) {
			byte[] message = client.encrypt(HELLO);
			assertThat(Hex.of(message).substring(0, 24)).isEqualTo(String.format("%024x", counter));
			assertThat(message).hasSize(12 + HELLO.length + 16);
		}
	}

	@Test
	void buffersAreReadFromTheirPositionAndLeftWhereTheyWere() throws Exception {
		CaleCipher server = CaleCipher.forServer(KEYS);
		CaleCipher client = CaleCipher.forClient(KEYS);
		ByteBuffer plain = ByteBuffer.allocate(HELLO.length + 10).position(4);
		plain.put(HELLO).flip().position(4);
		ByteBuffer message = server.encrypt(plain);
		assertThat(plain.position()).isEqualTo(4);

		ByteBuffer direct = ByteBuffer.allocateDirect(message.remaining() + 7).position(7);
		direct.put(message.duplicate()).flip().position(7);
		ByteBuffer decrypted = client.decrypt(direct);
		assertThat(direct.position()).isEqualTo(7);
		assertThat(Hex.of(decrypted)).isEqualTo(Hex.of(HELLO));
		assertThat(Hex.of(client.decrypt(message.asReadOnlyBuffer()))).isEqualTo(Hex.of(HELLO));

		ByteBuffer directPlain = ByteBuffer.allocateDirect(HELLO.length).put(HELLO).flip();
		assertThat(Hex.of(client.decrypt(server.encrypt(directPlain)))).isEqualTo(Hex.of(HELLO));
		assertThat(directPlain.position()).isZero();
	}

	@Test
	void aTamperedMessageIsNotAuthentic() throws Exception {
		byte[] message = CaleCipher.forClient(KEYS).encrypt(HELLO);
		CaleCipher server = CaleCipher.forServer(KEYS);
		assertThat(server.decrypt(message)).isEqualTo(HELLO);
		// Every single-bit change anywhere — IV, ciphertext or tag — fails authentication.
		for (int bit = 0; bit < message.length * 8; bit++) {
			byte[] tampered = message.clone();
			tampered[bit / 8] ^= (byte) (1 << (bit % 8));
			assertThat(server.decrypt(tampered)).as("bit %d", bit).isNull();
			assertThat(server.decrypt(ByteBuffer.wrap(tampered))).as("bit %d", bit).isNull();
		}
		// So do a cut-off tag and a message with bytes appended.
		assertThat(server.decrypt(Arrays.copyOf(message, message.length - 1))).isNull();
		assertThat(server.decrypt(Arrays.copyOf(message, message.length + 1))).isNull();
		// And a message under another session's keys.
		assertThat(server.decrypt(CaleCipher.forClient(CaleKeys.fromSharedSecret(new byte[32])).encrypt(HELLO))).isNull();
	}

	@Test
	void shortGarbageAndPlaintextInputsAreNotAuthentic() {
		CaleCipher server = CaleCipher.forServer(KEYS);
		for (int length = 0; length < CaleCipher.OVERHEAD; length++) {
			assertThat(server.decrypt(new byte[length])).isNull();
			assertThat(server.decrypt(ByteBuffer.allocate(length))).isNull();
		}
		// A plaintext frame (what the published receivers would accept) does not authenticate.
		assertThat(server.decrypt(HELLO)).isNull();
		assertThat(server.decrypt(frame(0, 0, new byte[0]))).isNull();
		Random random = new Random(4011);
		for (int i = 0; i < 20_000; i++) {
			byte[] garbage = new byte[random.nextInt(200)];
			random.nextBytes(garbage);
			assertThat(server.decrypt(ByteBuffer.wrap(garbage))).isNull();
		}
	}

	/** An empty plaintext under a valid tag is authentic; judging it as a frame is the codec's job. */
	@Test
	void aMessageOfIvAndTagOnlyCarriesAnEmptyPlaintext() throws Exception {
		byte[] message = CaleCipher.forClient(KEYS).encrypt(new byte[0]);
		assertThat(message).hasSize(CaleCipher.OVERHEAD);
		assertThat(CaleCipher.forServer(KEYS).decrypt(message)).isEmpty();
	}

	/** The receiver takes the IV as sent: out of order, repeated, far ahead — all decrypt. */
	@Test
	void ivsAreTakenAsSentWithoutOrderOrReplayChecks() {
		CaleCipher client = CaleCipher.forClient(KEYS);
		CaleCipher server = CaleCipher.forServer(KEYS);
		byte[] fifth = client.encryptWithCounter(HELLO, 5);
		byte[] third = client.encryptWithCounter(HELLO, 3);
		byte[] last = client.encryptWithCounter(HELLO, -1);
		assertThat(Hex.of(last).substring(0, 24)).isEqualTo("0000000000000000ffffffff");
		for (byte[] message : List.of(fifth, third, fifth, last, third)) {
			assertThat(server.decrypt(message)).isEqualTo(HELLO);
		}
		// The same counter twice gives the same message (the JDK would refuse this on one Cipher).
		assertThat(client.encryptWithCounter(HELLO, 5)).isEqualTo(fifth);
	}

	/** An IV whose first 8 bytes are not zero is still taken as sent, if the message authenticates. */
	@Test
	void anyIvThatAuthenticatesIsAccepted() throws Exception {
		byte[] iv = Hex.bytes("0102030405060708090a0b0c");
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(Cipher.ENCRYPT_MODE, KEYS.transmitKey(CaleRole.CLIENT), new GCMParameterSpec(128, iv));
		byte[] message = ByteBuffer.allocate(12 + HELLO.length + 16).put(iv).put(cipher.doFinal(HELLO)).array();
		assertThat(CaleCipher.forServer(KEYS).decrypt(message)).isEqualTo(HELLO);
	}

	@Test
	void onlyAClientCipherChoosesItsCounter() {
		assertThatIllegalStateException().isThrownBy(() -> CaleCipher.forServer(KEYS).encryptWithCounter(HELLO, 0));
	}

	/**
	 * Our server never emits a message whose byte 20 is ≤ 7: over 100 000 frames none does, the
	 * IV counters strictly increase from 0, and the skipped counters are the expected 8/256.
	 */
	@Test
	void theServerNeverEmitsAMessageThatLooksLikePlaintext() throws Exception {
		CaleCipher server = CaleCipher.forServer(KEYS);
		CaleCipher client = CaleCipher.forClient(KEYS);
		int frames = 100_000;
		long previous = -1;
		long skipped = 0;
		for (int i = 0; i < frames; i++) {
			byte[] frame = frame(i, 2, "ping".getBytes());
			byte[] message = server.encrypt(frame);
			assertThat(message[20] & 0xFF).isGreaterThan(7);
			long counter = Integer.toUnsignedLong(ByteBuffer.wrap(message).getInt(8));
			assertThat(ByteBuffer.wrap(message).getLong(0)).isZero();
			assertThat(counter).isGreaterThan(previous);
			skipped += counter - previous - 1;
			previous = counter;
			if (i % 100 == 0) {
				assertThat(client.decrypt(message)).isEqualTo(frame);
			}
		}
		assertThat(server.nextCounter()).isEqualTo(previous + 1);
		double share = (double) skipped / (frames + skipped);
		// 8/256 = 3.125 %; the standard deviation over ~103 000 counters is about 0.05 %.
		assertThat(share).isBetween(0.028, 0.035);
	}

	/** A client cipher behaves like the published clients: every counter is emitted, whatever its byte 20. */
	@Test
	void aClientCipherEmitsEveryCounterAndTheServerDecryptsThemAll() throws Exception {
		CaleCipher client = CaleCipher.forClient(KEYS);
		CaleCipher server = CaleCipher.forServer(KEYS);
		int looksLikePlaintext = 0;
		for (int i = 0; i < 2_000; i++) {
			byte[] message = client.encrypt(HELLO);
			assertThat(ByteBuffer.wrap(message).getInt(8)).isEqualTo(i);
			if ((message[20] & 0xFF) <= 7) {
				looksLikePlaintext++;
			}
			// Decrypt-first: the receiver never routes by byte 20.
			assertThat(server.decrypt(message)).isEqualTo(HELLO);
		}
		assertThat(looksLikePlaintext).isBetween(20, 110);
	}

	/** The counter never wraps: the last one used is 2^32-1, then every encryption is refused. */
	@Test
	void theServerCounterIsExhaustedInsteadOfWrapping() throws Exception {
		CaleCipher server = new CaleCipher(KEYS, CaleRole.SERVER, CaleCipher.COUNTER_LIMIT - 40);
		List<Long> used = new ArrayList<>();
		assertThatExceptionOfType(CaleNonceExhaustedException.class).isThrownBy(() -> {
			while (true) {
				used.add(Integer.toUnsignedLong(ByteBuffer.wrap(server.encrypt(HELLO)).getInt(8)));
			}
		}).withMessage("CALE nonce space exhausted");
		assertThat(used).isNotEmpty().isSorted().allSatisfy((counter) -> assertThat(counter).isBetween(
				CaleCipher.COUNTER_LIMIT - 40, CaleCipher.COUNTER_LIMIT - 1));
		assertThat(server.nextCounter()).isEqualTo(CaleCipher.COUNTER_LIMIT);
		assertThatExceptionOfType(CaleNonceExhaustedException.class).isThrownBy(() -> server.encrypt(HELLO));
		assertThatExceptionOfType(CaleNonceExhaustedException.class)
			.isThrownBy(() -> server.encrypt(ByteBuffer.wrap(HELLO)));
		// Exhaustion stops sending only; receiving goes on.
		assertThat(server.decrypt(CaleCipher.forClient(KEYS).encrypt(HELLO))).isEqualTo(HELLO);
	}

	@Test
	void theClientCounterIsExhaustedAfterItsLastValue() throws Exception {
		CaleCipher client = new CaleCipher(KEYS, CaleRole.CLIENT, CaleCipher.COUNTER_LIMIT - 1);
		assertThat(Hex.of(client.encrypt(HELLO)).substring(0, 24)).isEqualTo("0000000000000000ffffffff");
		assertThatExceptionOfType(CaleNonceExhaustedException.class).isThrownBy(() -> client.encrypt(HELLO));
		assertThatExceptionOfType(CaleNonceExhaustedException.class)
			.isThrownBy(() -> new CaleCipher(KEYS, CaleRole.SERVER, CaleCipher.COUNTER_LIMIT).encrypt(HELLO));
	}

	/** Senders on several threads never share an IV. */
	@Test
	void concurrentEncryptionsUseDistinctCounters() throws Exception {
		CaleCipher server = CaleCipher.forServer(KEYS);
		CaleCipher client = CaleCipher.forClient(KEYS);
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<List<byte[]>>> results = new ArrayList<>();
			for (int thread = 0; thread < 4; thread++) {
				results.add(pool.submit(() -> {
					List<byte[]> messages = new ArrayList<>();
					for (int i = 0; i < 2_500; i++) {
						messages.add(server.encrypt(HELLO));
						assertThat(server.decrypt(client.encrypt(HELLO))).isEqualTo(HELLO);
					}
					return messages;
				}));
			}
			Set<Integer> counters = new HashSet<>();
			for (Future<List<byte[]>> result : results) {
				for (byte[] message : result.get()) {
					assertThat(counters.add(ByteBuffer.wrap(message).getInt(8))).isTrue();
					assertThat(client.decrypt(message)).isEqualTo(HELLO);
				}
			}
			assertThat(counters).hasSize(10_000);
		}
		finally {
			pool.shutdownNow();
		}
	}

	/** A legacy frame built by hand: 16 sid bytes, ack u32 big-endian, type, payload. */
	private static byte[] frame(int ack, int type, byte[] payload) {
		ByteBuffer frame = ByteBuffer.allocate(21 + payload.length);
		frame.put(Hex.bytes("123e4567e89b42d3a456426614174000")).putInt(ack).put((byte) type).put(payload);
		return frame.array();
	}

}
