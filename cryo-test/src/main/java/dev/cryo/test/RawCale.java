package dev.cryo.test;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * CALE cryptography for test clients, built from legacy-v0.md §7.2 and §7.3 with JDK APIs only
 * and deliberately without the server's code, so that it checks the server's implementation
 * instead of repeating it: P-256 key pairs, the 65-byte uncompressed public key, ECDH, the two
 * directional keys cut from {@code SHA-256(secret)}, and AES-128-GCM messages
 * {@code IV (8 zero bytes ‖ u32 counter) ‖ ciphertext ‖ tag}.
 */
public final class RawCale {

	/** Length of an uncompressed P-256 public key: {@code 0x04 ‖ X ‖ Y}. */
	public static final int PUBLIC_KEY_LENGTH = 65;

	/** Length of the IV at the start of every encrypted message. */
	public static final int IV_LENGTH = 12;

	/** Length of the GCM tag at the end of every encrypted message. */
	public static final int TAG_LENGTH = 16;

	/** What encryption adds to a frame: IV and tag. */
	public static final int OVERHEAD = IV_LENGTH + TAG_LENGTH;

	private static final int COORDINATE_LENGTH = 32;

	private static final ECParameterSpec P256 = p256();

	private RawCale() {
	}

	/**
	 * Generates a fresh P-256 key pair.
	 * @return the key pair
	 */
	public static KeyPair generateKeyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("P-256 is not available", ex);
		}
	}

	/**
	 * Builds the key pair of a fixed private scalar, e.g. one of the vectors' private keys.
	 * @param privateKeyHex the scalar as hex
	 * @return the key pair
	 */
	public static KeyPair keyPair(String privateKeyHex) {
		return keyPair(HexFormat.of().parseHex(privateKeyHex));
	}

	/**
	 * Builds the key pair of a fixed private scalar, e.g. one of the vectors' private keys.
	 * @param privateKey the scalar, big-endian unsigned
	 * @return the key pair
	 * @throws IllegalArgumentException if the scalar is not in {@code [1, n)}
	 */
	public static KeyPair keyPair(byte[] privateKey) {
		BigInteger scalar = new BigInteger(1, privateKey);
		if (scalar.signum() == 0 || scalar.compareTo(P256.getOrder()) >= 0) {
			throw new IllegalArgumentException("a P-256 private key lies in [1, n)");
		}
		// The JDK has no public API that derives the public point from a private scalar, so it is
		// computed here; the vectors test compares the result with the document's public keys.
		ECPoint publicPoint = multiply(P256.getGenerator(), scalar);
		try {
			KeyFactory factory = KeyFactory.getInstance("EC");
			PrivateKey privateKeyObject = factory.generatePrivate(new ECPrivateKeySpec(scalar, P256));
			PublicKey publicKey = factory.generatePublic(new ECPublicKeySpec(publicPoint, P256));
			return new KeyPair(publicKey, privateKeyObject);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("the JDK refused a P-256 key", ex);
		}
	}

	/**
	 * Returns the 65-byte uncompressed encoding of a key pair's public key.
	 * @param keyPair the key pair
	 * @return {@code 0x04 ‖ X ‖ Y}, each coordinate left-padded to 32 bytes
	 */
	public static byte[] publicKey(KeyPair keyPair) {
		return publicKey(keyPair.getPublic());
	}

	/**
	 * Returns the 65-byte uncompressed encoding of a public key.
	 * @param publicKey a P-256 public key
	 * @return {@code 0x04 ‖ X ‖ Y}, each coordinate left-padded to 32 bytes
	 */
	public static byte[] publicKey(PublicKey publicKey) {
		ECPoint point = ((ECPublicKey) publicKey).getW();
		return ByteBuffer.allocate(PUBLIC_KEY_LENGTH)
			.put((byte) 0x04)
			.put(unsigned(point.getAffineX()))
			.put(unsigned(point.getAffineY()))
			.array();
	}

	/**
	 * Decodes a 65-byte uncompressed public key as a peer sends it in SERVER_HELLO or
	 * CLIENT_HELLO.
	 * @param encoded the bytes
	 * @return the key
	 * @throws IllegalArgumentException if the bytes are not 65 long, do not start with
	 * {@code 0x04}, are not a point on P-256 or the JDK refuses the point
	 */
	public static PublicKey decodePublicKey(byte[] encoded) {
		if (encoded.length != PUBLIC_KEY_LENGTH) {
			throw new IllegalArgumentException(
					"an uncompressed P-256 public key has 65 bytes, got " + encoded.length);
		}
		if (encoded[0] != 0x04) {
			throw new IllegalArgumentException(
					"an uncompressed P-256 public key starts with 0x04, got 0x" + HexFormat.of().toHexDigits(encoded[0]));
		}
		BigInteger x = new BigInteger(1, Arrays.copyOfRange(encoded, 1, 1 + COORDINATE_LENGTH));
		BigInteger y = new BigInteger(1, Arrays.copyOfRange(encoded, 1 + COORDINATE_LENGTH, PUBLIC_KEY_LENGTH));
		ECPoint point = new ECPoint(x, y);
		// KeyFactory alone does not check the curve equation; ECDH would, but later and with a
		// less telling message.
		if (!isOnCurve(point)) {
			throw new IllegalArgumentException("the point is not on P-256");
		}
		try {
			return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, P256));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("the JDK refused the public key", ex);
		}
	}

	/**
	 * Agrees on the shared secret with a peer: the 32-byte X coordinate of the ECDH result.
	 * @param privateKey the own private key
	 * @param peerPublicKey the peer's 65-byte public key
	 * @return the 32-byte secret
	 * @throws IllegalArgumentException if the peer's key is not a valid P-256 point
	 */
	public static byte[] sharedSecret(PrivateKey privateKey, byte[] peerPublicKey) {
		PublicKey peer = decodePublicKey(peerPublicKey);
		try {
			KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
			agreement.init(privateKey);
			agreement.doPhase(peer, true);
			return agreement.generateSecret();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("ECDH failed", ex);
		}
	}

	/**
	 * Agrees with a peer and derives both directional keys.
	 * @param privateKey the own private key
	 * @param peerPublicKey the peer's 65-byte public key
	 * @return the keys
	 * @throws IllegalArgumentException if the peer's key is not a valid P-256 point
	 */
	public static Keys keys(PrivateKey privateKey, byte[] peerPublicKey) {
		return keys(sharedSecret(privateKey, peerPublicKey));
	}

	/**
	 * Derives both directional keys from a shared secret.
	 * @param sharedSecret the 32-byte X coordinate
	 * @return the keys
	 */
	public static Keys keys(byte[] sharedSecret) {
		byte[] hash = sha256(sharedSecret);
		return new Keys(sharedSecret.clone(), hash, Arrays.copyOfRange(hash, 0, 16), Arrays.copyOfRange(hash, 16, 32));
	}

	/**
	 * Encrypts one complete frame.
	 * @param key the sender's 16-byte transmit key
	 * @param ivCounter the IV counter, read as an unsigned 32-bit number
	 * @param plainFrame the frame (sid, ack, type, payload)
	 * @return {@code IV ‖ ciphertext ‖ tag}
	 */
	public static byte[] encrypt(byte[] key, int ivCounter, byte[] plainFrame) {
		byte[] iv = iv(ivCounter);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
			byte[] sealed = cipher.doFinal(plainFrame);
			return ByteBuffer.allocate(IV_LENGTH + sealed.length).put(iv).put(sealed).array();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM encryption failed", ex);
		}
	}

	/**
	 * Decrypts one message with the IV it carries.
	 * @param key the receiver's 16-byte receive key
	 * @param message {@code IV ‖ ciphertext ‖ tag}
	 * @return the plaintext, or {@code null} if the message is shorter than 28 bytes or its tag
	 * does not verify with this key
	 */
	public static byte @Nullable [] decrypt(byte[] key, byte[] message) {
		if (message.length < OVERHEAD) {
			return null;
		}
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
					new GCMParameterSpec(128, message, 0, IV_LENGTH));
			return cipher.doFinal(message, IV_LENGTH, message.length - IV_LENGTH);
		}
		catch (AEADBadTagException ex) {
			return null;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM decryption failed", ex);
		}
	}

	/**
	 * Builds the IV of a counter.
	 * @param ivCounter the counter, read as an unsigned 32-bit number
	 * @return 8 zero bytes and the counter big-endian
	 */
	public static byte[] iv(int ivCounter) {
		return ByteBuffer.allocate(IV_LENGTH).putLong(0).putInt(ivCounter).array();
	}

	/**
	 * Reads the IV counter of a message: its bytes 8 to 11, big-endian unsigned.
	 * @param message an encrypted message of at least 12 bytes
	 * @return the counter
	 * @throws IllegalArgumentException if the message is shorter than an IV
	 */
	public static long ivCounter(byte[] message) {
		if (message.length < IV_LENGTH) {
			throw new IllegalArgumentException("an encrypted message starts with a 12-byte IV, got " + message.length + " bytes");
		}
		return Integer.toUnsignedLong(ByteBuffer.wrap(message, 8, 4).getInt());
	}

	/**
	 * Returns whether a legacy receiver would route a message as plaintext (legacy-v0.md §7.4):
	 * at least 21 bytes and byte 20 at most 7.
	 * @param message the message
	 * @return whether byte 20 looks like a frame type
	 */
	public static boolean looksLikePlaintext(byte[] message) {
		return message.length >= RawLegacyFrames.HEADER_LENGTH && (message[20] & 0xFF) <= 7;
	}

	private static byte[] sha256(byte[] data) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(data);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	private static byte[] unsigned(BigInteger value) {
		byte[] bytes = value.toByteArray();
		byte[] padded = new byte[COORDINATE_LENGTH];
		// toByteArray adds a sign byte or drops leading zeros; both are undone here.
		int length = Math.min(bytes.length, COORDINATE_LENGTH);
		System.arraycopy(bytes, bytes.length - length, padded, COORDINATE_LENGTH - length, length);
		return padded;
	}

	private static ECParameterSpec p256() {
		try {
			AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
			parameters.init(new ECGenParameterSpec("secp256r1"));
			return parameters.getParameterSpec(ECParameterSpec.class);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("P-256 is not available", ex);
		}
	}

	private static BigInteger prime() {
		return ((ECFieldFp) P256.getCurve().getField()).getP();
	}

	private static boolean isOnCurve(ECPoint point) {
		BigInteger p = prime();
		BigInteger x = point.getAffineX();
		BigInteger y = point.getAffineY();
		if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
			return false;
		}
		EllipticCurve curve = P256.getCurve();
		BigInteger left = y.multiply(y).mod(p);
		BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
		return left.equals(right);
	}

	/** Double-and-add in affine coordinates: slow, but only test keys go through it. */
	private static ECPoint multiply(ECPoint point, BigInteger scalar) {
		ECPoint result = ECPoint.POINT_INFINITY;
		for (int bit = scalar.bitLength() - 1; bit >= 0; bit--) {
			result = add(result, result);
			if (scalar.testBit(bit)) {
				result = add(result, point);
			}
		}
		return result;
	}

	private static ECPoint add(ECPoint first, ECPoint second) {
		if (first.equals(ECPoint.POINT_INFINITY)) {
			return second;
		}
		if (second.equals(ECPoint.POINT_INFINITY)) {
			return first;
		}
		BigInteger p = prime();
		BigInteger x1 = first.getAffineX();
		BigInteger y1 = first.getAffineY();
		BigInteger x2 = second.getAffineX();
		BigInteger y2 = second.getAffineY();
		BigInteger slope;
		if (x1.equals(x2)) {
			if (!y1.equals(y2) || y1.signum() == 0) {
				return ECPoint.POINT_INFINITY;
			}
			BigInteger numerator = x1.multiply(x1).multiply(BigInteger.valueOf(3)).add(P256.getCurve().getA());
			slope = numerator.multiply(y1.shiftLeft(1).modInverse(p)).mod(p);
		}
		else {
			slope = y2.subtract(y1).multiply(x2.subtract(x1).mod(p).modInverse(p)).mod(p);
		}
		BigInteger x3 = slope.multiply(slope).subtract(x1).subtract(x2).mod(p);
		BigInteger y3 = slope.multiply(x1.subtract(x3)).subtract(y1).mod(p);
		return new ECPoint(x3, y3);
	}

	/**
	 * What one ECDH agreement yields (legacy-v0.md §7.2).
	 *
	 * @param sharedSecret the 32-byte X coordinate of the ECDH result
	 * @param hash {@code SHA-256(sharedSecret)}
	 * @param serverToClient {@code hash[0..16)}: the server's transmit key, the client's receive key
	 * @param clientToServer {@code hash[16..32)}: the client's transmit key, the server's receive key
	 */
	public record Keys(byte[] sharedSecret, byte[] hash, byte[] serverToClient, byte[] clientToServer) {

	}

}
