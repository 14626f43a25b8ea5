package dev.cryo.core.dialect.v1;

import java.lang.System.Logger.Level;

import dev.cryo.core.dialect.FrameDispatcher;
import dev.cryo.core.dialect.SessionContext;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TxCancelFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;

/**
 * What each received Cryo v1 frame means (cryo-v1.md §3–§10): the ENDPOINT_INFO exchange that
 * opens a session, acknowledgements, the heartbeat, goodbye, and the gate in front of the
 * transaction frames.
 */
final class CryoV1Dispatcher implements FrameDispatcher {

	static final CryoV1Dispatcher INSTANCE = new CryoV1Dispatcher();

	private static final System.Logger logger = System.getLogger(CryoV1Dispatcher.class.getName());

	private CryoV1Dispatcher() {
	}

	@Override
	public void dispatch(Frame frame, SessionContext session) {
		switch (frame.type()) {
			case ENDPOINT_INFO -> endpointInfo((EndpointInfoFrame) frame, session);
			case BYE -> {
				ByeFrame bye = (ByeFrame) frame;
				session.acknowledge(bye.ack());
				session.goodbyeReceived(bye.reason());
			}
			case ACK -> session.acknowledged(((AckFrame) frame).ack());
			case ERROR -> {
				ErrorFrame error = (ErrorFrame) frame;
				session.acknowledge(error.ack());
				session.errorReceived(error);
			}
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
			case UTF8DATA -> {
				Utf8DataFrame data = (Utf8DataFrame) frame;
				session.acknowledge(data.ack());
				session.utf8Received(data);
			}
			case BINARYDATA -> {
				BinaryDataFrame data = (BinaryDataFrame) frame;
				session.acknowledge(data.ack());
				session.binaryReceived(data);
			}
			default -> transactionFrame(frame, session);
		}
	}

	@Override
	public void openingTimedOut(SessionContext session) {
		session.protocolViolation("No ENDPOINT_INFO received.");
	}

	private void endpointInfo(EndpointInfoFrame info, SessionContext session) {
		if (!session.isOpening()) {
			// A repeated ENDPOINT_INFO is ACKed and otherwise ignored (§3 item 6).
			session.acknowledge(info.ack());
			return;
		}
		session.peerVersion(Integer.toUnsignedLong(info.version()));
		if (info.version() != EndpointInfoFrame.PROTOCOL_VERSION) {
			String reason = "Protocol mismatch. " + (session.isClient() ? "Server" : "Client") + " offered "
					+ Integer.toUnsignedString(info.version()) + ", we support " + EndpointInfoFrame.PROTOCOL_VERSION
					+ " !";
			if (session.isClient()) {
				// A client leaves with BYE (§3 item 8); the server closes at once with 4001 (item 3).
				session.close(reason);
			}
			else {
				session.protocolViolation(reason);
			}
			return;
		}
		session.acknowledge(info.ack());
		session.opened(info.flags());
	}

	private void transactionFrame(Frame frame, SessionContext session) {
		if (!session.isOpen()) {
			logger.log(Level.DEBUG, () -> "Session " + session.sid() + " dropped "
					+ frame.type() + " received before it was ready");
			return;
		}
		if (!session.peerSupportsTransactions()) {
			session.protocolViolation("PROTOCOL FEATURE MISMATCH - The connected "
					+ (session.isClient() ? "server" : "client")
					+ " does not support features in the namespace 'Cryo.Transaction' !");
			return;
		}
		switch (frame.type()) {
			case TX_START -> acknowledgeThenHandle(((TxStartFrame) frame).ack(), frame, session);
			case TX_CHUNK -> session.transactionFrameReceived(frame);
			case TX_FINISH -> acknowledgeThenHandle(((TxFinishFrame) frame).ack(), frame, session);
			case TX_FLOW -> {
				// Applied before the ACK: a peer that saw the ACK may rely on the mode being in force.
				session.transactionFrameReceived(frame);
				session.acknowledge(((TxFlowFrame) frame).ack());
			}
			case TX_PULL -> acknowledgeThenHandle(((TxPullFrame) frame).ack(), frame, session);
			case TX_CANCEL -> acknowledgeThenHandle(((TxCancelFrame) frame).ack(), frame, session);
			default -> logger.log(Level.DEBUG,
					() -> "Session " + session.sid() + " dropped " + frame);
		}
	}

	private static void acknowledgeThenHandle(int ack, Frame frame, SessionContext session) {
		session.acknowledge(ack);
		session.transactionFrameReceived(frame);
	}

}
