package dev.cryo.test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import dev.cryo.core.SessionId;

/**
 * Hand-made messages the codec would refuse to build: unknown types, short messages, bad pings,
 * and frames over the size limits of cryo-v1.md §9; the transaction frames of the cryo-protocol
 * 1.4 layouts (§10.5) byte for byte; captured frames replayed in a test's own session. Also hands
 * out session ids. Send them with {@link RawCryoClient#sendRaw(byte[])}.
 */
public final class RawFrames {

	/** The type byte of UTF8DATA. */
	public static final int UTF8DATA = 0xFA;

	/** The type byte of BINARYDATA. */
	public static final int BINARYDATA = 0xF9;

	/** The type byte of PING_PONG. */
	public static final int PING_PONG = 0xFB;

	/** The type byte of TX_START. */
	public static final int TX_START = 0x00;

	/** The type byte of TX_CHUNK. */
	public static final int TX_CHUNK = 0x01;

	/** The type byte of 0x04: TX_PULL in the seed layout, the chunk-index TX_FETCH in the 1.4 layouts. */
	public static final int TX_PULL = 0x04;

	private RawFrames() {
	}

	/**
	 * Returns a fresh random session id, so tests sharing a server never collide.
	 * @return a numeric id, half of them at or above 2^63
	 */
	public static SessionId newSid() {
		return SessionId.of(ThreadLocalRandom.current().nextLong());
	}

	/**
	 * Builds a message of {@code length} bytes with the common header and zero payload bytes.
	 * @param sid the session id, numeric as Cryo v1 carries it
	 * @param type the type byte
	 * @param ack the ack number
	 * @param length the length of the whole message, at least the header's
	 * @return the message
	 */
	public static byte[] frame(SessionId sid, int type, int ack, int length) {
		ByteBuffer message = ByteBuffer.allocate(length);
		message.putLong(sid.asLong()).put((byte) type).putInt(ack);
		return message.array();
	}

	/**
	 * Builds a 13-byte message with an unassigned type byte.
	 * @param sid the session id
	 * @param type the type byte
	 * @return the message
	 */
	public static byte[] unknownType(SessionId sid, int type) {
		return frame(sid, type, 1, 13);
	}

	/**
	 * Builds a PING_PONG with the given payload, e.g. one that is neither "ping" nor "pong".
	 * @param sid the session id
	 * @param ack the ack number
	 * @param payload four ASCII characters
	 * @return the message
	 */
	public static byte[] pingPong(SessionId sid, int ack, String payload) {
		ByteBuffer message = ByteBuffer.wrap(frame(sid, PING_PONG, ack, 17));
		message.put(13, payload.getBytes(StandardCharsets.US_ASCII));
		return message.array();
	}

	/**
	 * Builds a TX_START in the cryo-protocol 1.4 layout (cryo-v1.md §10.5): ack, txid, a signed
	 * 32-bit size at 17 (-1, FF FF FF FF, when unknown), the name from 21.
	 * @param sid the session id
	 * @param ack the ack number
	 * @param txid the transaction id
	 * @param size the announced size, -1 for unknown
	 * @param name the name
	 * @return the message
	 */
	public static byte[] v14TxStart(SessionId sid, int ack, int txid, int size, String name) {
		byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(21 + bytes.length)
			.putLong(sid.asLong())
			.put((byte) TX_START)
			.putInt(ack)
			.putInt(txid)
			.putInt(size)
			.put(bytes)
			.array();
	}

	/**
	 * Builds a TX_CHUNK in the cryo-protocol 1.4 layout: txid, a sequence number at 13, the
	 * payload from 17.
	 * @param sid the session id
	 * @param txid the transaction id
	 * @param seq the chunk's sequence number, 0, 1, 2, ... per transaction
	 * @param payload the payload
	 * @return the message
	 */
	public static byte[] v14TxChunk(SessionId sid, int txid, int seq, byte[] payload) {
		return ByteBuffer.allocate(17 + payload.length)
			.putLong(sid.asLong())
			.put((byte) TX_CHUNK)
			.putInt(txid)
			.putInt(seq)
			.put(payload)
			.array();
	}

	/**
	 * Builds the 25-byte chunk-index TX_FETCH of the cryo-protocol 1.4 layout.
	 * @param sid the session id
	 * @param ack the ack number
	 * @param txid the transaction id
	 * @param start the first chunk index
	 * @param end the chunk index after the last
	 * @return the message
	 */
	public static byte[] v14TxFetch(SessionId sid, int ack, int txid, int start, int end) {
		return ByteBuffer.allocate(25)
			.putLong(sid.asLong())
			.put((byte) TX_PULL)
			.putInt(ack)
			.putInt(txid)
			.putInt(start)
			.putInt(end)
			.array();
	}

	/**
	 * Returns a captured message (lowercase hex, as the vector files hold it) with its first 8
	 * bytes, the session id, replaced, so that a published client's frame can be replayed in a
	 * test's own session.
	 * @param hex the captured message
	 * @param sid the session id to put in it
	 * @return the message
	 */
	public static byte[] replay(String hex, SessionId sid) {
		byte[] message = HexFormat.of().parseHex(hex);
		ByteBuffer.wrap(message).putLong(0, sid.asLong());
		return message;
	}

}
