package dev.cryo.core.dialect.legacy;

import dev.cryo.core.dialect.FrameDispatcher;
import dev.cryo.core.dialect.SessionContext;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.Utf8DataFrame;

/**
 * What each received legacy frame means in a session without CALE (legacy-v0.md §10.5): data is
 * ACKed with its own number and then delivered, ACKs settle tracked frames (unknown numbers are
 * ignored), ERROR is reported and never ACKed, a {@code ping} is answered with a {@code pong}
 * that copies its number, and a {@code pong} only marks the client alive. A {@code pong} is never
 * answered: the clients answer a {@code pong} with a {@code ping} (§6), so answering theirs would
 * bounce frames for ever.
 *
 * <p>A CLIENT_HELLO, which the codec refuses, ends the session with 4010 (§10.2); the other
 * handshake frames are malformed like any other refused message.
 */
public final class LegacyDispatcher implements FrameDispatcher {

	/** The one instance; the dispatcher holds no state. */
	public static final LegacyDispatcher INSTANCE = new LegacyDispatcher();

	/** The close code of a CALE configuration mismatch (§8). */
	public static final int CALE_MISMATCH = 4010;

	/** The reason the 2.x server closes with when a client asks for CALE it does not have (§7.5, §10.2). */
	public static final String CLIENT_EXPECTS_CALE_REASON = "CALE Mismatch. The client excepts CALE encryption, "
			+ "which is currently disabled.";

	private LegacyDispatcher() {
	}

	@Override
	public void dispatch(Frame frame, SessionContext session) {
		switch (frame.type()) {
			case UTF8DATA -> {
				Utf8DataFrame data = (Utf8DataFrame) frame;
				// ACKed right after decoding, before the application sees it (§10.5).
				session.acknowledge(data.ack());
				session.utf8Received(data);
			}
			case BINARYDATA -> {
				BinaryDataFrame data = (BinaryDataFrame) frame;
				session.acknowledge(data.ack());
				session.binaryReceived(data);
			}
			// The engine ignores numbers it does not track: the clients repeat and skip them (§3.1, §5).
			case ACK -> session.acknowledged(((AckFrame) frame).ack());
			// The clients never ACK ERROR, and nobody expects ours to ACK theirs (§5).
			case ERROR -> session.errorReceived((ErrorFrame) frame);
			case PING_PONG -> {
				PingPongFrame ping = (PingPongFrame) frame;
				if (ping.isPing()) {
					session.pingReceived();
					session.sendExpedited(PingPongFrame.pong(session.sid(), ping.ack()), ping.ack());
				}
				else {
					session.pongReceived();
				}
			}
			// The codec decodes nothing else; a frame of another type cannot reach a legacy session.
			default -> session.protocolViolation("The legacy generation has no " + frame.type() + ".");
		}
	}

	/**
	 * Only a CALE session waits to open: its handshake did not complete within the opening
	 * deadline, which is also what ends a client that lost the SERVER_HELLO (§10.3 rule 6).
	 */
	@Override
	public void openingTimedOut(SessionContext session) {
		session.closeNow(CaleSessionLayer.HANDSHAKE_FAILED, CaleSessionLayer.HANDSHAKE_FAILED_REASON);
	}

	/**
	 * A CLIENT_HELLO means the client has CALE on and this path has it off: close at once with
	 * 4010 as the 2.x server does (§10.2). Every other refusal, SERVER_HELLO and HANDSHAKE_DONE
	 * included, is malformed (§10.5).
	 */
	@Override
	public boolean refused(CryoFrameException refusal, SessionContext session) {
		if (refusal.rule() != CryoFrameException.Rule.HANDSHAKE_OUTSIDE_CALE
				|| LegacyHandshake.fromCode(refusal.typeByte()) != LegacyHandshake.CLIENT_HELLO) {
			return false;
		}
		session.closeNow(CALE_MISMATCH, CLIENT_EXPECTS_CALE_REASON);
		return true;
	}

}
