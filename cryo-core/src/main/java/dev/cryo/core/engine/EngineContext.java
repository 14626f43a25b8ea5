package dev.cryo.core.engine;

import java.nio.ByteBuffer;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.SessionContext;
import dev.cryo.core.dialect.TransformContext;
import dev.cryo.core.engine.CloseInfo.Initiator;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.Utf8DataFrame;

/**
 * The engine side of a dialect's {@link dev.cryo.core.dialect.FrameDispatcher} and
 * {@link dev.cryo.core.dialect.MessageTransform}: each protocol event they name becomes a send,
 * a state change, a handler call or a close of one session. One per session, created with it.
 */
final class EngineContext implements SessionContext, TransformContext {

	private final ProtocolSession session;

	private final ProtocolHandler handler;

	private final FrameSender sender;

	private final CloseSequence closing;

	private final Liveness liveness;

	private final SessionTransactions transactions;

	private final boolean client;

	EngineContext(ProtocolSession session, ProtocolSession.Role role, ProtocolHandler handler, FrameSender sender,
			CloseSequence closing, Liveness liveness, SessionTransactions transactions) {
		this.session = session;
		this.handler = handler;
		this.sender = sender;
		this.closing = closing;
		this.liveness = liveness;
		this.transactions = transactions;
		this.client = role == ProtocolSession.Role.CLIENT;
	}

	@Override
	public SessionId sid() {
		return this.session.sid();
	}

	@Override
	public boolean isClient() {
		return this.client;
	}

	@Override
	public boolean isOpening() {
		return this.session.state() == SessionState.HANDSHAKING;
	}

	@Override
	public boolean isOpen() {
		return this.session.state() == SessionState.OPEN;
	}

	@Override
	public boolean peerSupportsTransactions() {
		return this.session.peerSupportsTransactions();
	}

	@Override
	public void acknowledge(int ack) {
		this.sender.acknowledge(ack);
	}

	@Override
	public void acknowledged(int ack) {
		this.sender.acknowledged(ack);
	}

	@Override
	public void sendExpedited(Frame frame, int ack) {
		this.sender.enqueue(frame, ack, false, null);
	}

	@Override
	public void pingReceived() {
		this.liveness.pingReceived();
	}

	@Override
	public void pongReceived() {
		this.liveness.pongReceived();
	}

	@Override
	public void peerVersion(long version) {
		this.session.peerAnnounced(version);
	}

	@Override
	public void opened(long peerFlags) {
		this.session.opened(peerFlags);
	}

	@Override
	public void openedWithoutAnnouncement(long assumedFlags) {
		this.session.openedWithoutAnnouncement(assumedFlags);
	}

	@Override
	public boolean awaitsLateAnnouncement() {
		return this.session.awaitsLateAnnouncement();
	}

	@Override
	public void announcedLate(long peerFlags) {
		this.session.announcedLate(peerFlags);
	}

	@Override
	public boolean hasReceivedFrames() {
		return this.session.hasReceivedFrames();
	}

	@Override
	public TransactionLayout transactionLayout() {
		return this.session.transactionLayout();
	}

	@Override
	public void useTransactionLayout(TransactionLayout layout) {
		this.session.useTransactionLayout(layout);
	}

	@Override
	public void sendTracked(Frame frame) {
		this.sender.sendTracked(frame, null, false, null);
	}

	@Override
	public void reportError(String message) {
		this.session.reportProblem(message);
	}

	@Override
	public void goodbyeReceived(String reason) {
		this.closing.closeAfterFlush(
				new CloseInfo(CloseCodes.GRACEFUL, CloseCodes.truncateReason(reason), Initiator.PEER));
	}

	@Override
	public void errorReceived(ErrorFrame error) {
		this.handler.onError(this.session, error);
	}

	@Override
	public void utf8Received(Utf8DataFrame data) {
		this.handler.onUtf8(this.session, data);
	}

	@Override
	public void binaryReceived(BinaryDataFrame data) {
		this.handler.onBinary(this.session, data);
	}

	@Override
	public void transactionFrameReceived(Frame frame) {
		this.transactions.received(frame);
	}

	@Override
	public void close(String reason) {
		this.closing.close(reason);
	}

	@Override
	public void protocolViolation(String reason) {
		this.closing.closeNow(CloseCodes.CLIENT_ERROR, reason);
	}

	@Override
	public void closeNow(int code, String reason) {
		this.closing.closeNow(code, reason);
	}

	// The message layer's side.

	@Override
	public int nextNumber() {
		return this.sender.nextNumber();
	}

	@Override
	public void send(ByteBuffer message) {
		this.sender.sendLayerMessage(message);
	}

	@Override
	public void established() {
		this.session.opened(0);
	}

	@Override
	public void fail(int code, String reason) {
		this.closing.closeNow(code, reason);
	}

}
