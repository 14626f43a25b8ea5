package dev.cryo.core.frame;

import org.jspecify.annotations.Nullable;

/**
 * How the peer should deliver the transactions it starts, as requested by a TX_FLOW frame
 * (cryo-v1.md §10.3).
 */
public enum FlowBehaviour {

	/** The sender streams chunks as fast as backpressure allows (the default). */
	PUSH(0),

	/** The sender waits for TX_PULL byte-range requests. */
	PULL(1);

	private final int code;

	FlowBehaviour(int code) {
		this.code = code;
	}

	/**
	 * Returns the behaviour byte of a TX_FLOW frame.
	 * @return 0 for push, 1 for pull
	 */
	public int code() {
		return this.code;
	}

	/**
	 * Looks up a behaviour byte.
	 * @param code the byte, signed or unsigned
	 * @return the behaviour, or {@code null} when the byte is neither 0 nor 1
	 */
	public static @Nullable FlowBehaviour fromCode(int code) {
		return switch (code & 0xFF) {
			case 0 -> PUSH;
			case 1 -> PULL;
			default -> null;
		};
	}

}
