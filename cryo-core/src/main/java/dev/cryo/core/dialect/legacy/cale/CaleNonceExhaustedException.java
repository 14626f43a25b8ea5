package dev.cryo.core.dialect.legacy.cale;

/**
 * Every IV counter of a direction (0 to 2^32-1) has been used, so encrypting once more would
 * re-use an IV under the same key, which breaks AES-GCM. The counter never wraps; the session
 * closes with 4011 {@code CALE nonce space exhausted.} (legacy-v0.md §10.4). Once thrown, every
 * later encryption of the same {@link CaleCipher} throws it again.
 */
public final class CaleNonceExhaustedException extends Exception {

	private static final long serialVersionUID = 1L;

	CaleNonceExhaustedException() {
		super("CALE nonce space exhausted");
	}

}
