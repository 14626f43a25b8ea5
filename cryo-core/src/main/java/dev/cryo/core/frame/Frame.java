package dev.cryo.core.frame;

import java.nio.ByteBuffer;

/**
 * One Cryo v1 frame, carried in exactly one WebSocket binary message. Implementations are
 * immutable records, one per {@link FrameType}; {@link FrameCodec} decodes messages into them.
 */
public sealed interface Frame permits EndpointInfoFrame, ByeFrame, AckFrame, ErrorFrame, PingPongFrame,
		Utf8DataFrame, BinaryDataFrame, TxStartFrame, TxChunkFrame, TxFinishFrame, TxFlowFrame, TxPullFrame,
		TxCancelFrame {

	/**
	 * Returns the session id, an unsigned 64-bit value.
	 * @return the sid bits
	 */
	long sid();

	/**
	 * Returns the type of this frame.
	 * @return the frame type
	 */
	FrameType type();

	/**
	 * Returns the number of bytes this frame occupies on the wire.
	 * @return the encoded length, header included
	 */
	int encodedLength();

	/**
	 * Writes the complete frame at the buffer's position, in network byte order whatever the
	 * buffer's own order, and advances the position by {@link #encodedLength()}.
	 * @param target a buffer with at least {@link #encodedLength()} bytes remaining
	 */
	void encodeTo(ByteBuffer target);

}
