package dev.cryo.core.frame;

import dev.cryo.core.SessionId;

/**
 * One Cryo frame, carried in exactly one WebSocket binary message. Implementations are
 * immutable records, one per {@link FrameType}: a model without a byte layout. A dialect's
 * {@link dev.cryo.core.codec.WireCodec} decodes messages into them and encodes them.
 */
public sealed interface Frame permits EndpointInfoFrame, ByeFrame, AckFrame, ErrorFrame, PingPongFrame,
		Utf8DataFrame, BinaryDataFrame, TxStartFrame, TxChunkFrame, TxFinishFrame, TxFlowFrame, TxPullFrame,
		TxCancelFrame {

	/**
	 * The largest variable part (text, payload or name) a frame of the model holds: 16 MiB, the
	 * limit of Cryo v1. A dialect's codec may allow less.
	 */
	int MAX_PAYLOAD = 16 * 1024 * 1024;

	/**
	 * Returns the id of the session the frame belongs to, in the form its dialect puts on the
	 * wire.
	 * @return the session id
	 */
	SessionId sid();

	/**
	 * Returns the type of this frame.
	 * @return the frame type
	 */
	FrameType type();

}
