package dev.cryo.core.frame;

/**
 * Where the fields of the transaction frames sit on the wire. Cryo v1 has two layouts that
 * both announce version 1 (cryo-v1.md §10.5) and CAMP a third (camp.md §4); a frame carries
 * the layout it was decoded from or is to be encoded in, so that a transaction keeps its layout
 * when its session changes the one it uses for new transactions.
 */
public enum TransactionLayout {

	/**
	 * The seed layout (cryo-v1.md §4.3): TX_START without a size, TX_CHUNK with the payload
	 * right after the txid, 0x04 the 33-byte TX_PULL with byte ranges.
	 */
	SEED,

	/**
	 * The layout of cryo-protocol 1.1.8 to 1.4.2 (cryo-v1.md §10.5), spoken by the reference
	 * server 3.0.x and every published Cryo v1 client: a signed 32-bit size in TX_START, a chunk
	 * sequence number in TX_CHUNK, 0x04 the 25-byte TX_FETCH with chunk indexes.
	 */
	CRYO_PROTOCOL_1_4,

	/**
	 * CAMP (camp.md §4): a signed 64-bit size and a push/pull behaviour byte in TX_START, a byte
	 * offset in TX_CHUNK, 0x03 the TX_FETCH byte range and 0x04 TX_CANCEL.
	 */
	CAMP

}
