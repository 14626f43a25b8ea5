package dev.cryo.core.frame;

import java.util.Objects;

import dev.cryo.core.SessionId;

/**
 * PING_PONG (0xFB): a heartbeat probe or its answer (cryo-v1.md §7). A ping takes a fresh ack
 * number; the pong copies the ping's.
 *
 * @param sid the session id
 * @param ack the ping's ack number (unsigned)
 * @param kind whether this is the probe or the answer
 */
public record PingPongFrame(SessionId sid, int ack, Kind kind) implements Frame {

	/** The two legal payloads. */
	public enum Kind {

		/** The ASCII payload {@code ping}. */
		PING,

		/** The ASCII payload {@code pong}. */
		PONG

	}

	public PingPongFrame {
		Objects.requireNonNull(sid, "sid");
		Objects.requireNonNull(kind, "kind");
	}

	/**
	 * Creates a ping.
	 * @param sid the session id
	 * @param ack the fresh ack number of the ping
	 * @return the frame
	 */
	public static PingPongFrame ping(SessionId sid, int ack) {
		return new PingPongFrame(sid, ack, Kind.PING);
	}

	/**
	 * Creates the answer to a ping.
	 * @param sid the session id
	 * @param pingAck the ack number of the ping being answered
	 * @return the frame
	 */
	public static PingPongFrame pong(SessionId sid, int pingAck) {
		return new PingPongFrame(sid, pingAck, Kind.PONG);
	}

	/**
	 * Returns whether this is a ping (and must be answered).
	 * @return whether the payload is {@code ping}
	 */
	public boolean isPing() {
		return this.kind == Kind.PING;
	}

	@Override
	public FrameType type() {
		return FrameType.PING_PONG;
	}

	@Override
	public String toString() {
		return "PING_PONG[sid=" + this.sid + ", ack=" + FrameSupport.u32(this.ack) + ", "
				+ this.kind.name().toLowerCase(java.util.Locale.ROOT) + "]";
	}

}
