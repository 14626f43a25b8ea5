package dev.cryo.core.engine;

/**
 * What the send queue does with a droppable frame that would exceed its caps
 * (cryo-v1.md §11.3, DESIGN.md Backpressure).
 */
public enum DropPolicy {

	/** Remove the oldest droppable frames until the new frame fits; drop the new one if it still does not. */
	DROP_OLDEST,

	/** Drop the new frame if it does not fit. */
	DROP_NEWEST,

	/** Replace a queued frame with the same dedupe key (type and payload, or a caller-given key). */
	DEDUPE_LATEST,

	/** Close the session of a peer that cannot keep up instead of dropping anything. */
	TERMINATE

}
