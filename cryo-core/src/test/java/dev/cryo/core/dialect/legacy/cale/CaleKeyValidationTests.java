package dev.cryo.core.dialect.legacy.cale;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.cryo.core.frame.Hex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The strict decoding of CALE public keys (legacy-v0.md §7.2, §10.3 rule 2): exactly the 65-byte
 * uncompressed encoding of a point on P-256 is accepted; everything else is refused with
 * {@link CaleKeyException} and nothing else, so the session can close with 4011.
 */
class CaleKeyValidationTests {

	/** The server public key of the {@code cale} vectors. */
	private static final byte[] VALID = Hex.bytes("04d7ce42a0b6cdd14d581d8cbe93bf545b5baed40b5b61c55f2702dfdfa956c7"
			+ "9bd474152d982ba3b4100525502097885fb082d343e5677556029180b63fdc6d1c");

	@Test
	void theValidKeyIsAccepted() throws CaleKeyException {
		assertThat(CalePublicKey.decode(VALID).encoded()).isEqualTo(VALID);
		ByteBuffer buffer = ByteBuffer.allocate(70).position(3);
		buffer.put(VALID).flip().position(3);
		assertThat(CalePublicKey.decode(buffer).encoded()).isEqualTo(VALID);
		assertThat(buffer.position()).isEqualTo(3);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 33, 64, 66, 97, 130 })
	void wrongLengthsAreRefused(int length) {
		byte[] key = Arrays.copyOf(VALID, length);
		assertRefused(key, "65 bytes");
	}

	@Test
	void theCompressedFormOfAValidKeyIsRefused() {
		byte[] compressed = Arrays.copyOf(VALID, 33);
		compressed[0] = (byte) (0x02 | (VALID[64] & 1));
		assertRefused(compressed, "65 bytes");
	}

	@ParameterizedTest
	@ValueSource(ints = { 0x00, 0x02, 0x03, 0x05, 0x06, 0x07, 0x84, 0xFF })
	void prefixesOtherThanUncompressedAreRefused(int prefix) {
		byte[] key = VALID.clone();
		key[0] = (byte) prefix;
		assertRefused(key, "prefix");
	}

	@Test
	void allZeroKeysAreRefused() {
		assertRefused(new byte[65], "prefix");
		byte[] origin = new byte[65];
		origin[0] = 0x04;
		assertRefused(origin, "not a point");
	}

	@Test
	void pointsOffTheCurveAreRefused() {
		byte[] key = VALID.clone();
		key[64] ^= 1;
		assertRefused(key, "not a point");
		// Every single-bit change of the valid key leaves the curve (or the encoding).
		for (int bit = 0; bit < 65 * 8; bit++) {
			byte[] flipped = VALID.clone();
			flipped[bit / 8] ^= (byte) (1 << (bit % 8));
			assertRefused(flipped, "");
		}
	}

	/**
	 * A coordinate of p or more is refused even where it is congruent to a valid one: (p + k, y)
	 * stands for the point (k, y), which the decoder accepts in its canonical form.
	 */
	@Test
	void coordinatesFromTheFieldPrimeUpAreRefused() throws CaleKeyException {
		BigInteger k = BigInteger.ZERO;
		BigInteger y;
		while ((y = squareRoot(k.pow(3).add(P256.A.multiply(k)).add(P256.B).mod(P256.P))) == null) {
			k = k.add(BigInteger.ONE);
		}
		CalePublicKey canonical = CalePublicKey.decode(encode(k, y));
		assertThat(canonical.encoded()).isEqualTo(encode(k, y));
		assertRefused(encode(k.add(P256.P), y), "below the field prime");

		BigInteger x = new BigInteger(1, Arrays.copyOfRange(VALID, 1, 33));
		BigInteger validY = new BigInteger(1, Arrays.copyOfRange(VALID, 33, 65));
		assertRefused(encode(P256.P, validY), "below the field prime");
		assertRefused(encode(x, P256.P), "below the field prime");
		BigInteger max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
		assertRefused(encode(max, max), "below the field prime");
	}

	@Test
	void randomInputsAreRefusedWithTheOneExceptionType() {
		Random random = new Random(15);
		for (int i = 0; i < 20_000; i++) {
			byte[] key = new byte[(i % 2 == 0) ? 65 : random.nextInt(140)];
			random.nextBytes(key);
			if (i % 4 == 0 && key.length > 0) {
				key[0] = 0x04;
			}
			assertRefused(key, "");
		}
	}

	@Test
	void freshKeyPairsEncodeAndDecodeAndAgree() throws CaleKeyException {
		for (int i = 0; i < 50; i++) {
			CaleKeyPair server = CaleKeyPair.generate();
			CaleKeyPair client = CaleKeyPair.generate();
			byte[] encoded = server.publicKey().encoded();
			assertThat(encoded).hasSize(65);
			assertThat(encoded[0]).isEqualTo((byte) 0x04);
			assertThat(CalePublicKey.decode(encoded)).isEqualTo(server.publicKey());
			byte[] serverSecret = CaleKeys.sharedSecret(server, CalePublicKey.decode(client.publicKey().encoded()));
			byte[] clientSecret = CaleKeys.sharedSecret(client, CalePublicKey.decode(encoded));
			assertThat(serverSecret).hasSize(32).isEqualTo(clientSecret);
		}
		assertThat(CaleKeyPair.generate().publicKey()).isNotEqualTo(CaleKeyPair.generate().publicKey());
	}

	/** Our scalar multiplication agrees with the JDK's generator on the JDK's own pairs' keys. */
	@Test
	void aFixedPrivateKeyYieldsItsPublicKey() throws Exception {
		for (int i = 0; i < 20; i++) {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			KeyPair pair = generator.generateKeyPair();
			byte[] d = new byte[32];
			P256.writeFixed(((ECPrivateKey) pair.getPrivate()).getS(), d, 0);
			ECPoint w = ((ECPublicKey) pair.getPublic()).getW();
			assertThat(CaleKeyPair.fromPrivateKey(d).publicKey().encoded()).isEqualTo(encode(w.getAffineX(), w.getAffineY()));
		}
	}

	@Test
	void privateKeysOutsideTheRangeAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> CaleKeyPair.fromPrivateKey(new byte[31]));
		assertThatIllegalArgumentException().isThrownBy(() -> CaleKeyPair.fromPrivateKey(new byte[32]));
		byte[] n = new byte[32];
		P256.writeFixed(P256.N, n, 0);
		assertThatIllegalArgumentException().isThrownBy(() -> CaleKeyPair.fromPrivateKey(n));
	}

	@Test
	void nothingPrintsKeyMaterial() {
		CaleKeyPair pair = CaleKeyPair.fromPrivateKey(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 });
		assertThat(pair.toString()).isEqualTo("CaleKeyPair[P-256]");
		assertThat(pair.publicKey().toString()).isEqualTo("CalePublicKey[P-256]");
		CaleKeys keys = CaleKeys.fromSharedSecret(new byte[32]);
		assertThat(keys.toString()).isEqualTo("CaleKeys[AES-128 x2]");
		assertThat(CaleCipher.forServer(keys).toString()).isEqualTo("CaleCipher[SERVER]");
	}

	private static void assertRefused(byte[] key, String messagePart) {
		assertThatExceptionOfType(CaleKeyException.class).as(Hex.of(key))
			.isThrownBy(() -> CalePublicKey.decode(key))
			.withMessageContaining(messagePart);
	}

	private static byte[] encode(BigInteger x, BigInteger y) {
		byte[] key = new byte[65];
		key[0] = 0x04;
		P256.writeFixed(x, key, 1);
		P256.writeFixed(y, key, 33);
		return key;
	}

	/** A square root mod p (p ≡ 3 mod 4), or null if the value is not a square. */
	private static BigInteger squareRoot(BigInteger value) {
		BigInteger root = value.modPow(P256.P.add(BigInteger.ONE).shiftRight(2), P256.P);
		return root.multiply(root).mod(P256.P).equals(value) ? root : null;
	}

}
