package dev.cryo.core.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.CryoFrameException.Rule;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TxChunkFrame;

/**
 * Reading and writing the fields that the codecs of the Cryo family share — a numeric or UUID sid, a
 * bounded variable part, leniently decoded UTF-8 text, a ping or pong — so that each codec only
 * says where they sit. Every reader throws {@link CryoFrameException} and nothing else.
 */
public final class WireFields {

	/** The ASCII payload {@code ping}, read big-endian. */
	private static final int PING = 0x70696E67;

	/** The ASCII payload {@code pong}, read big-endian. */
	private static final int PONG = 0x706F6E67;

	private WireFields() {
	}

	/**
	 * Returns the variable part from {@code offset} to the end of the message, as a view.
	 * @param in the message, position 0
	 * @param type the frame type, for the diagnostic
	 * @param offset where the variable part starts
	 * @param maxPayload the dialect's limit
	 * @return a view of the bytes
	 * @throws CryoFrameException ({@link Rule#PAYLOAD_TOO_LARGE}) when the part is larger than the limit
	 */
	public static ByteBuffer payload(ByteBuffer in, FrameType type, int offset, int maxPayload) {
		int length = in.limit() - offset;
		if (length > maxPayload) {
			throw new CryoFrameException(Rule.PAYLOAD_TOO_LARGE, type, offset,
					type + " variable part of " + length + " bytes exceeds " + maxPayload);
		}
		return in.slice(offset, length);
	}

	/**
	 * Decodes the variable part as UTF-8, leniently: malformed sequences become U+FFFD
	 * (cryo-v1.md §1.6).
	 * @param in the message, position 0
	 * @param type the frame type, for the diagnostic
	 * @param offset where the text starts
	 * @param maxPayload the dialect's limit
	 * @return the text
	 */
	public static String text(ByteBuffer in, FrameType type, int offset, int maxPayload) {
		ByteBuffer bytes = payload(in, type, offset, maxPayload);
		if (bytes.hasArray()) {
			return new String(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining(),
					StandardCharsets.UTF_8);
		}
		byte[] copy = new byte[bytes.remaining()];
		bytes.duplicate().get(copy);
		return new String(copy, StandardCharsets.UTF_8);
	}

	/**
	 * Reads a PING_PONG whose 4 ASCII bytes end the message, which must be exactly as long as
	 * the dialect says.
	 * @param in the message, position 0
	 * @param length the exact length of a PING_PONG in the dialect
	 * @return ping or pong
	 */
	public static PingPongFrame.Kind pingPongKind(ByteBuffer in, int length) {
		if (in.limit() != length) {
			throw new CryoFrameException(Rule.TOO_LONG, FrameType.PING_PONG, length,
					"PING_PONG must be exactly " + length + " bytes, got " + in.limit());
		}
		int offset = length - 4;
		int payload = in.getInt(offset);
		if (payload == PING) {
			return PingPongFrame.Kind.PING;
		}
		if (payload == PONG) {
			return PingPongFrame.Kind.PONG;
		}
		throw new CryoFrameException(Rule.INVALID_PING_PONG_PAYLOAD, FrameType.PING_PONG, offset,
				"PING_PONG payload must be \"ping\" or \"pong\"");
	}

	/**
	 * Returns the 4 ASCII bytes of a ping or pong, big-endian.
	 * @param kind ping or pong
	 * @return the bytes as an int
	 */
	public static int pingPongBytes(PingPongFrame.Kind kind) {
		return (kind == PingPongFrame.Kind.PING) ? PING : PONG;
	}

	/**
	 * Reads a UUID sid: 16 raw bytes, the UUID's 32 hex digits in text order (legacy-v0.md §3).
	 * Every 16 bytes are some UUID, so nothing is refused here; the caller has checked that the
	 * message holds them.
	 * @param in the message, position 0
	 * @param offset where the 16 bytes start
	 * @return the id
	 */
	public static SessionId uuidSid(ByteBuffer in, int offset) {
		return SessionId.of(new UUID(in.getLong(offset), in.getLong(offset + Long.BYTES)));
	}

	/**
	 * Returns the UUID of a frame's sid, for a dialect whose header carries the 16 raw bytes.
	 * @param frame the frame
	 * @param dialect the dialect's name, for the diagnostic
	 * @return the UUID
	 * @throws IllegalArgumentException if the sid is numeric, which the dialect cannot carry
	 */
	public static UUID uuidSid(Frame frame, String dialect) {
		return uuidSid(frame.sid(), frame.type().toString(), dialect);
	}

	/**
	 * Returns the UUID of a sid, for a dialect whose header carries the 16 raw bytes.
	 * @param sid the session id
	 * @param what what is being encoded, for the diagnostic
	 * @param dialect the dialect's name, for the diagnostic
	 * @return the UUID
	 * @throws IllegalArgumentException if the sid is numeric, which the dialect cannot carry
	 */
	public static UUID uuidSid(SessionId sid, String what, String dialect) {
		if (sid.isNumeric()) {
			throw new IllegalArgumentException(dialect + " carries UUID session ids only, cannot encode " + what
					+ " of session " + sid);
		}
		return sid.asUuid();
	}

	/**
	 * Returns the 8 bytes of a frame's numeric sid.
	 * @param frame the frame
	 * @param dialect the dialect's name, for the diagnostic
	 * @return the sid as an unsigned long
	 * @throws IllegalArgumentException if the sid is a UUID, which the dialect cannot carry
	 */
	public static long numericSid(Frame frame, String dialect) {
		SessionId sid = frame.sid();
		if (!sid.isNumeric()) {
			throw new IllegalArgumentException(dialect + " carries numeric session ids only, cannot encode "
					+ frame.type() + " of session " + sid);
		}
		return sid.asLong();
	}


	/**
	 * Checks that a message handed to {@link WireCodec#encodeChunkInPlace} is what the codec
	 * expects, and returns a big-endian view of its room to write the fixed part into.
	 * @param chunk the chunk
	 * @param message the room followed by the chunk's payload
	 * @param room the length of the chunk's fixed part in the codec's layout
	 * @return a view of the message from 0 to {@code room}, big-endian, position 0
	 * @throws IllegalArgumentException if the message does not start at 0 or its length is not
	 * the room plus the chunk's payload
	 */
	public static ByteBuffer chunkRoom(TxChunkFrame chunk, ByteBuffer message, int room) {
		if (message.position() != 0 || message.limit() != room + chunk.payloadLength()) {
			throw new IllegalArgumentException("A chunk encoded in place needs " + room + " bytes of room before its "
					+ chunk.payloadLength() + " bytes of payload, got a message of " + message.remaining()
					+ " bytes from position " + message.position());
		}
		return message.slice(0, room).order(ByteOrder.BIG_ENDIAN);
	}

}
