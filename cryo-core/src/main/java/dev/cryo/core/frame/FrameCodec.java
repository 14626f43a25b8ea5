package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import dev.cryo.core.frame.CryoFrameException.Rule;

/**
 * Turns one WebSocket binary message into one {@link Frame} and back.
 *
 * <p>{@link #decode(ByteBuffer)} trusts nothing: it checks every length against the rules of
 * cryo-v1.md §4.4–§4.5 and the payload limit of §9 and throws {@link CryoFrameException}, and
 * nothing else, for any message it refuses. Fixed-length frames with extra trailing bytes are
 * accepted (the extra bytes are ignored), except PING_PONG, which must be exactly 17 bytes.
 * Payloads of decoded frames are read-only views of the message, not copies, so a caller that
 * keeps a frame beyond the life of the message buffer must copy what it keeps.
 */
public final class FrameCodec {

	/** {@code CRYO_MAX_PAYLOAD}: the largest variable part of any frame, 16 MiB. */
	public static final int MAX_PAYLOAD = 16 * 1024 * 1024;

	/** The largest legal message: a TX_START with a 16 MiB name (cryo-v1.md §4.4). */
	public static final int MAX_MESSAGE_LENGTH = 17 + MAX_PAYLOAD;

	/** Every frame starts with sid (8), type (1) and ack or txid (4). */
	public static final int HEADER_LENGTH = 13;

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
		ByteBuffer in = message.slice().order(ByteOrder.BIG_ENDIAN);
		int length = in.remaining();
		if (length <= WireFormat.TYPE_OFFSET) {
			throw new CryoFrameException(Rule.TOO_SHORT, null, length,
					"message of " + length + " bytes ends before the type byte");
		}
		int code = in.get(WireFormat.TYPE_OFFSET);
		FrameType type = FrameType.fromCode(code);
		if (type == null) {
			throw new CryoFrameException(Rule.UNKNOWN_TYPE, null, WireFormat.TYPE_OFFSET,
					"unknown type " + FrameType.hex(code));
		}
		if (length < type.minLength()) {
			throw new CryoFrameException(Rule.TOO_SHORT, type, length,
					type + " needs at least " + type.minLength() + " bytes, got " + length);
		}
		long sid = in.getLong(0);
		int ack = in.getInt(WireFormat.ACK_OFFSET);
		return switch (type) {
			case ENDPOINT_INFO -> new EndpointInfoFrame(sid, ack, in.getInt(13), in.getLong(17));
			case BYE -> new ByeFrame(sid, ack, text(in, type, 13));
			case ACK -> new AckFrame(sid, ack);
			case ERROR -> new ErrorFrame(sid, ack, text(in, type, 13));
			case PING_PONG -> new PingPongFrame(sid, ack, pingPongKind(in));
			case UTF8DATA -> new Utf8DataFrame(sid, ack, payload(in, type, 13));
			case BINARYDATA -> new BinaryDataFrame(sid, ack, payload(in, type, 13));
			case TX_START -> new TxStartFrame(sid, ack, in.getInt(13), text(in, type, 17));
			case TX_CHUNK -> new TxChunkFrame(sid, ack, payload(in, type, 13));
			case TX_FINISH -> new TxFinishFrame(sid, ack, in.getInt(13));
			case TX_FLOW -> new TxFlowFrame(sid, ack, flowBehaviour(in));
			case TX_PULL -> new TxPullFrame(sid, ack, in.getInt(13), in.getLong(17), in.getLong(25));
			case TX_CANCEL -> new TxCancelFrame(sid, ack, in.getInt(13));
		};
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
	 * Encodes a frame into a new heap buffer of exactly {@link Frame#encodedLength()} bytes,
	 * ready to be read (position 0, limit = length).
	 * @param frame the frame
	 * @return the message
	 */
	public static ByteBuffer encode(Frame frame) {
		ByteBuffer message = ByteBuffer.allocate(frame.encodedLength());
		frame.encodeTo(message);
		return message.flip();
	}

	private static ByteBuffer payload(ByteBuffer in, FrameType type, int offset) {
		WireFormat.checkPayloadLength(type, offset, in.limit() - offset);
		return in.slice(offset, in.limit() - offset);
	}

	private static String text(ByteBuffer in, FrameType type, int offset) {
		return WireFormat.decodeUtf8(payload(in, type, offset));
	}

	private static PingPongFrame.Kind pingPongKind(ByteBuffer in) {
		if (in.limit() != FrameType.PING_PONG.minLength()) {
			throw new CryoFrameException(Rule.TOO_LONG, FrameType.PING_PONG, FrameType.PING_PONG.minLength(),
					"PING_PONG must be exactly 17 bytes, got " + in.limit());
		}
		PingPongFrame.Kind kind = PingPongFrame.Kind.fromPayload(in.getInt(13));
		if (kind == null) {
			throw new CryoFrameException(Rule.INVALID_PING_PONG_PAYLOAD, FrameType.PING_PONG, 13,
					"PING_PONG payload must be \"ping\" or \"pong\"");
		}
		return kind;
	}

	private static FlowBehaviour flowBehaviour(ByteBuffer in) {
		int code = in.get(13);
		FlowBehaviour behaviour = FlowBehaviour.fromCode(code);
		if (behaviour == null) {
			throw new CryoFrameException(Rule.INVALID_FLOW_BEHAVIOUR, FrameType.TX_FLOW, 13,
					"TX_FLOW behaviour must be 0 (push) or 1 (pull), got " + (code & 0xFF));
		}
		return behaviour;
	}

}
