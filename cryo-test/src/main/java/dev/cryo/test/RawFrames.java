package dev.cryo.test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import dev.cryo.core.SessionId;

/**
 * Hand-made messages the codec would refuse to build: unknown types, short messages, bad pings,
 * and frames over the size limits of cryo-v1.md §9. Also hands out session ids. Send them with
 * {@link RawCryoClient#sendRaw(byte[])}.
 */
public final class RawFrames {

	/** The type byte of UTF8DATA. */
	public static final int UTF8DATA = 0xFA;

	/** The type byte of BINARYDATA. */
	public static final int BINARYDATA = 0xF9;

	/** The type byte of PING_PONG. */
	public static final int PING_PONG = 0xFB;

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

}
