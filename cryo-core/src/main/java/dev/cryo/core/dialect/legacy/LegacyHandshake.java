package dev.cryo.core.dialect.legacy;

import org.jspecify.annotations.Nullable;

/**
 * The three frame types of the legacy generation that belong to the CALE handshake
 * (legacy-v0.md §3.1, §7.1). They are not frames of the shared model: the CALE layer reads and
 * writes them as bytes with the handshake helpers of {@link LegacyCodec}, and the frame codec
 * refuses them.
 */
public enum LegacyHandshake {

	/** Type 5: the server's P-256 public key, 65 bytes uncompressed; exactly 86 bytes in all. */
	SERVER_HELLO(5),

	/** Type 6: the client's P-256 public key, 65 bytes uncompressed; exactly 86 bytes in all. */
	CLIENT_HELLO(6),

	/** Type 7: the end of the handshake; its payload is ASCII {@code null} in practice and ignored. */
	HANDSHAKE_DONE(7);

	private final int code;

	LegacyHandshake(int code) {
		this.code = code;
	}

	/**
	 * Returns the type byte.
	 * @return 5, 6 or 7
	 */
	public int code() {
		return this.code;
	}

	/**
	 * Returns whether the payload is a public key of fixed length (SERVER_HELLO, CLIENT_HELLO).
	 * @return whether the frame is a hello
	 */
	public boolean isHello() {
		return this != HANDSHAKE_DONE;
	}

	/**
	 * Looks up the handshake type of a type byte.
	 * @param code the type byte, signed or unsigned
	 * @return the handshake type, or {@code null} if the byte is not 5, 6 or 7
	 */
	public static @Nullable LegacyHandshake fromCode(int code) {
		return switch (code & 0xFF) {
			case 5 -> SERVER_HELLO;
			case 6 -> CLIENT_HELLO;
			case 7 -> HANDSHAKE_DONE;
			default -> null;
		};
	}

}
