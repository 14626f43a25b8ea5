package dev.cryo.core.dialect.v1;

import java.lang.System.Logger.Level;

import dev.cryo.core.dialect.FrameDispatcher;
import dev.cryo.core.dialect.SessionContext;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxCancelFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;

/**
 * What each received Cryo v1 frame means (cryo-v1.md §3–§10): the ENDPOINT_INFO exchange that
 * opens a session — or, for a peer that never sends one, the frames that show it will not
 * (§3 rule 9) — acknowledgements, the heartbeat, goodbye, the gate in front of the transaction
 * frames and the transaction layouts (§10.5).
 *
 * <p>CAMP keeps all of this but the layouts (camp.md §6, §8 rule 2); its dialect uses the
 * {@linkplain #CAMP CAMP variant}, which also answers the transaction frames its codec refuses
 * (camp.md §8 rules 7–8).
 */
public final class CryoV1Dispatcher implements FrameDispatcher {

	/** The dispatcher of Cryo v1 sessions. */
	public static final CryoV1Dispatcher V1 = new CryoV1Dispatcher("Cryo.Transaction", true);

	/** The dispatcher of CAMP sessions: one transaction layout, refused transactions answered. */
	public static final CryoV1Dispatcher CAMP = new CryoV1Dispatcher("CAMP.Transaction", false);

	/** The reason a session without ENDPOINT_INFO from a silent peer is closed with (§3 rule 7). */
	public static final String NO_ENDPOINT_INFO_REASON = "No ENDPOINT_INFO received.";

	private static final System.Logger logger = System.getLogger(CryoV1Dispatcher.class.getName());

	/** The namespace the feature-mismatch reason names. */
	private final String transactionNamespace;

	/** Whether sessions have the two v1 transaction layouts (§10.5). */
	private final boolean layouts;

	private CryoV1Dispatcher(String transactionNamespace, boolean layouts) {
		this.transactionNamespace = transactionNamespace;
		this.layouts = layouts;
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
				openIfUnannounced(session);
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
				openIfUnannounced(session);
				session.acknowledge(data.ack());
				session.utf8Received(data);
			}
			case BINARYDATA -> {
				BinaryDataFrame data = (BinaryDataFrame) frame;
				openIfUnannounced(session);
				session.acknowledge(data.ack());
				session.binaryReceived(data);
			}
			default -> {
				openIfUnannounced(session);
				transactionFrame(frame, session);
			}
		}
	}

	/**
	 * The opening deadline passed without ENDPOINT_INFO: a peer that said nothing at all is
	 * closed; one that sent frames is taken to be one that never sends it (§3 rules 7, 9 (c)).
	 */
	@Override
	public void openingTimedOut(SessionContext session) {
		if (session.hasReceivedFrames()) {
			openUnannounced(session);
		}
		else {
			session.protocolViolation(NO_ENDPOINT_INFO_REASON);
		}
	}

	/** The peer ACKed our ENDPOINT_INFO a grace period ago and sent none (§3 rule 9 (b)). */
	@Override
	public void announcementOverdue(SessionContext session) {
		openUnannounced(session);
	}

	/**
	 * A CAMP TX_START or TX_FETCH the codec refused: it is ACKed, because the published clients
	 * wait for it without a timeout, then the transaction is refused with TX_CANCEL, the fetch
	 * with an ERROR naming the txid (camp.md §8 rules 6–8).
	 */
	@Override
	public boolean refused(CryoFrameException refusal, SessionContext session) {
		if (this.layouts || !refusal.identifiesTransaction() || !session.isOpen() && !session.isOpening()) {
			return false;
		}
		openIfUnannounced(session);
		if (!admitsTransactions(session)) {
			return true;
		}
		session.acknowledge(refusal.ack());
		String txid = Integer.toUnsignedString(refusal.txid());
		if (refusal.frameType() == FrameType.TX_START) {
			session.sendTracked(new TxCancelFrame(session.sid(), 0, refusal.txid()));
		}
		else {
			session.reportError("TX_FETCH for txid " + txid + " refused: " + refusal.peerMessage());
		}
		return true;
	}

	/** Decided before a data, error or transaction frame is handled (§3 rule 9 (a)). */
	private void openIfUnannounced(SessionContext session) {
		if (session.isOpening()) {
			openUnannounced(session);
		}
	}

	/** Opens with version 1 and transactions; the session takes its policy's layout for such a peer (§10.5 rule 1). */
	private void openUnannounced(SessionContext session) {
		session.openedWithoutAnnouncement(EndpointInfoFrame.FEATURE_TRANSACTIONS);
	}

	private void endpointInfo(EndpointInfoFrame info, SessionContext session) {
		boolean late = !session.isOpening() && session.awaitsLateAnnouncement();
		if (!session.isOpening() && !late) {
			// A repeated ENDPOINT_INFO is ACKed and otherwise ignored (§3 rule 6).
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
		if (late) {
			// A peer that opened without it announces itself after all: its flags count, the
			// layout stays and the session does not open again (§3 rule 9).
			session.announcedLate(info.flags());
		}
		else {
			session.opened(info.flags());
		}
	}

	/**
	 * The gate in front of every transaction frame, refused ones included: the session is open
	 * (rule 9 has opened it for a peer without ENDPOINT_INFO), and a peer without the transaction
	 * feature ends it (§3.1).
	 * @return whether the frame may be handled
	 */
	private boolean admitsTransactions(SessionContext session) {
		if (!session.isOpen()) {
			return false;
		}
		if (!session.peerSupportsTransactions()) {
			session.protocolViolation("PROTOCOL FEATURE MISMATCH - The connected "
					+ (session.isClient() ? "server" : "client")
					+ " does not support features in the namespace '" + this.transactionNamespace + "' !");
			return false;
		}
		return true;
	}

	private void transactionFrame(Frame frame, SessionContext session) {
		if (!admitsTransactions(session)) {
			logger.log(Level.DEBUG, () -> "Session " + session.sid() + " did not handle " + frame.type());
			return;
		}
		switch (frame.type()) {
			case TX_START -> {
				TxStartFrame start = (TxStartFrame) frame;
				if (this.layouts && start.layout() == TransactionLayout.CRYO_PROTOCOL_1_4
						&& session.transactionLayout() == TransactionLayout.SEED) {
					// Only a 1.4 sender writes FF FF FF FF there: its layout from now on (§10.5 rule 3).
					session.useTransactionLayout(TransactionLayout.CRYO_PROTOCOL_1_4);
				}
				acknowledgeThenHandle(start.ack(), frame, session);
			}
			case TX_CHUNK -> session.transactionFrameReceived(frame);
			case TX_FINISH -> acknowledgeThenHandle(((TxFinishFrame) frame).ack(), frame, session);
			case TX_FLOW -> {
				TxFlowFrame flow = (TxFlowFrame) frame;
				if (session.transactionLayout() == TransactionLayout.CRYO_PROTOCOL_1_4) {
					// A 1.4 peer gets pushed transactions whatever it asks for (§10.5).
					session.acknowledge(flow.ack());
					return;
				}
				// Applied before the ACK: a peer that saw the ACK may rely on the mode being in force.
				session.transactionFrameReceived(frame);
				session.acknowledge(flow.ack());
			}
			case TX_PULL -> {
				TxPullFrame pull = (TxPullFrame) frame;
				if (pull.layout() == TransactionLayout.CRYO_PROTOCOL_1_4) {
					// The chunk-index fetch: no pull transaction is ever offered to a 1.4 peer (§10.5).
					session.acknowledge(pull.ack());
					return;
				}
				acknowledgeThenHandle(pull.ack(), frame, session);
			}
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
