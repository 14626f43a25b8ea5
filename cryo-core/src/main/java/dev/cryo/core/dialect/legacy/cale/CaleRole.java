package dev.cryo.core.dialect.legacy.cale;

/**
 * The side of a CALE session a {@link CaleCipher} works for, which decides which of the two
 * directional keys it transmits with (legacy-v0.md §7.2).
 */
public enum CaleRole {

	/** Transmits with the server → client key {@code H[0..16)}, receives with {@code H[16..32)}. */
	SERVER,

	/** Transmits with the client → server key {@code H[16..32)}, receives with {@code H[0..16)}. */
	CLIENT

}
