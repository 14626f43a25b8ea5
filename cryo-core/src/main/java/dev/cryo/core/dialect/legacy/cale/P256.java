package dev.cryo.core.dialect.legacy.cale;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;

/**
 * The curve P-256 as CALE needs it beyond what the JDK offers: its parameters (taken from the
 * JDK's own secp256r1, so no constant is typed in here), the 32-byte coordinate encoding, the
 * curve equation, and a plain scalar multiplication for building a key pair from a fixed private
 * key (the JDK derives public keys only inside its key pair generator).
 */
final class P256 {

	/** The JDK's secp256r1 parameters; every key of this package is built with them. */
	static final ECParameterSpec PARAMETERS = parameters();

	/** The field prime p. */
	static final BigInteger P = ((ECFieldFp) PARAMETERS.getCurve().getField()).getP();

	/** The curve coefficient a (p - 3). */
	static final BigInteger A = PARAMETERS.getCurve().getA();

	/** The curve coefficient b. */
	static final BigInteger B = PARAMETERS.getCurve().getB();

	/** The order n of the base point. */
	static final BigInteger N = PARAMETERS.getOrder();

	/** Bytes of one coordinate or of a private scalar. */
	static final int FIELD_BYTES = 32;

	private P256() {
	}

	private static ECParameterSpec parameters() {
		try {
			AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
			parameters.init(new ECGenParameterSpec("secp256r1"));
			return parameters.getParameterSpec(ECParameterSpec.class);
		}
		catch (GeneralSecurityException ex) {
			// Every JDK 17+ ships secp256r1 (SunEC); without it CALE cannot work at all.
			throw new IllegalStateException("the JDK does not provide the curve secp256r1", ex);
		}
	}

	/** Whether (x, y) is in range (0 ≤ x, y < p) and satisfies y² = x³ + ax + b (mod p). */
	static boolean isOnCurve(BigInteger x, BigInteger y) {
		if (x.signum() < 0 || y.signum() < 0 || x.compareTo(P) >= 0 || y.compareTo(P) >= 0) {
			return false;
		}
		BigInteger left = y.multiply(y).mod(P);
		BigInteger right = x.multiply(x).add(A).multiply(x).add(B).mod(P);
		return left.equals(right);
	}

	/** Writes a value below 2^256 as exactly 32 big-endian bytes at an offset. */
	static void writeFixed(BigInteger value, byte[] target, int offset) {
		byte[] magnitude = value.toByteArray();
		// toByteArray may add a leading sign byte (0x00) or return fewer than 32 bytes.
		int length = Math.min(magnitude.length, FIELD_BYTES);
		System.arraycopy(magnitude, magnitude.length - length, target, offset + FIELD_BYTES - length, length);
	}

	/**
	 * The public point d·G for a private scalar d (1 ≤ d < n), by affine double-and-add. It is
	 * neither fast nor constant-time, which is acceptable only because it serves fixed, published
	 * keys (test vectors); session keys come from the JDK's generator.
	 */
	static ECPoint multiplyBase(BigInteger d) {
		ECPoint result = ECPoint.POINT_INFINITY;
		ECPoint addend = PARAMETERS.getGenerator();
		for (int bit = 0; bit < d.bitLength(); bit++) {
			if (d.testBit(bit)) {
				result = add(result, addend);
			}
			addend = add(addend, addend);
		}
		return result;
	}

	/** The affine sum of two points, including doubling and the point at infinity. */
	private static ECPoint add(ECPoint first, ECPoint second) {
		if (first.equals(ECPoint.POINT_INFINITY)) {
			return second;
		}
		if (second.equals(ECPoint.POINT_INFINITY)) {
			return first;
		}
		BigInteger x1 = first.getAffineX();
		BigInteger y1 = first.getAffineY();
		BigInteger x2 = second.getAffineX();
		BigInteger y2 = second.getAffineY();
		BigInteger slope;
		if (x1.equals(x2)) {
			if (y1.add(y2).mod(P).signum() == 0) {
				return ECPoint.POINT_INFINITY;
			}
			// Tangent: (3x² + a) / 2y.
			BigInteger numerator = x1.multiply(x1).multiply(BigInteger.valueOf(3)).add(A);
			slope = numerator.multiply(y1.shiftLeft(1).modInverse(P)).mod(P);
		}
		else {
			// Chord: (y2 - y1) / (x2 - x1).
			slope = y2.subtract(y1).multiply(x2.subtract(x1).modInverse(P)).mod(P);
		}
		BigInteger x3 = slope.multiply(slope).subtract(x1).subtract(x2).mod(P);
		BigInteger y3 = slope.multiply(x1.subtract(x3)).subtract(y1).mod(P);
		return new ECPoint(x3, y3);
	}

}
