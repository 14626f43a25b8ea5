package dev.cryo.core.dialect.camp;

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
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;

/**
 * The byte layout of CAMP (camp.md §2–§4): the Cryo v1 header and base frames, a 13-byte ping
 * without ack, TX_START with a signed 64-bit size and a behaviour byte, TX_CHUNK with the byte
 * offset of its payload, TX_FETCH at 0x03 and TX_CANCEL at 0x04, and limits of 1 MiB per payload
 * and 1 KiB per transaction name.
 *
 * <p>In the frame model TX_FETCH is a {@link TxPullFrame} in the {@link TransactionLayout#CAMP}
 * layout. {@link #decode(ByteBuffer)} trusts nothing and throws {@link CryoFrameException} only:
 * a payload over 1 MiB is {@link Rule#PAYLOAD_TOO_LARGE}; a TX_START or TX_FETCH whose header is
 * readable but whose fields are refused (a name over 1 KiB, a behaviour other than 0 or 1, a pull
 * of unknown size, an empty range) is {@link Rule#INVALID_TRANSACTION} and carries the ack and
 * txid, so the session can answer it (camp.md §8 rules 7–8).
 */
public final class CampCodec implements WireCodec {

	/** The one instance; the codec holds no state. */
	public static final CampCodec INSTANCE = new CampCodec();

	/** {@code CAMP_MAX_PAYLOAD}: 1 MiB for data, error and chunk payloads (§2). */
	public static final int MAX_PAYLOAD = 1024 * 1024;

	/** {@code CAMP_MAX_NAME}: 1 KiB of UTF-8 per transaction name (§2). */
	public static final int MAX_NAME = 1024;

	/** The largest legal message: a TX_CHUNK with a 1 MiB payload (§2). */
	public static final int MAX_MESSAGE_LENGTH = 21 + MAX_PAYLOAD;

	private static final int HEADER_LENGTH = 13;

	private static final int TYPE_OFFSET = 8;

	private static final int ACK_OFFSET = 9;

	private static final int PING_LENGTH = 13;

	private static final int START_LENGTH = 26;

	private static final int CHUNK_LENGTH = 21;

	private static final int FETCH_LENGTH = 33;

	private CampCodec() {
	}

	@Override
	public Frame decode(ByteBuffer message) {
		ByteBuffer in = message.slice().order(ByteOrder.BIG_ENDIAN);
		int length = in.remaining();
		if (length <= TYPE_OFFSET) {
			throw new CryoFrameException(Rule.TOO_SHORT, null, length,
					"message of " + length + " bytes ends before the type byte");
		}
		int code = in.get(TYPE_OFFSET) & 0xFF;
		FrameType type = typeOf(code);
		if (type == null) {
			throw new CryoFrameException(Rule.UNKNOWN_TYPE, null, TYPE_OFFSET,
					"unknown CAMP type " + String.format("0x%02x", code));
		}
		int minLength = fixedPart(type);
		if (length < minLength) {
			throw new CryoFrameException(Rule.TOO_SHORT, type, length,
					type + " needs at least " + minLength + " bytes, got " + length);
		}
		SessionId sid = SessionId.of(in.getLong(0));
		if (type == FrameType.PING_PONG) {
			return new PingPongFrame(sid, 0, WireFields.pingPongKind(in, PING_LENGTH));
		}
		int ack = in.getInt(ACK_OFFSET);
		return switch (type) {
			case ENDPOINT_INFO -> new EndpointInfoFrame(sid, ack, in.getInt(13), in.getLong(17));
			case BYE -> new ByeFrame(sid, ack, text(in, type, HEADER_LENGTH));
			case ACK -> new AckFrame(sid, ack);
			case ERROR -> new ErrorFrame(sid, ack, text(in, type, HEADER_LENGTH));
			case UTF8DATA -> new Utf8DataFrame(sid, ack, payload(in, type, HEADER_LENGTH));
			case BINARYDATA -> new BinaryDataFrame(sid, ack, payload(in, type, HEADER_LENGTH));
			case TX_START -> start(in, sid, ack);
			case TX_CHUNK -> new TxChunkFrame(sid, ack, payload(in, type, CHUNK_LENGTH), in.getLong(13),
					TransactionLayout.CAMP);
			case TX_FINISH -> new TxFinishFrame(sid, ack, in.getInt(13));
			case TX_PULL -> fetch(in, sid, ack);
			case TX_CANCEL -> new TxCancelFrame(sid, ack, in.getInt(13));
			default -> throw new IllegalStateException(type + " has no CAMP layout");
		};
	}

	private static TxStartFrame start(ByteBuffer in, SessionId sid, int ack) {
		int txid = in.getInt(13);
		long size = in.getLong(17);
		int behaviourCode = in.get(25) & 0xFF;
		FlowBehaviour behaviour = FlowBehaviour.fromCode(behaviourCode);
		if (behaviour == null) {
			throw CryoFrameException.invalidTransaction(FrameType.TX_START, 25,
					"TX_START behaviour must be 0 (push) or 1 (pull), got " + behaviourCode, ack, txid);
		}
		if (size < TxStartFrame.UNKNOWN_SIZE) {
			throw CryoFrameException.invalidTransaction(FrameType.TX_START, 17,
					"TX_START size must be -1 (unknown) or a length, got " + size, ack, txid);
		}
		if (behaviour == FlowBehaviour.PULL && size == TxStartFrame.UNKNOWN_SIZE) {
			throw CryoFrameException.invalidTransaction(FrameType.TX_START, 17,
					"a TX_PULL transaction must announce its size", ack, txid);
		}
		int nameLength = in.limit() - START_LENGTH;
		if (nameLength > MAX_NAME) {
			throw CryoFrameException.invalidTransaction(FrameType.TX_START, START_LENGTH,
					"TX_START name of " + nameLength + " bytes exceeds " + MAX_NAME, ack, txid);
		}
		return new TxStartFrame(sid, ack, txid, text(in, FrameType.TX_START, START_LENGTH), size, behaviour,
				TransactionLayout.CAMP);
	}

	private static TxPullFrame fetch(ByteBuffer in, SessionId sid, int ack) {
		int txid = in.getInt(13);
		long start = in.getLong(17);
		long end = in.getLong(25);
		if (Long.compareUnsigned(start, end) >= 0) {
			throw CryoFrameException.invalidTransaction(FrameType.TX_PULL, 17, "TX_FETCH range ["
					+ Long.toUnsignedString(start) + ", " + Long.toUnsignedString(end) + ") is empty", ack, txid);
		}
		return new TxPullFrame(sid, ack, txid, start, end, TransactionLayout.CAMP);
	}

	/**
	 * {@inheritDoc}
	 * @throws IllegalArgumentException if the frame's sid is a UUID or the frame is a TX_FLOW,
	 * neither of which CAMP has
	 * @throws CryoFrameException if a variable part is over CAMP's limits, which our side never
	 * sends (camp.md §8 rule 10)
	 */
	@Override
	public ByteBuffer encode(Frame frame, int ack) {
		ByteBuffer message = switch (frame.type()) {
			case ENDPOINT_INFO -> {
				EndpointInfoFrame info = (EndpointInfoFrame) frame;
				yield header(frame, ack, 25).putInt(info.version()).putLong(info.flags());
			}
			case BYE -> withText(frame, ack, ((ByeFrame) frame).reason(), MAX_PAYLOAD);
			case ACK -> header(frame, ack, HEADER_LENGTH);
			case ERROR -> withText(frame, ack, ((ErrorFrame) frame).message(), MAX_PAYLOAD);
			case PING_PONG -> ByteBuffer.allocate(PING_LENGTH)
				.putLong(WireFields.numericSid(frame, "CAMP"))
				.put((byte) code(FrameType.PING_PONG))
				.putInt(WireFields.pingPongBytes(((PingPongFrame) frame).kind()));
			case UTF8DATA -> {
				Utf8DataFrame data = (Utf8DataFrame) frame;
				checkPayload(FrameType.UTF8DATA, data.payloadLength(), MAX_PAYLOAD);
				yield header(frame, ack, HEADER_LENGTH + data.payloadLength()).put(data.payload());
			}
			case BINARYDATA -> {
				BinaryDataFrame data = (BinaryDataFrame) frame;
				checkPayload(FrameType.BINARYDATA, data.payloadLength(), MAX_PAYLOAD);
				yield header(frame, ack, HEADER_LENGTH + data.payloadLength()).put(data.payload());
			}
			case TX_START -> {
				TxStartFrame start = (TxStartFrame) frame;
				byte[] name = start.name().getBytes(StandardCharsets.UTF_8);
				checkPayload(FrameType.TX_START, name.length, MAX_NAME);
				FlowBehaviour behaviour = (start.behaviour() != null) ? start.behaviour() : FlowBehaviour.PUSH;
				yield header(frame, ack, START_LENGTH + name.length).putInt(start.txid())
					.putLong(start.size())
					.put((byte) behaviour.code())
					.put(name);
			}
			case TX_CHUNK -> {
				TxChunkFrame chunk = (TxChunkFrame) frame;
				checkPayload(FrameType.TX_CHUNK, chunk.payloadLength(), MAX_PAYLOAD);
				yield header(frame, ack, CHUNK_LENGTH + chunk.payloadLength()).putLong(chunk.position())
					.put(chunk.payload());
			}
			case TX_FINISH -> header(frame, ack, 17).putInt(((TxFinishFrame) frame).txid());
			case TX_PULL -> {
				TxPullFrame fetch = (TxPullFrame) frame;
				yield header(frame, ack, FETCH_LENGTH).putInt(fetch.txid()).putLong(fetch.start()).putLong(fetch.end());
			}
			case TX_CANCEL -> header(frame, ack, 17).putInt(((TxCancelFrame) frame).txid());
			case TX_FLOW -> throw new IllegalArgumentException("CAMP has no TX_FLOW: the mode is chosen per transaction");
		};
		return message.flip();
	}

	/**
	 * {@inheritDoc}
	 * <p>The room is 21 bytes: sid, type, txid and the byte offset of the payload.
	 */
	@Override
	public ByteBuffer encodeChunkInPlace(TxChunkFrame chunk, ByteBuffer message) {
		checkPayload(FrameType.TX_CHUNK, chunk.payloadLength(), MAX_PAYLOAD);
		WireFields.chunkRoom(chunk, message, CHUNK_LENGTH)
			.putLong(WireFields.numericSid(chunk, "CAMP"))
			.put((byte) code(FrameType.TX_CHUNK))
			.putInt(chunk.txid())
			.putLong(chunk.position());
		return message;
	}

	@Override
	public int maxMessageLength() {
		return MAX_MESSAGE_LENGTH;
	}

	@Override
	public int maxPayload() {
		return MAX_PAYLOAD;
	}

	@Override
	public int fixedLength(FrameType type) {
		return fixedPart(type);
	}

	/** The length of a type's fixed part: where its variable part, if it has one, starts. */
	private static int fixedPart(FrameType type) {
		return switch (type) {
			case PING_PONG -> PING_LENGTH;
			case TX_START -> START_LENGTH;
			case TX_CHUNK -> CHUNK_LENGTH;
			case TX_PULL -> FETCH_LENGTH;
			default -> type.minLength();
		};
	}

	@Override
	public @Nullable FrameType peekType(ByteBuffer message) {
		return typeOf(message.get(message.position() + TYPE_OFFSET) & 0xFF);
	}

	@Override
	public ByteBuffer payloadView(ByteBuffer message) {
		return message.slice(HEADER_LENGTH, message.remaining() - HEADER_LENGTH);
	}

	/** The model type of a CAMP type byte (§3), or {@code null} for an unassigned one. */
	private static @Nullable FrameType typeOf(int code) {
		return switch (code) {
			case 0x03 -> FrameType.TX_PULL;
			case 0x04 -> FrameType.TX_CANCEL;
			case 0x05 -> null;
			default -> FrameType.fromCode(code);
		};
	}

	/** The CAMP type byte of a model type. */
	private static int code(FrameType type) {
		return switch (type) {
			case TX_PULL -> 0x03;
			case TX_CANCEL -> 0x04;
			default -> type.code();
		};
	}

	private static ByteBuffer header(Frame frame, int ack, int length) {
		return ByteBuffer.allocate(length)
			.putLong(WireFields.numericSid(frame, "CAMP"))
			.put((byte) code(frame.type()))
			.putInt(ack);
	}

	private static ByteBuffer withText(Frame frame, int ack, String text, int limit) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		checkPayload(frame.type(), bytes.length, limit);
		return header(frame, ack, HEADER_LENGTH + bytes.length).put(bytes);
	}

	/** Refuses a variable part over a CAMP limit, naming the offset where that part starts. */
	private static void checkPayload(FrameType type, int length, int limit) {
		if (length > limit) {
			throw new CryoFrameException(Rule.PAYLOAD_TOO_LARGE, type, fixedPart(type),
					type + " variable part of " + length + " bytes exceeds the CAMP limit of " + limit);
		}
	}

	private static ByteBuffer payload(ByteBuffer in, FrameType type, int offset) {
		return WireFields.payload(in, type, offset, MAX_PAYLOAD);
	}

	private static String text(ByteBuffer in, FrameType type, int offset) {
		return WireFields.text(in, type, offset, MAX_PAYLOAD);
	}

}
