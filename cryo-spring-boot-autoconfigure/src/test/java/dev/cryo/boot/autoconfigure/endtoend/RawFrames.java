package dev.cryo.boot.autoconfigure.endtoend;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hand-made messages the codec would refuse to build: unknown types, short messages, bad pings,
 * and frames over the size limits of cryo-v1.md §9. Also hands out session ids.
 */
final class RawFrames {

	static final int UTF8DATA = 0xFA;

	static final int BINARYDATA = 0xF9;

	static final int PING_PONG = 0xFB;

	private RawFrames() {
	}

	/**
	 * Returns a fresh random session id, so tests sharing a server never collide.
	 * @return an unsigned 64-bit value, half of them at or above 2^63
	 */
	static long newSid() {
		return ThreadLocalRandom.current().nextLong();
	}

	/**
	 * Builds a message of {@code length} bytes with the common header and zero payload bytes.
	 */
	static byte[] frame(long sid, int type, int ack, int length) {
		ByteBuffer message = ByteBuffer.allocate(length);
		message.putLong(sid).put((byte) type).putInt(ack);
		return message.array();
	}

	/** A 13-byte message with an unassigned type byte. */
	static byte[] unknownType(long sid, int type) {
		return frame(sid, type, 1, 13);
	}

	/** A PING_PONG whose payload is neither "ping" nor "pong". */
	static byte[] pingPong(long sid, int ack, String payload) {
		ByteBuffer message = ByteBuffer.wrap(frame(sid, PING_PONG, ack, 17));
		message.put(13, payload.getBytes(StandardCharsets.US_ASCII));
		return message.array();
	}

}
