package dev.cryo.test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import dev.cryo.core.SessionId;

/**
 * Hand-made CAMP messages (camp.md §4), byte for byte, including the ones the CAMP codec refuses
 * to build: a 17-byte Cryo-style ping, a TX_START with an unknown behaviour byte or a name over
 * 1 KiB, an empty TX_FETCH range, chunks with any offset. Captured frames of the published clients
 * are replayed with {@link RawFrames#replay(String, SessionId)}. Send them with
 * {@link RawCryoClient#sendRaw(byte[])}.
 */
public final class RawCampFrames {

	/** The type byte of TX_START. */
	public static final int TX_START = 0x00;

	/** The type byte of TX_CHUNK. */
	public static final int TX_CHUNK = 0x01;

	/** The type byte of TX_FINISH. */
	public static final int TX_FINISH = 0x02;

	/** The type byte of TX_FETCH. */
	public static final int TX_FETCH = 0x03;

	/** The type byte of TX_CANCEL. */
	public static final int TX_CANCEL = 0x04;

	/** The behaviour byte of a pushed transaction. */
	public static final int PUSH = 0;

	/** The behaviour byte of a transaction offered for pulling. */
	public static final int PULL = 1;

	private RawCampFrames() {
	}

	/**
	 * Builds a 13-byte PING_PONG: sid, type, four ASCII characters, no ack.
	 * @param sid the session id
	 * @param payload {@code ping}, {@code pong} or anything else of four characters
	 * @return the message
	 */
	public static byte[] pingPong(SessionId sid, String payload) {
		return ByteBuffer.allocate(13)
			.putLong(sid.asLong())
			.put((byte) RawFrames.PING_PONG)
			.put(payload.getBytes(StandardCharsets.US_ASCII))
			.array();
	}

	/**
	 * Builds a TX_START with any field values.
	 * @param sid the session id
	 * @param ack the ack number
	 * @param txid the sender's transaction id
	 * @param size the announced size, -1 for unknown
	 * @param behaviour the behaviour byte, {@link #PUSH} or {@link #PULL} when valid
	 * @param name the name's bytes
	 * @return the message
	 */
	public static byte[] txStart(SessionId sid, int ack, int txid, long size, int behaviour, byte[] name) {
		return ByteBuffer.allocate(26 + name.length)
			.putLong(sid.asLong())
			.put((byte) TX_START)
			.putInt(ack)
			.putInt(txid)
			.putLong(size)
			.put((byte) behaviour)
			.put(name)
			.array();
	}

	/**
	 * Builds a TX_START with a UTF-8 name.
	 * @param sid the session id
	 * @param ack the ack number
	 * @param txid the sender's transaction id
	 * @param size the announced size, -1 for unknown
	 * @param behaviour the behaviour byte
	 * @param name the name
	 * @return the message
	 */
	public static byte[] txStart(SessionId sid, int ack, int txid, long size, int behaviour, String name) {
		return txStart(sid, ack, txid, size, behaviour, name.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Builds a TX_CHUNK with any offset, e.g. the end offsets camp-client-browser writes.
	 * @param sid the session id
	 * @param txid the transaction id
	 * @param offset the offset field
	 * @param payload the payload
	 * @return the message
	 */
	public static byte[] txChunk(SessionId sid, int txid, long offset, byte[] payload) {
		return ByteBuffer.allocate(21 + payload.length)
			.putLong(sid.asLong())
			.put((byte) TX_CHUNK)
			.putInt(txid)
			.putLong(offset)
			.put(payload)
			.array();
	}

	/**
	 * Builds a TX_FINISH.
	 * @param sid the session id
	 * @param ack the ack number
	 * @param txid the transaction id
	 * @return the message
	 */
	public static byte[] txFinish(SessionId sid, int ack, int txid) {
		return ByteBuffer.allocate(17).putLong(sid.asLong()).put((byte) TX_FINISH).putInt(ack).putInt(txid).array();
	}

	/**
	 * Builds a TX_FETCH with any range, empty and reversed ones included.
	 * @param sid the session id
	 * @param ack the ack number
	 * @param txid the transaction id, one the receiver of the frame started
	 * @param start the first byte
	 * @param end the byte after the last
	 * @return the message
	 */
	public static byte[] txFetch(SessionId sid, int ack, int txid, long start, long end) {
		return ByteBuffer.allocate(33)
			.putLong(sid.asLong())
			.put((byte) TX_FETCH)
			.putInt(ack)
			.putInt(txid)
			.putLong(start)
			.putLong(end)
			.array();
	}

	/**
	 * Builds a TX_CANCEL.
	 * @param sid the session id
	 * @param ack the ack number
	 * @param txid the transaction id, one the receiver of the frame started
	 * @return the message
	 */
	public static byte[] txCancel(SessionId sid, int ack, int txid) {
		return ByteBuffer.allocate(17).putLong(sid.asLong()).put((byte) TX_CANCEL).putInt(ack).putInt(txid).array();
	}

}
