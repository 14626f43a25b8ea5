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

	/**
	 * Returns the number a frame carries where the common header has its ack field: its ack
	 * number, or the txid of a TX_CHUNK, which has no ack. What a codec writes there when asked
	 * to encode a frame with the number it holds itself.
	 * @param frame the frame
	 * @return the unsigned 32-bit number, held in an {@code int}
	 */
	static int headerNumber(Frame frame) {
		return switch (frame.type()) {
			case ENDPOINT_INFO -> ((EndpointInfoFrame) frame).ack();
			case BYE -> ((ByeFrame) frame).ack();
			case ACK -> ((AckFrame) frame).ack();
			case ERROR -> ((ErrorFrame) frame).ack();
			case PING_PONG -> ((PingPongFrame) frame).ack();
			case UTF8DATA -> ((Utf8DataFrame) frame).ack();
			case BINARYDATA -> ((BinaryDataFrame) frame).ack();
			case TX_START -> ((TxStartFrame) frame).ack();
			case TX_CHUNK -> ((TxChunkFrame) frame).txid();
			case TX_FINISH -> ((TxFinishFrame) frame).ack();
			case TX_FLOW -> ((TxFlowFrame) frame).ack();
			case TX_PULL -> ((TxPullFrame) frame).ack();
			case TX_CANCEL -> ((TxCancelFrame) frame).ack();
		};
	}

}
