package dev.cryo.core.transaction;

/**
 * Why a transaction, or a request within one, was refused by a limit: the reasons that metrics
 * count (one fixed set, never anything that identifies a peer).
 */
public enum TransactionRefusal {

	/** A TX_START beyond the most incoming transactions of a session. */
	MAX_CONCURRENT,

	/** An outgoing transaction beyond the most of a session; it failed before TX_START. */
	MAX_CONCURRENT_OUTGOING,

	/** An incoming transaction grew beyond the largest accepted. */
	MAX_SIZE,

	/** The spill quota or the disk's free space was used up. */
	SPILL_SPACE,

	/** A TX_PULL asked for bytes of a pull transaction that are no longer kept. */
	PULL_RELEASED

}
