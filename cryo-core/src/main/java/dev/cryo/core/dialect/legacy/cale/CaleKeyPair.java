package dev.cryo.core.dialect.legacy.cale;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;

/**
 * One side's ephemeral P-256 key pair of a CALE handshake: the private key stays inside (it is
 * only ever handed to the JDK's key agreement), the {@linkplain #publicKey() public key} goes
 * into SERVER_HELLO or CLIENT_HELLO. The server draws a {@linkplain #generate() fresh pair} for
 * every session (legacy-v0.md §7.1); {@link #fromPrivateKey} rebuilds the fixed pairs of the
 * test vectors. Immutable.
 */
public final class CaleKeyPair {

	private final ECPrivateKey privateKey;

	private final CalePublicKey publicKey;

	private CaleKeyPair(ECPrivateKey privateKey, CalePublicKey publicKey) {
		this.privateKey = privateKey;
		this.publicKey = publicKey;
	}

	/** A fresh key pair from the JDK's generator and its default source of randomness. */
	public static CaleKeyPair generate() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			KeyPair pair = generator.generateKeyPair();
			ECPoint point = ((ECPublicKey) pair.getPublic()).getW();
			return new CaleKeyPair((ECPrivateKey) pair.getPrivate(), CalePublicKey.of(point));
		}
		catch (GeneralSecurityException ex) {
			// Every JDK 17+ can generate secp256r1 keys (SunEC); without that CALE cannot work at all.
			throw new IllegalStateException("the JDK cannot generate P-256 key pairs", ex);
		}
	}

	/**
	 * The key pair of a fixed private key, for test vectors and test clients. Its public key is
	 * computed by a simple, not constant-time scalar multiplication, so a key used here should be
	 * regarded as public; sessions use {@link #generate()}.
	 * @param privateKey the private scalar d as 32 big-endian bytes, 1 ≤ d &lt; n
	 * @return the pair
	 * @throws IllegalArgumentException if the bytes are not such a scalar
	 */
	public static CaleKeyPair fromPrivateKey(byte[] privateKey) {
		if (privateKey.length != P256.FIELD_BYTES) {
			throw new IllegalArgumentException("a P-256 private key is " + P256.FIELD_BYTES + " bytes");
		}
		BigInteger d = new BigInteger(1, privateKey);
		if (d.signum() == 0 || d.compareTo(P256.N) >= 0) {
			throw new IllegalArgumentException("a P-256 private key lies between 1 and n - 1");
		}
		try {
			ECPrivateKey key = (ECPrivateKey) KeyFactory.getInstance("EC")
				.generatePrivate(new ECPrivateKeySpec(d, P256.PARAMETERS));
			return new CaleKeyPair(key, CalePublicKey.of(P256.multiplyBase(d)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("the JDK refused a P-256 private key", ex);
		}
	}

	/** The public key, to send to the peer. */
	public CalePublicKey publicKey() {
		return this.publicKey;
	}

	/** The private key, for the key agreement of {@link CaleKeys} only. */
	ECPrivateKey privateKey() {
		return this.privateKey;
	}

	/** Names the type only, never the keys. */
	@Override
	public String toString() {
		return "CaleKeyPair[P-256]";
	}

}
