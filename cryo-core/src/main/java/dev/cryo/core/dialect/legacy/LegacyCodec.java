package dev.cryo.core.dialect.legacy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.codec.WireCodec;
import dev.cryo.core.codec.WireFields;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.CryoFrameException.Rule;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.Utf8DataFrame;

/**
 * The byte layout of the legacy generation (legacy-v0.md §3): every message starts with the
 * session's UUID as 16 raw bytes, the ack number (u32) and the type byte, followed by the payload
 * up to the end of the message. Types 0–4 are ACK, ERROR, PING_PONG, UTF8DATA and BINARYDATA of
 * the shared model; 5–7 are the CALE handshake frames ({@link LegacyHandshake}), which the CALE
 * layer reads and writes with the static helpers of this class before any frame reaches the
 * codec.
 *
 * <p>{@link #decode(ByteBuffer)} trusts nothing and throws {@link CryoFrameException} only: a
 * message shorter than 21 bytes is {@link Rule#TOO_SHORT}, a type above 7 {@link Rule#UNKNOWN_TYPE},
 * a PING_PONG that is not exactly 25 bytes of {@code ping} or {@code pong} {@link Rule#TOO_SHORT},
 * {@link Rule#TOO_LONG} or {@link Rule#INVALID_PING_PONG_PAYLOAD}, a handshake frame
 * {@link Rule#HANDSHAKE_OUTSIDE_CALE} (§10.5; {@link #handshakeType} and the exception's
 * {@link CryoFrameException#typeByte() type byte} tell which one, so that a
 * CLIENT_HELLO in a session without CALE can be closed with 4010 instead, §10.2), and a variable
 * part over 16 MiB {@link Rule#PAYLOAD_TOO_LARGE}. An ACK longer than 21 bytes is accepted and its
 * extra bytes ignored, as Cryo v1 does for its fixed-length frames. Text is handed over as
 * received: UTF8DATA keeps its bytes (the Node clients' cut, NUL-filled multi-byte text and their
 * {@code null} for an empty string reach the application unchanged, §3.1) and ERROR text is decoded
 * leniently (U+FFFD). The encoder writes text by its UTF-8 length and an empty text as an empty
 * payload (§10.5), which every legacy decoder reads correctly.
 */
public final class LegacyCodec implements WireCodec {

	/** The one instance; the codec holds no state. */
	public static final LegacyCodec INSTANCE = new LegacyCodec();

	/** The largest variable part of any frame: 16 MiB, as in Cryo v1 (§10.5). */
	public static final int MAX_PAYLOAD = 16 * 1024 * 1024;

	/** Every message starts with sid (16), ack (4) and type (1). */
	public static final int HEADER_LENGTH = 21;

	/** The largest legal message: a header and a 16 MiB payload, 16 777 237 bytes (§10.5). */
	public static final int MAX_MESSAGE_LENGTH = HEADER_LENGTH + MAX_PAYLOAD;

	/** A PING_PONG is exactly the header and the 4 ASCII bytes {@code ping} or {@code pong}. */
	public static final int PING_PONG_LENGTH = 25;

	/** The length of a P-256 public key in SEC1 uncompressed form: {@code 0x04 ‖ X ‖ Y} (§7.2). */
	public static final int PUBLIC_KEY_LENGTH = 65;

	/** SERVER_HELLO and CLIENT_HELLO are exactly the header and a public key. */
	public static final int HELLO_LENGTH = HEADER_LENGTH + PUBLIC_KEY_LENGTH;

	private static final int SID_OFFSET = 0;

	private static final int ACK_OFFSET = 16;

	private static final int TYPE_OFFSET = 20;

	/** Type bytes of the model frames (§3.1). */
	private static final int ACK_CODE = 0;

	private static final int ERROR_CODE = 1;

	private static final int PING_PONG_CODE = 2;

	private static final int UTF8DATA_CODE = 3;

	private static final int BINARYDATA_CODE = 4;

	/** The highest assigned type byte, HANDSHAKE_DONE. */
	private static final int MAX_CODE = 7;

	/** What every legacy encoder writes as the payload of HANDSHAKE_DONE (§7.1). */
	private static final byte[] NULL_PAYLOAD = { 'n', 'u', 'l', 'l' };

	private static final String DIALECT = "legacy v0";

	private LegacyCodec() {
	}

	@Override
	public Frame decode(ByteBuffer message) {
		ByteBuffer in = message.slice().order(ByteOrder.BIG_ENDIAN);
		int length = in.remaining();
		if (length < HEADER_LENGTH) {
			throw new CryoFrameException(Rule.TOO_SHORT, null, length,
					"message of " + length + " bytes ends before the 21-byte legacy header");
		}
		int code = in.get(TYPE_OFFSET) & 0xFF;
		if (code > MAX_CODE) {
			throw new CryoFrameException(Rule.UNKNOWN_TYPE, null, TYPE_OFFSET,
					"unknown legacy type " + String.format("0x%02x", code));
		}
		FrameType type = typeOf(code);
		if (type == null) {
			// Only the CALE layer, which reads handshake frames before the codec, may accept them.
			throw CryoFrameException.handshakeOutsideCale(code, TYPE_OFFSET,
					LegacyHandshake.fromCode(code) + " outside the CALE handshake");
		}
		SessionId sid = WireFields.uuidSid(in, SID_OFFSET);
		int ack = in.getInt(ACK_OFFSET);
		return switch (type) {
			case ACK -> new AckFrame(sid, ack);
			case ERROR -> new ErrorFrame(sid, ack, WireFields.text(in, type, HEADER_LENGTH, MAX_PAYLOAD));
			case PING_PONG -> new PingPongFrame(sid, ack, pingPongKind(in));
			case UTF8DATA -> new Utf8DataFrame(sid, ack, WireFields.payload(in, type, HEADER_LENGTH, MAX_PAYLOAD));
			case BINARYDATA -> new BinaryDataFrame(sid, ack, WireFields.payload(in, type, HEADER_LENGTH, MAX_PAYLOAD));
			default -> throw new IllegalStateException(type + " has no legacy layout");
		};
	}

	/** A PING_PONG must be exactly 25 bytes: a short one is cut, a long one carries more than ping or pong. */
	private static PingPongFrame.Kind pingPongKind(ByteBuffer in) {
		if (in.limit() < PING_PONG_LENGTH) {
			throw new CryoFrameException(Rule.TOO_SHORT, FrameType.PING_PONG, in.limit(),
					"PING_PONG needs " + PING_PONG_LENGTH + " bytes, got " + in.limit());
		}
		return WireFields.pingPongKind(in, PING_PONG_LENGTH);
	}

	/**
	 * {@inheritDoc}
	 * @throws IllegalArgumentException if the frame's sid is numeric, or the frame is of a type
	 * the legacy generation does not have (ENDPOINT_INFO, BYE and the transaction frames)
	 */
	@Override
	public ByteBuffer encode(Frame frame, int ack) {
		ByteBuffer message = switch (frame.type()) {
			case ACK -> header(frame, ack, HEADER_LENGTH);
			case ERROR -> {
				byte[] text = ((ErrorFrame) frame).message().getBytes(StandardCharsets.UTF_8);
				yield header(frame, ack, HEADER_LENGTH + text.length).put(text);
			}
			case PING_PONG -> header(frame, ack, PING_PONG_LENGTH)
				.putInt(WireFields.pingPongBytes(((PingPongFrame) frame).kind()));
			case UTF8DATA -> {
				Utf8DataFrame data = (Utf8DataFrame) frame;
				yield header(frame, ack, HEADER_LENGTH + data.payloadLength()).put(data.payload());
			}
			case BINARYDATA -> {
				BinaryDataFrame data = (BinaryDataFrame) frame;
				yield header(frame, ack, HEADER_LENGTH + data.payloadLength()).put(data.payload());
			}
			default -> throw new IllegalArgumentException("the legacy generation has no " + frame.type());
		};
		return message.flip();
	}

	/**
	 * Encodes a frame with the ack number it carries itself.
	 * @param frame the frame
	 * @return the message, ready to be read
	 * @throws IllegalArgumentException as {@link #encode(Frame, int)}
	 */
	public ByteBuffer encode(Frame frame) {
		return encode(frame, Frame.headerNumber(frame));
	}

	@Override
	public int maxMessageLength() {
		return MAX_MESSAGE_LENGTH;
	}

	@Override
	public int maxPayload() {
		return MAX_PAYLOAD;
	}

	/**
	 * {@inheritDoc}
	 * <p>25 for PING_PONG, the 21-byte header for every other type. A legacy session never sends
	 * the types the generation lacks, so the header is what they get too: a caller sizing such a
	 * frame gets a harmless answer and the encoder refuses the frame itself.
	 */
	@Override
	public int fixedLength(FrameType type) {
		return (type == FrameType.PING_PONG) ? PING_PONG_LENGTH : HEADER_LENGTH;
	}

	/**
	 * {@inheritDoc}
	 * <p>A handshake message (type 5–7) carries no model type and gives {@code null}.
	 */
	@Override
	public @Nullable FrameType peekType(ByteBuffer message) {
		if (message.remaining() < HEADER_LENGTH) {
			return null;
		}
		return typeOf(message.get(message.position() + TYPE_OFFSET) & 0xFF);
	}

	@Override
	public ByteBuffer payloadView(ByteBuffer message) {
		return message.slice(message.position() + HEADER_LENGTH, message.remaining() - HEADER_LENGTH);
	}

	/**
	 * Returns whether a message reads as a plaintext legacy frame by its length and type byte
	 * alone: at least the 21-byte header, and a type byte from 0 to 7. This is how the published
	 * receivers tell plaintext from a CALE message (legacy-v0.md §7.4).
	 * @param message one complete message, from its position; left unchanged
	 * @return whether the message has a legacy frame type
	 */
	public static boolean hasFrameType(ByteBuffer message) {
		return message.remaining() >= HEADER_LENGTH
				&& (message.get(message.position() + TYPE_OFFSET) & 0xFF) <= MAX_CODE;
	}

	/**
	 * Returns the handshake type of a message, looking at nothing but its type byte: what the CALE
	 * layer and the dispatcher ask before a message goes to {@link #decode}, which refuses handshake
	 * frames. A CLIENT_HELLO is recognised whatever its length, so that one on a path without CALE
	 * can be closed with 4010 (§10.2) and a malformed one in the handshake with 4011 (§10.3).
	 * @param message one complete message, from its position; left unchanged
	 * @return the handshake type, or {@code null} if the message is shorter than the header or
	 * its type byte is not 5, 6 or 7
	 */
	public static @Nullable LegacyHandshake handshakeType(ByteBuffer message) {
		if (message.remaining() < HEADER_LENGTH) {
			return null;
		}
		return LegacyHandshake.fromCode(message.get(message.position() + TYPE_OFFSET));
	}

	/**
	 * Decodes a handshake message with the length rules of §3.1: SERVER_HELLO and CLIENT_HELLO
	 * exactly 86 bytes (a 65-byte key), HANDSHAKE_DONE the header and up to 16 MiB of payload
	 * (which receivers ignore). Whether a hello's key is a point on P-256 is not checked here.
	 * @param message one complete message, from its position; left unchanged
	 * @return the handshake frame, its payload a read-only view of the message
	 * @throws CryoFrameException {@link Rule#TOO_SHORT} for a message shorter than the header or a
	 * short hello, {@link Rule#TOO_LONG} for a long hello, {@link Rule#UNKNOWN_TYPE} if the type byte
	 * is not a handshake type, {@link Rule#PAYLOAD_TOO_LARGE} for a HANDSHAKE_DONE over the limit
	 */
	public static LegacyHandshakeFrame decodeHandshake(ByteBuffer message) {
		ByteBuffer in = message.slice().order(ByteOrder.BIG_ENDIAN);
		int length = in.remaining();
		if (length < HEADER_LENGTH) {
			throw new CryoFrameException(Rule.TOO_SHORT, null, length,
					"message of " + length + " bytes ends before the 21-byte legacy header");
		}
		int code = in.get(TYPE_OFFSET) & 0xFF;
		LegacyHandshake type = LegacyHandshake.fromCode(code);
		if (type == null) {
			throw new CryoFrameException(Rule.UNKNOWN_TYPE, (code <= MAX_CODE) ? typeOf(code) : null, TYPE_OFFSET,
					"legacy type " + String.format("0x%02x", code) + " is not a CALE handshake frame");
		}
		if (type.isHello() && length < HELLO_LENGTH) {
			throw new CryoFrameException(Rule.TOO_SHORT, null, length,
					type + " needs " + HELLO_LENGTH + " bytes (a " + PUBLIC_KEY_LENGTH + "-byte key), got " + length);
		}
		if (type.isHello() && length > HELLO_LENGTH) {
			throw new CryoFrameException(Rule.TOO_LONG, null, HELLO_LENGTH,
					type + " must be exactly " + HELLO_LENGTH + " bytes (a " + PUBLIC_KEY_LENGTH + "-byte key), got "
							+ length);
		}
		if (length - HEADER_LENGTH > MAX_PAYLOAD) {
			throw new CryoFrameException(Rule.PAYLOAD_TOO_LARGE, null, HEADER_LENGTH,
					type + " variable part of " + (length - HEADER_LENGTH) + " bytes exceeds " + MAX_PAYLOAD);
		}
		return new LegacyHandshakeFrame(type, WireFields.uuidSid(in, SID_OFFSET), in.getInt(ACK_OFFSET),
				in.slice(HEADER_LENGTH, length - HEADER_LENGTH));
	}

	/**
	 * Reads the payload of a handshake message: the 65-byte public key of a hello, the ignored
	 * text of a HANDSHAKE_DONE.
	 * @param message one complete message, from its position; left unchanged
	 * @return a copy of the payload
	 * @throws CryoFrameException as {@link #decodeHandshake}
	 */
	public static byte[] readHandshakePayload(ByteBuffer message) {
		return decodeHandshake(message).payloadBytes();
	}

	/**
	 * Encodes a handshake message.
	 * @param type the handshake type
	 * @param sid the session's UUID id
	 * @param ack the ack number: the sender's next number for a hello, the CLIENT_HELLO's for HANDSHAKE_DONE
	 * @param payload the 65-byte public key of a hello, or the payload of HANDSHAKE_DONE
	 * @return the message, ready to be read
	 * @throws IllegalArgumentException if the sid is numeric, a hello's payload is not 65 bytes,
	 * or a HANDSHAKE_DONE payload is over 16 MiB
	 */
	public static ByteBuffer encodeHandshake(LegacyHandshake type, SessionId sid, int ack, byte[] payload) {
		if (type.isHello() && payload.length != PUBLIC_KEY_LENGTH) {
			throw new IllegalArgumentException(type + " carries a " + PUBLIC_KEY_LENGTH
					+ "-byte uncompressed P-256 public key, got " + payload.length + " bytes");
		}
		if (payload.length > MAX_PAYLOAD) {
			throw new IllegalArgumentException(type + " payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD);
		}
		UUID uuid = WireFields.uuidSid(sid, type.toString(), DIALECT);
		return header(uuid, ack, type.code(), HEADER_LENGTH + payload.length).put(payload).flip();
	}

	/**
	 * Encodes a HANDSHAKE_DONE the way every legacy encoder does: payload ASCII {@code null} (§7.1).
	 * @param sid the session's UUID id
	 * @param ack the ack number of the CLIENT_HELLO being answered
	 * @return the 25-byte message, ready to be read
	 * @throws IllegalArgumentException if the sid is numeric
	 */
	public static ByteBuffer encodeHandshakeDone(SessionId sid, int ack) {
		return encodeHandshake(LegacyHandshake.HANDSHAKE_DONE, sid, ack, NULL_PAYLOAD);
	}

	/** The model type of a legacy type byte 0–4, or {@code null} for the handshake types and beyond. */
	private static @Nullable FrameType typeOf(int code) {
		return switch (code) {
			case ACK_CODE -> FrameType.ACK;
			case ERROR_CODE -> FrameType.ERROR;
			case PING_PONG_CODE -> FrameType.PING_PONG;
			case UTF8DATA_CODE -> FrameType.UTF8DATA;
			case BINARYDATA_CODE -> FrameType.BINARYDATA;
			default -> null;
		};
	}

	/** The legacy type byte of a model type the generation has. */
	private static int code(FrameType type) {
		return switch (type) {
			case ACK -> ACK_CODE;
			case ERROR -> ERROR_CODE;
			case PING_PONG -> PING_PONG_CODE;
			case UTF8DATA -> UTF8DATA_CODE;
			case BINARYDATA -> BINARYDATA_CODE;
			default -> throw new IllegalArgumentException("the legacy generation has no " + type);
		};
	}

	/** A big-endian buffer of the message's length with sid, ack and type byte written. */
	private static ByteBuffer header(Frame frame, int ack, int length) {
		return header(WireFields.uuidSid(frame, DIALECT), ack, code(frame.type()), length);
	}

	private static ByteBuffer header(UUID sid, int ack, int code, int length) {
		return ByteBuffer.allocate(length)
			.putLong(sid.getMostSignificantBits())
			.putLong(sid.getLeastSignificantBits())
			.putInt(ack)
			.put((byte) code);
	}

}
