package dev.cryo.core.engine;

import dev.cryo.core.frame.FrameType;

/** How the send queue treats a frame type (cryo-v1.md §11.3). */
public enum FrameClass {

	/** ACK and PING_PONG: sent ahead of queued frames, never dropped, not counted against the caps. */
	EXPEDITED,

	/** Handshake, BYE and transaction frames: never dropped, kept in order; producers wait for room. */
	PROTECTED,

	/** UTF8DATA, BINARYDATA and ERROR: subject to the drop policy. */
	DROPPABLE;

	/**
	 * Returns the class of a frame type.
	 * @param type the frame type
	 * @return its class
	 */
	public static FrameClass of(FrameType type) {
		return switch (type) {
			case ACK, PING_PONG -> EXPEDITED;
			case UTF8DATA, BINARYDATA, ERROR -> DROPPABLE;
			default -> PROTECTED;
		};
	}

}
