package dev.cryo.core.codec;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxChunkFrame;

/**
 * Turns one WebSocket binary message into one {@link Frame} and back, in the byte layout of one
 * wire dialect. The frame records are the shared model; where a field sits on the wire, how
 * long a message may be and how the ack number is carried is the codec's business, so the
 * session engine never reads or writes a header byte itself.
 *
 * <p>Implementations are stateless and thread-safe: one instance serves every session of its
 * dialect.
 */
public interface WireCodec {

	/**
	 * Decodes the remaining bytes of a message. The buffer's position, limit and byte order are
	 * left unchanged; payloads of the frame may be read-only views of the message.
	 * @param message one complete WebSocket binary message
	 * @return the frame
	 * @throws CryoFrameException if the message is malformed or a variable part is too large
	 */
	Frame decode(ByteBuffer message);

	/**
	 * Decodes a message in a session that uses the given transaction layout for transactions it
	 * has not seen started; a dialect with one layout ignores it.
	 * @param message one complete WebSocket binary message
	 * @param layout the session's current transaction layout
	 * @return the frame
	 * @throws CryoFrameException if the message is malformed or a variable part is too large
	 */
	default Frame decode(ByteBuffer message, TransactionLayout layout) {
		return decode(message);
	}

	/**
	 * Encodes a frame into a new heap buffer, ready to be read (position 0, limit = length).
	 * The ack number is the one the sender drew for this frame and replaces the frame's own
	 * ack field; a TX_CHUNK carries its txid in that place, so it is passed here as well.
	 * Dialects without an ack field for the frame's type ignore it.
	 * @param frame the frame
	 * @param ack the ack number to send (the txid for TX_CHUNK)
	 * @return the message
	 * @throws IllegalArgumentException if the frame's session id is of a form the dialect cannot
	 * carry (a UUID in a dialect of numeric ids, or the reverse)
	 */
	ByteBuffer encode(Frame frame, int ack);

	/**
	 * Encodes a TX_CHUNK whose payload the sender has already placed in the message it will be
	 * sent as: {@code message} starts with {@link #fixedLength(FrameType, TransactionLayout)
	 * fixedLength(TX_CHUNK, layout)} bytes left free for the fixed part, followed by the payload
	 * up to its limit. The fixed part is written into that room and {@code message} returned, so
	 * the payload is not copied a second time as {@link #encode} would copy it; a transaction
	 * reads its source straight into the message. The default encodes a copy, for dialects that
	 * carry no transactions or whose chunks do not fit this shape.
	 * @param chunk the chunk, whose payload is the part of {@code message} after the room
	 * @param message the message: position 0, the room, then the payload up to the limit; the
	 * caller does not touch it afterwards
	 * @return the encoded message, ready to be read (position 0, limit = length)
	 * @throws IllegalArgumentException if the message is not the room followed by the chunk's
	 * payload, or the dialect cannot carry the chunk's session id or layout
	 */
	default ByteBuffer encodeChunkInPlace(TxChunkFrame chunk, ByteBuffer message) {
		return encode(chunk, chunk.txid());
	}

	/**
	 * Returns the largest message this codec accepts, header included.
	 * @return the largest message length in bytes
	 */
	int maxMessageLength();

	/**
	 * Returns the largest variable part (text, payload or name) of any frame.
	 * @return the largest payload length in bytes
	 */
	int maxPayload();

	/**
	 * Returns how many bytes a frame of the given type occupies besides its variable part: what a
	 * sender adds to a chunk's payload when it waits for room in the send queue.
	 * @param type the frame type
	 * @return the length of the fixed part, header included
	 */
	int fixedLength(FrameType type);

	/**
	 * Returns how many bytes a frame of the given type occupies besides its variable part in a
	 * transaction layout; a dialect with one layout ignores it.
	 * @param type the frame type
	 * @param layout the transaction layout
	 * @return the length of the fixed part, header included
	 */
	default int fixedLength(FrameType type, TransactionLayout layout) {
		return fixedLength(type);
	}

	/**
	 * Reads the frame type of a message this codec encoded, without decoding it: what counting
	 * sent frames needs on the writing thread.
	 * @param message a message returned by {@link #encode}, from its position
	 * @return the type, or {@code null} if the message carries no known type
	 */
	@Nullable FrameType peekType(ByteBuffer message);

	/**
	 * Returns a view of the part of an encoded message that follows its per-frame header (sid,
	 * type, ack): the bytes two data frames must share for one to replace the other under the
	 * dedupe-latest drop policy.
	 * @param message a message returned by {@link #encode}
	 * @return a view of the payload bytes, sharing the message's content
	 */
	ByteBuffer payloadView(ByteBuffer message);

}
