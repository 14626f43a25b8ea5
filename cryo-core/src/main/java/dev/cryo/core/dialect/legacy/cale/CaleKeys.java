package dev.cryo.core.dialect.legacy.cale;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.ProviderException;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two AES-128 keys of a CALE session (legacy-v0.md §7.2): the ECDH shared secret is the
 * 32-byte X coordinate of the product of one side's private key and the other side's public key;
 * {@code H = SHA-256(secret)}; the server → client key is {@code H[0..16)}, the client → server
 * key {@code H[16..32)}. Both sides derive the same pair; a {@link CaleCipher} picks its transmit
 * and receive key from it by {@link CaleRole}. Immutable; the secret and the hash are wiped once
 * the keys are taken from them, and nothing here exposes or prints the keys.
 */
public final class CaleKeys {

	/** Bytes of an AES-128 key, one half of the hash. */
	static final int KEY_BYTES = 16;

	private final SecretKey serverToClient;

	private final SecretKey clientToServer;

	private CaleKeys(byte[] serverToClient, byte[] clientToServer) {
		this.serverToClient = new SecretKeySpec(serverToClient, "AES");
		this.clientToServer = new SecretKeySpec(clientToServer, "AES");
	}

	/**
	 * Derives the session keys from one's own key pair and the peer's public key; the server
	 * passes its pair and the key of CLIENT_HELLO, a client its pair and the key of SERVER_HELLO.
	 * @throws CaleKeyException if the key agreement fails (not expected for a key that
	 * {@link CalePublicKey#decode} accepted, but no JDK exception escapes the handshake)
	 */
	public static CaleKeys agree(CaleKeyPair own, CalePublicKey peer) throws CaleKeyException {
		byte[] secret = sharedSecret(own, peer);
		try {
			return fromSharedSecret(secret);
		}
		finally {
			Arrays.fill(secret, (byte) 0);
		}
	}

	/**
	 * The keys of a known shared secret, e.g. one from the key log of a captured session.
	 * @param sharedSecret the 32-byte X coordinate; not kept
	 * @throws IllegalArgumentException if it is not 32 bytes
	 */
	public static CaleKeys fromSharedSecret(byte[] sharedSecret) {
		if (sharedSecret.length != P256.FIELD_BYTES) {
			throw new IllegalArgumentException("a P-256 shared secret is " + P256.FIELD_BYTES + " bytes");
		}
		byte[] hash = hash(sharedSecret);
		try {
			return new CaleKeys(Arrays.copyOfRange(hash, 0, KEY_BYTES), Arrays.copyOfRange(hash, KEY_BYTES, 2 * KEY_BYTES));
		}
		finally {
			Arrays.fill(hash, (byte) 0);
		}
	}

	/**
	 * The keys given directly, e.g. the directional keys of a key log.
	 * @param serverToClientKey 16 bytes, {@code H[0..16)}; copied
	 * @param clientToServerKey 16 bytes, {@code H[16..32)}; copied
	 * @throws IllegalArgumentException if either is not 16 bytes
	 */
	public static CaleKeys of(byte[] serverToClientKey, byte[] clientToServerKey) {
		if (serverToClientKey.length != KEY_BYTES || clientToServerKey.length != KEY_BYTES) {
			throw new IllegalArgumentException("a CALE key is " + KEY_BYTES + " bytes");
		}
		return new CaleKeys(serverToClientKey, clientToServerKey);
	}

	/** The ECDH shared secret: the 32-byte X coordinate, as the JDK's "ECDH" agreement returns it. */
	static byte[] sharedSecret(CaleKeyPair own, CalePublicKey peer) throws CaleKeyException {
		try {
			KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
			agreement.init(own.privateKey());
			agreement.doPhase(peer.jdkKey(), true);
			byte[] secret = agreement.generateSecret();
			if (secret.length != P256.FIELD_BYTES) {
				throw new CaleKeyException("key agreement returned a secret of unexpected length");
			}
			return secret;
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("the JDK has no ECDH key agreement", ex);
		}
		catch (GeneralSecurityException | ProviderException | IllegalStateException ex) {
			// The JDK validates the peer key again and may refuse it in any of these ways.
			throw new CaleKeyException("key agreement failed", ex);
		}
	}

	/** {@code SHA-256(secret)}. */
	static byte[] hash(byte[] secret) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(secret);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("the JDK has no SHA-256", ex);
		}
	}

	/** The key a side transmits with. */
	SecretKey transmitKey(CaleRole role) {
		return (role == CaleRole.SERVER) ? this.serverToClient : this.clientToServer;
	}

	/** The key a side receives with. */
	SecretKey receiveKey(CaleRole role) {
		return (role == CaleRole.SERVER) ? this.clientToServer : this.serverToClient;
	}

	/** {@code H[0..16)}, for tests that compare with vectors. */
	byte[] serverToClientKey() {
		return this.serverToClient.getEncoded();
	}

	/** {@code H[16..32)}, for tests that compare with vectors. */
	byte[] clientToServerKey() {
		return this.clientToServer.getEncoded();
	}

	/** Names the type only, never the keys. */
	@Override
	public String toString() {
		return "CaleKeys[AES-128 x2]";
	}

}
