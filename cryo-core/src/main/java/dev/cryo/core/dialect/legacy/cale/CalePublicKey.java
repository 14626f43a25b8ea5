package dev.cryo.core.dialect.legacy.cale;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * A P-256 public key as CALE carries it in SERVER_HELLO and CLIENT_HELLO: the 65-byte SEC1
 * uncompressed point {@code 0x04 ‖ X ‖ Y} (legacy-v0.md §7.2). Instances are immutable and
 * always valid: {@link #decode} accepts exactly one encoding of a point on the curve, so a bad
 * key is refused here, with {@link CaleKeyException}, and never reaches the key agreement.
 */
public final class CalePublicKey {

	/** Length of the encoding: prefix, X, Y. */
	public static final int ENCODED_LENGTH = 1 + 2 * P256.FIELD_BYTES;

	/** SEC1 prefix of an uncompressed point. */
	private static final byte UNCOMPRESSED = 0x04;

	private final byte[] encoded;

	private final ECPublicKey key;

	private CalePublicKey(byte[] encoded, ECPublicKey key) {
		this.encoded = encoded;
		this.key = key;
	}

	/**
	 * Decodes and validates a peer's public key: exactly 65 bytes, prefix {@code 0x04}, both
	 * coordinates below the field prime p (no second encoding of the same point), and the point
	 * on the curve (which also excludes the all-zero key; P-256 has cofactor 1, so every point on
	 * the curve other than infinity, which this encoding cannot express, is in the prime-order
	 * group).
	 * @param encoded the 65 bytes; copied, not kept
	 * @return the key
	 * @throws CaleKeyException if the bytes are anything else
	 */
	public static CalePublicKey decode(byte[] encoded) throws CaleKeyException {
		if (encoded.length != ENCODED_LENGTH) {
			throw new CaleKeyException("public key must be " + ENCODED_LENGTH + " bytes, not " + encoded.length);
		}
		if (encoded[0] != UNCOMPRESSED) {
			throw new CaleKeyException("public key is not an uncompressed point (prefix 0x04)");
		}
		BigInteger x = new BigInteger(1, Arrays.copyOfRange(encoded, 1, 1 + P256.FIELD_BYTES));
		BigInteger y = new BigInteger(1, Arrays.copyOfRange(encoded, 1 + P256.FIELD_BYTES, ENCODED_LENGTH));
		if (x.compareTo(P256.P) >= 0 || y.compareTo(P256.P) >= 0) {
			throw new CaleKeyException("public key coordinate is not below the field prime");
		}
		if (!P256.isOnCurve(x, y)) {
			throw new CaleKeyException("public key is not a point on P-256");
		}
		return new CalePublicKey(encoded.clone(), toJdkKey(new ECPoint(x, y)));
	}

	/**
	 * Decodes the remaining bytes of a buffer as {@link #decode(byte[])} does, without moving its
	 * position.
	 */
	public static CalePublicKey decode(ByteBuffer encoded) throws CaleKeyException {
		byte[] bytes = new byte[encoded.remaining()];
		encoded.duplicate().get(bytes);
		return decode(bytes);
	}

	/** The key of a point already known to be valid (our own key pairs). */
	static CalePublicKey of(ECPoint point) {
		byte[] encoded = new byte[ENCODED_LENGTH];
		encoded[0] = UNCOMPRESSED;
		P256.writeFixed(point.getAffineX(), encoded, 1);
		P256.writeFixed(point.getAffineY(), encoded, 1 + P256.FIELD_BYTES);
		try {
			return new CalePublicKey(encoded, toJdkKey(point));
		}
		catch (CaleKeyException ex) {
			throw new IllegalStateException("the JDK refused a point of its own curve", ex);
		}
	}

	private static ECPublicKey toJdkKey(ECPoint point) throws CaleKeyException {
		try {
			return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, P256.PARAMETERS));
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			// Not expected after the checks above; caught so that no JDK exception escapes the handshake.
			throw new CaleKeyException("public key refused by the JDK", ex);
		}
	}

	/** The 65-byte encoding, as SERVER_HELLO and CLIENT_HELLO carry it; a fresh copy. */
	public byte[] encoded() {
		return this.encoded.clone();
	}

	/** The key as the JDK's key agreement takes it. */
	ECPublicKey jdkKey() {
		return this.key;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof CalePublicKey that && Arrays.equals(this.encoded, that.encoded);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.encoded);
	}

	/** Names the type only: public keys are not secret, but there is no reason to log them either. */
	@Override
	public String toString() {
		return "CalePublicKey[P-256]";
	}

}
