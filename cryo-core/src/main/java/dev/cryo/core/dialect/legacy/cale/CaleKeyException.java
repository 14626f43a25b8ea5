package dev.cryo.core.dialect.legacy.cale;

/**
 * The peer's public key is not a valid P-256 point in the encoding CALE uses, or the key
 * agreement with it failed. The session answers it by closing with 4011
 * {@code Error during CALE handshake.} (legacy-v0.md §10.3). The message names the defect,
 * never the key.
 */
public final class CaleKeyException extends Exception {

	private static final long serialVersionUID = 1L;

	CaleKeyException(String message) {
		super(message);
	}

	CaleKeyException(String message, Throwable cause) {
		super(message, cause);
	}

}
