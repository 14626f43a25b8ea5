package dev.cryo.core.frame;

import org.jspecify.annotations.Nullable;

/**
 * The frame types of the model, with their Cryo v1 type byte and the length rules of the seed
 * layout (cryo-v1.md §4.4).
 *
 * <p>{@code TX_CANCEL} is the compatibility extension of the reference server; every other
 * code outside this enum is unassigned in Cryo v1. Other dialects map the types to their own
 * codes and lengths in their codec: CAMP writes {@code TX_PULL} as its TX_FETCH (0x03) and
 * {@code TX_CANCEL} as 0x04, and has no {@code TX_FLOW}.
 */
public enum FrameType {

	/** Protocol version and feature flags of the sender; the first frame of each side. */
	ENDPOINT_INFO(0xFF, 25, true, Namespace.BASE),

	/** The sender is leaving, with an optional reason. */
	BYE(0xFE, 13, false, Namespace.BASE),

	/** Acknowledges the frame whose ack number it copies. */
	ACK(0xFD, 13, true, Namespace.BASE),

	/** A protocol-level problem described in UTF-8 text. */
	ERROR(0xFC, 13, false, Namespace.BASE),

	/** Heartbeat: "ping" or "pong". */
	PING_PONG(0xFB, 17, true, Namespace.BASE),

	/** An application text message. */
	UTF8DATA(0xFA, 13, false, Namespace.BASE),

	/** An application binary message. */
	BINARYDATA(0xF9, 13, false, Namespace.BASE),

	/** Opens a transaction. */
	TX_START(0x00, 17, false, Namespace.TRANSACTION),

	/** Carries the next bytes of a transaction; has a txid where other frames have the ack. */
	TX_CHUNK(0x01, 13, false, Namespace.TRANSACTION),

	/** Completes a transaction. */
	TX_FINISH(0x02, 17, true, Namespace.TRANSACTION),

	/** Asks the peer to start its future transactions in push or pull mode. */
	TX_FLOW(0x03, 14, true, Namespace.TRANSACTION),

	/** Requests a byte range of a pull-mode transaction started by the receiver. */
	TX_PULL(0x04, 33, true, Namespace.TRANSACTION),

	/** Stops a transaction started by the receiver (reference-server compatibility). */
	TX_CANCEL(0x05, 17, true, Namespace.TRANSACTION);

	/** The protocol family a frame type belongs to (cryo-v1.md §4.2). */
	public enum Namespace {

		/** {@code Cryo.Base}: handshake, messages, acks, heartbeat, goodbye. */
		BASE,

		/** {@code Cryo.Transaction}: needs FEATURE_TRANSACTIONS on both sides. */
		TRANSACTION

	}

	private static final @Nullable FrameType[] BY_CODE = new FrameType[256];

	static {
		for (FrameType type : values()) {
			BY_CODE[type.code] = type;
		}
	}

	private final int code;

	private final int minLength;

	private final boolean fixedLength;

	private final Namespace namespace;

	FrameType(int code, int minLength, boolean fixedLength, Namespace namespace) {
		this.code = code;
		this.minLength = minLength;
		this.fixedLength = fixedLength;
		this.namespace = namespace;
	}

	/**
	 * Returns the Cryo v1 type byte, as an unsigned value between 0 and 255.
	 * @return the code
	 */
	public int code() {
		return this.code;
	}

	/**
	 * Returns the smallest legal length of a message of this type, header included.
	 * @return the minimum length in bytes
	 */
	public int minLength() {
		return this.minLength;
	}

	/**
	 * Returns whether a sender always produces exactly {@link #minLength()} bytes of this type.
	 * @return whether the length is fixed
	 */
	public boolean isFixedLength() {
		return this.fixedLength;
	}

	/**
	 * Returns whether the sender of a frame of this type takes an ack number for it and expects
	 * the peer to acknowledge it (cryo-v1.md §6.2). ACK, PING_PONG and TX_CHUNK are not tracked.
	 * @return whether frames of this type are tracked
	 */
	public boolean isTracked() {
		return this != ACK && this != PING_PONG && this != TX_CHUNK;
	}

	/**
	 * Returns the namespace of this type.
	 * @return the namespace
	 */
	public Namespace namespace() {
		return this.namespace;
	}

	/**
	 * Returns whether this is a {@code Cryo.Transaction} frame type.
	 * @return whether the type needs FEATURE_TRANSACTIONS
	 */
	public boolean isTransaction() {
		return this.namespace == Namespace.TRANSACTION;
	}

	/**
	 * Looks up the type for a type byte.
	 * @param code the type byte, signed or unsigned
	 * @return the type, or {@code null} when the code is unassigned
	 */
	public static @Nullable FrameType fromCode(int code) {
		return BY_CODE[code & 0xFF];
	}

	/**
	 * Formats a type byte the way diagnostics show it, e.g. {@code 0x7f}.
	 * @param code the type byte
	 * @return the hex form
	 */
	static String hex(int code) {
		return String.format("0x%02x", code & 0xFF);
	}

}
