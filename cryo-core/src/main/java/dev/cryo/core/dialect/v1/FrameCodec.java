package dev.cryo.core.dialect.v1;

import java.nio.ByteBuffer;

import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.Frame;

/**
 * Static shortcuts to {@link CryoV1Codec} for code that speaks Cryo v1 only: tools, tests and
 * raw clients that build or read v1 messages by hand. The session engine goes through its
 * dialect's {@link dev.cryo.core.codec.WireCodec} instead.
 */
public final class FrameCodec {

	/** {@code CRYO_MAX_PAYLOAD}: the largest variable part of any frame, 16 MiB. */
	public static final int MAX_PAYLOAD = CryoV1Codec.MAX_PAYLOAD;

	/**
	 * The largest legal message in either transaction layout: a cryo-protocol 1.4 TX_START with a
	 * 16 MiB name, 16 777 237 bytes (cryo-v1.md §4.4, §9); the seed TX_START is 4 bytes shorter.
	 */
	public static final int MAX_MESSAGE_LENGTH = CryoV1Codec.MAX_MESSAGE_LENGTH;

	/** Every frame starts with sid (8), type (1) and ack or txid (4). */
	public static final int HEADER_LENGTH = CryoV1Codec.HEADER_LENGTH;

	private FrameCodec() {
	}

	/**
	 * Decodes the remaining bytes of a message. The buffer's position, limit and byte order are
	 * left unchanged.
	 * @param message one complete WebSocket binary message
	 * @return the frame
	 * @throws CryoFrameException if the message is malformed or its variable part is too large
	 */
	public static Frame decode(ByteBuffer message) {
		return CryoV1Codec.INSTANCE.decode(message);
	}

	/**
	 * Decodes a message held in an array.
	 * @param message one complete WebSocket binary message
	 * @return the frame, whose payload views share the array
	 * @throws CryoFrameException if the message is malformed or its variable part is too large
	 */
	public static Frame decode(byte[] message) {
		return decode(ByteBuffer.wrap(message));
	}

	/**
	 * Encodes a frame, with the ack number it carries, into a new heap buffer of exactly its
	 * encoded length, ready to be read (position 0, limit = length).
	 * @param frame the frame
	 * @return the message
	 */
	public static ByteBuffer encode(Frame frame) {
		return CryoV1Codec.INSTANCE.encode(frame);
	}

	/**
	 * Writes the encoded frame at the buffer's position, in network byte order whatever the
	 * buffer's own order, and advances the position by its encoded length.
	 * @param frame the frame
	 * @param target a buffer with room for the message
	 */
	public static void encodeTo(Frame frame, ByteBuffer target) {
		target.put(encode(frame));
	}

	/**
	 * Returns the number of bytes the frame occupies on the wire.
	 * @param frame the frame
	 * @return the encoded length, header included
	 */
	public static int encodedLength(Frame frame) {
		return encode(frame).remaining();
	}

}
