package dev.cryo.core.engine;

/**
 * The limits that keep what one peer makes an endpoint hold in memory bounded. When a peer
 * reaches one, its connection is closed; {@link SessionObserver#limitExceeded} counts it.
 */
public enum SessionLimit {

	/** A received message was larger than the configured per-message limit: closed with 1009. */
	MESSAGE_SIZE,

	/**
	 * A received message did not fit into what was left of the server-wide budget for messages
	 * under reassembly: closed with 1013.
	 */
	REASSEMBLY_BUDGET,

	/**
	 * More ACKs and pongs waited to be written than the session may hold, because the peer does
	 * not read what it is sent: closed with 1008.
	 */
	EXPEDITED_FRAMES

}
