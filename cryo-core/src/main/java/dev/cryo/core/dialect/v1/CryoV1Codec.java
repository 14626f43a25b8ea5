package dev.cryo.core.dialect.v1;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.codec.WireCodec;
import dev.cryo.core.codec.WireFields;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.CryoFrameException.Rule;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxCancelFrame;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;

/**
 * The byte layout of Cryo v1 (cryo-v1.md §4): every frame starts with the sid (8 bytes), the
 * type byte and the ack number (the txid in TX_CHUNK), all big-endian, followed by the fields
 * of its type.
 *
 * <p>Transaction frames exist in two layouts that both announce version 1 (§10.5): the seed's
 * and cryo-protocol 1.4's. {@link #decode(ByteBuffer, TransactionLayout)} reads them in the
 * session's layout, and in a seed session still recognises a 1.4 TX_START by its size −1
 * ({@code FF FF FF FF} where a seed name would start, which UTF-8 never contains); encoding
 * follows the layout each frame carries.
 *
 * <p>{@link #decode(ByteBuffer)} trusts nothing: it checks every length against the rules of
 * §4.4–§4.5 and the payload limit of §9 and throws {@link CryoFrameException}, and nothing
 * else, for any message it refuses. Fixed-length frames with extra trailing bytes are accepted
 * (the extra bytes are ignored), except PING_PONG, which must be exactly 17 bytes. Payloads of
 * decoded frames are read-only views of the message, not copies.
 */
public final class CryoV1Codec implements WireCodec {

	/** The one instance; the codec holds no state. */
	public static final CryoV1Codec INSTANCE = new CryoV1Codec();

	/** {@code CRYO_MAX_PAYLOAD}: the largest variable part of any frame, 16 MiB. */
	public static final int MAX_PAYLOAD = 16 * 1024 * 1024;

	/**
	 * The largest legal message in either layout: a cryo-protocol 1.4 TX_START with a 16 MiB
	 * name (§4.4, §9); in the seed layout the largest is 4 bytes shorter.
	 */
	public static final int MAX_MESSAGE_LENGTH = 21 + MAX_PAYLOAD;

	/** A cryo-protocol 1.4 TX_START's name, and its TX_FETCH's end, follow a 4-byte field after the txid. */
	private static final int V14_NAME_OFFSET = 21;

	/** A cryo-protocol 1.4 TX_CHUNK's payload follows its 4-byte sequence number. */
	private static final int V14_CHUNK_PAYLOAD_OFFSET = 17;

	/** The length of the chunk-index TX_FETCH of cryo-protocol 1.4. */
	private static final int V14_FETCH_LENGTH = 25;

	/** The 4 size bytes of a 1.4 TX_START with unknown size: −1. */
	private static final int UNKNOWN_SIZE_MARKER = -1;

	/** Every frame starts with sid (8), type (1) and ack or txid (4). */
	public static final int HEADER_LENGTH = 13;

	private static final int TYPE_OFFSET = 8;

	private static final int ACK_OFFSET = 9;

	/** Where the second fixed field, or the variable part of a single-field frame, starts. */
	private static final int BODY_OFFSET = HEADER_LENGTH;

	/** TX_START's name and TX_PULL's start follow the 4-byte txid after the header. */
	private static final int AFTER_TXID_OFFSET = 17;

	/** TX_PULL's end follows its 8-byte start. */
	private static final int PULL_END_OFFSET = 25;

	private CryoV1Codec() {
	}

	/** Decodes in the seed layout, recognising a 1.4 TX_START of unknown size (§10.5 rule 3). */
	@Override
	public Frame decode(ByteBuffer message) {
		return decode(message, TransactionLayout.SEED);
	}

	@Override
	public Frame decode(ByteBuffer message, TransactionLayout layout) {
		boolean v14 = layout == TransactionLayout.CRYO_PROTOCOL_1_4;
		ByteBuffer in = message.slice().order(ByteOrder.BIG_ENDIAN);
		int length = in.remaining();
		if (length <= TYPE_OFFSET) {
			throw new CryoFrameException(Rule.TOO_SHORT, null, length,
					"message of " + length + " bytes ends before the type byte");
		}
		int code = in.get(TYPE_OFFSET);
		FrameType type = FrameType.fromCode(code);
		if (type == null) {
			throw new CryoFrameException(Rule.UNKNOWN_TYPE, null, TYPE_OFFSET,
					"unknown type " + String.format("0x%02x", code & 0xFF));
		}
		int minLength = v14 ? v14MinLength(type) : type.minLength();
		if (length < minLength) {
			throw new CryoFrameException(Rule.TOO_SHORT, type, length,
					type + " needs at least " + minLength + " bytes, got " + length);
		}
		if (v14 && type == FrameType.TX_PULL && length != V14_FETCH_LENGTH) {
			// §10.5: in a 1.4 session 0x04 is the 25-byte TX_FETCH, and any other 0x04 frame is malformed.
			throw new CryoFrameException(Rule.TOO_LONG, type, V14_FETCH_LENGTH,
					"0x04 in the cryo-protocol 1.4 layout is the 25-byte TX_FETCH, got " + length + " bytes");
		}
		// The one allocation of the id per frame; the engine compares it by value.
		SessionId sid = SessionId.of(in.getLong(0));
		int ack = in.getInt(ACK_OFFSET);
		return switch (type) {
			case ENDPOINT_INFO -> new EndpointInfoFrame(sid, ack, in.getInt(BODY_OFFSET), in.getLong(AFTER_TXID_OFFSET));
			case BYE -> new ByeFrame(sid, ack, text(in, type, BODY_OFFSET));
			case ACK -> new AckFrame(sid, ack);
			case ERROR -> new ErrorFrame(sid, ack, text(in, type, BODY_OFFSET));
			case PING_PONG -> new PingPongFrame(sid, ack,
					WireFields.pingPongKind(in, FrameType.PING_PONG.minLength()));
			case UTF8DATA -> new Utf8DataFrame(sid, ack, payload(in, type, BODY_OFFSET));
			case BINARYDATA -> new BinaryDataFrame(sid, ack, payload(in, type, BODY_OFFSET));
			case TX_START -> (v14 || isUnknownSizeV14Start(in)) ? v14Start(in, sid, ack)
					: new TxStartFrame(sid, ack, in.getInt(BODY_OFFSET), text(in, type, AFTER_TXID_OFFSET));
			case TX_CHUNK -> v14
					? new TxChunkFrame(sid, ack, payload(in, type, V14_CHUNK_PAYLOAD_OFFSET),
							Integer.toUnsignedLong(in.getInt(BODY_OFFSET)), TransactionLayout.CRYO_PROTOCOL_1_4)
					: new TxChunkFrame(sid, ack, payload(in, type, BODY_OFFSET));
			case TX_FINISH -> new TxFinishFrame(sid, ack, in.getInt(BODY_OFFSET));
			case TX_FLOW -> new TxFlowFrame(sid, ack, flowBehaviour(in));
			case TX_PULL -> v14
					? new TxPullFrame(sid, ack, in.getInt(BODY_OFFSET), Integer.toUnsignedLong(in.getInt(AFTER_TXID_OFFSET)),
							Integer.toUnsignedLong(in.getInt(V14_NAME_OFFSET)), TransactionLayout.CRYO_PROTOCOL_1_4)
					: new TxPullFrame(sid, ack, in.getInt(BODY_OFFSET), in.getLong(AFTER_TXID_OFFSET),
							in.getLong(PULL_END_OFFSET));
			case TX_CANCEL -> new TxCancelFrame(sid, ack, in.getInt(BODY_OFFSET));
		};
	}

	/** The shortest frame of a type in the cryo-protocol 1.4 layout. */
	private static int v14MinLength(FrameType type) {
		return switch (type) {
			case TX_START -> V14_NAME_OFFSET;
			case TX_CHUNK -> V14_CHUNK_PAYLOAD_OFFSET;
			case TX_PULL -> V14_FETCH_LENGTH;
			default -> type.minLength();
		};
	}

	/**
	 * Whether a TX_START read in a seed session is a 1.4 TX_START of unknown size: its bytes
	 * 17–20 are FF FF FF FF, which cannot begin a UTF-8 name (§10.5 rule 3).
	 */
	private static boolean isUnknownSizeV14Start(ByteBuffer in) {
		return in.limit() >= V14_NAME_OFFSET && in.getInt(AFTER_TXID_OFFSET) == UNKNOWN_SIZE_MARKER;
	}

	/**
	 * A 1.4 TX_START. Its size is informational (§10.5): −1 means unknown and so does every other
	 * negative value, which is no length either; keeping such a value would make the frame claim a
	 * size it cannot have and re-encode to different bytes.
	 */
	private static TxStartFrame v14Start(ByteBuffer in, SessionId sid, int ack) {
		int size = in.getInt(AFTER_TXID_OFFSET);
		return new TxStartFrame(sid, ack, in.getInt(BODY_OFFSET), text(in, FrameType.TX_START, V14_NAME_OFFSET),
				(size < 0) ? TxStartFrame.UNKNOWN_SIZE : size, null, TransactionLayout.CRYO_PROTOCOL_1_4);
	}

	/**
	 * {@inheritDoc}
	 * @throws IllegalArgumentException if the frame's sid is a UUID, which v1 cannot carry, or
	 * a transaction frame is in the CAMP layout
	 */
	@Override
	public ByteBuffer encode(Frame frame, int ack) {
		ByteBuffer message = switch (frame.type()) {
			case ENDPOINT_INFO -> {
				EndpointInfoFrame info = (EndpointInfoFrame) frame;
				yield header(frame, ack, 25).putInt(info.version()).putLong(info.flags());
			}
			case BYE -> withText(frame, ack, ((ByeFrame) frame).reason());
			case ACK -> header(frame, ack, HEADER_LENGTH);
			case ERROR -> withText(frame, ack, ((ErrorFrame) frame).message());
			case PING_PONG -> header(frame, ack, 17).putInt(WireFields.pingPongBytes(((PingPongFrame) frame).kind()));
			case UTF8DATA -> {
				Utf8DataFrame data = (Utf8DataFrame) frame;
				yield header(frame, ack, HEADER_LENGTH + data.payloadLength()).put(data.payload());
			}
			case BINARYDATA -> {
				BinaryDataFrame data = (BinaryDataFrame) frame;
				yield header(frame, ack, HEADER_LENGTH + data.payloadLength()).put(data.payload());
			}
			case TX_START -> {
				TxStartFrame start = (TxStartFrame) frame;
				byte[] name = utf8(start.name());
				yield switch (v1Layout(frame, start.layout())) {
					case CRYO_PROTOCOL_1_4 -> header(frame, ack, V14_NAME_OFFSET + name.length).putInt(start.txid())
						.putInt(v14Size(start.size()))
						.put(name);
					default -> header(frame, ack, AFTER_TXID_OFFSET + name.length).putInt(start.txid()).put(name);
				};
			}
			case TX_CHUNK -> {
				TxChunkFrame chunk = (TxChunkFrame) frame;
				yield switch (v1Layout(frame, chunk.layout())) {
					case CRYO_PROTOCOL_1_4 -> header(frame, ack, V14_CHUNK_PAYLOAD_OFFSET + chunk.payloadLength())
						.putInt((int) chunk.position())
						.put(chunk.payload());
					default -> header(frame, ack, HEADER_LENGTH + chunk.payloadLength()).put(chunk.payload());
				};
			}
			case TX_FINISH -> header(frame, ack, 17).putInt(((TxFinishFrame) frame).txid());
			case TX_FLOW -> header(frame, ack, 14).put((byte) ((TxFlowFrame) frame).behaviour().code());
			case TX_PULL -> {
				TxPullFrame pull = (TxPullFrame) frame;
				yield switch (v1Layout(frame, pull.layout())) {
					case CRYO_PROTOCOL_1_4 -> header(frame, ack, V14_FETCH_LENGTH).putInt(pull.txid())
						.putInt((int) pull.start())
						.putInt((int) pull.end());
					default -> header(frame, ack, 33).putInt(pull.txid()).putLong(pull.start()).putLong(pull.end());
				};
			}
			case TX_CANCEL -> header(frame, ack, 17).putInt(((TxCancelFrame) frame).txid());
		};
		return message.flip();
	}

	/**
	 * {@inheritDoc}
	 * <p>The room is 13 bytes in the seed layout (sid, type, txid) and 17 in cryo-protocol 1.4
	 * (and the sequence number).
	 */
	@Override
	public ByteBuffer encodeChunkInPlace(TxChunkFrame chunk, ByteBuffer message) {
		TransactionLayout layout = v1Layout(chunk, chunk.layout());
		ByteBuffer room = WireFields.chunkRoom(chunk, message, fixedLength(FrameType.TX_CHUNK, layout))
			.putLong(WireFields.numericSid(chunk, "Cryo v1"))
			.put((byte) FrameType.TX_CHUNK.code())
			.putInt(chunk.txid());
		if (layout == TransactionLayout.CRYO_PROTOCOL_1_4) {
			room.putInt((int) chunk.position());
		}
		return message;
	}

	/**
	 * Encodes a frame with the ack number it carries itself (its txid for TX_CHUNK).
	 * @param frame the frame
	 * @return the message, ready to be read
	 */
	public ByteBuffer encode(Frame frame) {
		return encode(frame, Frame.headerNumber(frame));
	}

	@Override
	public int maxMessageLength() {
		return MAX_MESSAGE_LENGTH;
	}

	@Override
	public int fixedLength(FrameType type) {
		// In v1 the shortest legal frame of a type is exactly its fixed part.
		return type.minLength();
	}

	@Override
	public int fixedLength(FrameType type, TransactionLayout layout) {
		return (layout == TransactionLayout.CRYO_PROTOCOL_1_4) ? v14MinLength(type) : type.minLength();
	}

	/** A layout v1 can write; CAMP frames belong to the CAMP codec. */
	private static TransactionLayout v1Layout(Frame frame, TransactionLayout layout) {
		if (layout == TransactionLayout.CAMP) {
			throw new IllegalArgumentException("Cryo v1 cannot encode " + frame.type() + " in the CAMP layout");
		}
		return layout;
	}

	/** The signed 32-bit size of a 1.4 TX_START: −1 when unknown or beyond what 32 bits hold. */
	private static int v14Size(long size) {
		return (size < 0 || size > Integer.MAX_VALUE) ? UNKNOWN_SIZE_MARKER : (int) size;
	}

	@Override
	public int maxPayload() {
		return MAX_PAYLOAD;
	}

	@Override
	public @Nullable FrameType peekType(ByteBuffer message) {
		return FrameType.fromCode(message.get(message.position() + TYPE_OFFSET));
	}

	@Override
	public ByteBuffer payloadView(ByteBuffer message) {
		return message.slice(HEADER_LENGTH, message.remaining() - HEADER_LENGTH);
	}


	/** A big-endian buffer of the message's length with sid, type byte and ack written. */
	private static ByteBuffer header(Frame frame, int ack, int length) {
		return ByteBuffer.allocate(length)
			.putLong(WireFields.numericSid(frame, "Cryo v1"))
			.put((byte) frame.type().code())
			.putInt(ack);
	}

	private static ByteBuffer withText(Frame frame, int ack, String text) {
		byte[] bytes = utf8(text);
		return header(frame, ack, HEADER_LENGTH + bytes.length).put(bytes);
	}

	/** Malformed UTF-16 becomes '?', as {@link String#getBytes} does; the records size it the same way. */
	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static FlowBehaviour flowBehaviour(ByteBuffer in) {
		int code = in.get(BODY_OFFSET);
		FlowBehaviour behaviour = FlowBehaviour.fromCode(code);
		if (behaviour == null) {
			throw new CryoFrameException(Rule.INVALID_FLOW_BEHAVIOUR, FrameType.TX_FLOW, BODY_OFFSET,
					"TX_FLOW behaviour must be 0 (push) or 1 (pull), got " + (code & 0xFF));
		}
		return behaviour;
	}

	private static ByteBuffer payload(ByteBuffer in, FrameType type, int offset) {
		return WireFields.payload(in, type, offset, MAX_PAYLOAD);
	}

	private static String text(ByteBuffer in, FrameType type, int offset) {
		return WireFields.text(in, type, offset, MAX_PAYLOAD);
	}

}
