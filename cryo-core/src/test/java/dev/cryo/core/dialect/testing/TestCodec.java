package dev.cryo.core.dialect.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.codec.WireCodec;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.CryoFrameException.Rule;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.Utf8DataFrame;

/**
 * The byte layout of the test dialect, deliberately unlike Cryo v1: the type byte comes first,
 * then the ack number, then the sid, and a ping or pong has no ack at all
 * ({@code type | sid | "ping"}, 13 bytes). Its type codes are its own, and it knows only the
 * base frames (no ENDPOINT_INFO, no transactions).
 */
public final class TestCodec implements WireCodec {

	static final int UTF8DATA = 1;

	static final int BINARYDATA = 2;

	static final int ACK = 3;

	static final int PING_PONG = 4;

	static final int BYE = 5;

	static final int ERROR = 6;

	/** type (1) + ack (4) + sid (8). */
	static final int HEADER_LENGTH = 13;

	static final int MAX_PAYLOAD = 64 * 1024;

	private static final int PING = 0x70696E67;

	private static final int PONG = 0x706F6E67;

	@Override
	public Frame decode(ByteBuffer message) {
		ByteBuffer in = message.slice();
		if (in.remaining() < HEADER_LENGTH) {
			throw new CryoFrameException(Rule.TOO_SHORT, null, in.remaining(), "shorter than a header");
		}
		int code = in.get(0);
		if (code == PING_PONG) {
			return pingPong(in);
		}
		int ack = in.getInt(1);
		SessionId sid = SessionId.of(in.getLong(5));
		ByteBuffer body = in.slice(HEADER_LENGTH, in.remaining() - HEADER_LENGTH);
		if (body.remaining() > MAX_PAYLOAD) {
			throw new CryoFrameException(Rule.PAYLOAD_TOO_LARGE, null, HEADER_LENGTH, "payload too large");
		}
		return switch (code) {
			case UTF8DATA -> new Utf8DataFrame(sid, ack, body);
			case BINARYDATA -> new BinaryDataFrame(sid, ack, body);
			case ACK -> new AckFrame(sid, ack);
			case BYE -> new ByeFrame(sid, ack, StandardCharsets.UTF_8.decode(body).toString());
			case ERROR -> new ErrorFrame(sid, ack, StandardCharsets.UTF_8.decode(body).toString());
			default -> throw new CryoFrameException(Rule.UNKNOWN_TYPE, null, 0, "unknown type " + code);
		};
	}

	private static Frame pingPong(ByteBuffer in) {
		if (in.remaining() != 13) {
			throw new CryoFrameException(Rule.TOO_LONG, FrameType.PING_PONG, 13, "ping must be 13 bytes");
		}
		SessionId sid = SessionId.of(in.getLong(1));
		int payload = in.getInt(9);
		if (payload != PING && payload != PONG) {
			throw new CryoFrameException(Rule.INVALID_PING_PONG_PAYLOAD, FrameType.PING_PONG, 9, "not ping or pong");
		}
		return new PingPongFrame(sid, 0, (payload == PING) ? PingPongFrame.Kind.PING : PingPongFrame.Kind.PONG);
	}

	@Override
	public ByteBuffer encode(Frame frame, int ack) {
		ByteBuffer message = switch (frame.type()) {
			case PING_PONG -> ByteBuffer.allocate(13)
				.put((byte) PING_PONG)
				.putLong(wireSid(frame.sid()))
				.putInt(((PingPongFrame) frame).isPing() ? PING : PONG);
			case ACK -> header(ACK, ack, frame.sid(), 0);
			case UTF8DATA -> withBody(UTF8DATA, ack, frame.sid(), ((Utf8DataFrame) frame).payload());
			case BINARYDATA -> withBody(BINARYDATA, ack, frame.sid(), ((BinaryDataFrame) frame).payload());
			case BYE -> withBody(BYE, ack, frame.sid(), utf8(((ByeFrame) frame).reason()));
			case ERROR -> withBody(ERROR, ack, frame.sid(), utf8(((ErrorFrame) frame).message()));
			default -> throw new IllegalArgumentException("The test dialect has no " + frame.type());
		};
		return message.flip();
	}

	@Override
	public int maxMessageLength() {
		return HEADER_LENGTH + MAX_PAYLOAD;
	}

	@Override
	public int fixedLength(FrameType type) {
		return HEADER_LENGTH;
	}

	@Override
	public int maxPayload() {
		return MAX_PAYLOAD;
	}

	@Override
	public @Nullable FrameType peekType(ByteBuffer message) {
		return switch (message.get(message.position())) {
			case UTF8DATA -> FrameType.UTF8DATA;
			case BINARYDATA -> FrameType.BINARYDATA;
			case ACK -> FrameType.ACK;
			case PING_PONG -> FrameType.PING_PONG;
			case BYE -> FrameType.BYE;
			case ERROR -> FrameType.ERROR;
			default -> null;
		};
	}

	@Override
	public ByteBuffer payloadView(ByteBuffer message) {
		return message.slice(HEADER_LENGTH, message.remaining() - HEADER_LENGTH);
	}

	private static ByteBuffer header(int type, int ack, SessionId sid, int bodyLength) {
		return ByteBuffer.allocate(HEADER_LENGTH + bodyLength).put((byte) type).putInt(ack).putLong(wireSid(sid));
	}

	/** Like v1, the test dialect has 8 bytes for the sid: numeric ids only. */
	private static long wireSid(SessionId sid) {
		if (!sid.isNumeric()) {
			throw new IllegalArgumentException("The test dialect carries numeric session ids only, not " + sid);
		}
		return sid.asLong();
	}

	private static ByteBuffer withBody(int type, int ack, SessionId sid, ByteBuffer body) {
		return header(type, ack, sid, body.remaining()).put(body);
	}

	private static ByteBuffer utf8(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

}
