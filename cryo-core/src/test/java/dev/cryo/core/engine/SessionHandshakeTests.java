package dev.cryo.core.engine;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.cryo.core.dialect.v1.CryoV1Codec;
import dev.cryo.core.engine.ProtocolSession.Role;
import dev.cryo.core.engine.TestTransport.CloseCall;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
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

import static dev.cryo.core.engine.SessionFixture.SID;
import static org.assertj.core.api.Assertions.assertThat;

/** Session start (cryo-v1.md §3): ENDPOINT_INFO in both directions, readiness, deadline, feature flags. */
class SessionHandshakeTests {

	private static final String FEATURE_MISMATCH = "PROTOCOL FEATURE MISMATCH - The connected client does not support "
			+ "features in the namespace 'Cryo.Transaction' !";

	private final SessionFixture fixture = new SessionFixture();

	@AfterEach
	void stopTimers() {
		this.fixture.close();
	}

	@Test
	void startSendsEndpointInfoWithAckZeroVersionOneAndTransactionsFlag() {
		ProtocolSession session = this.fixture.start();
		assertThat(this.fixture.transport.sent()).containsExactly(new EndpointInfoFrame(SID, 0, 1, 1));
		// It is tracked like any other tracked frame (§3 item 4): the peer's ACK feeds the RTT.
		assertThat(session.pendingAcks()).isOne();
		assertThat(session.state()).isEqualTo(SessionState.HANDSHAKING);
	}

	@Test
	void peerEndpointInfoIsAckedWithItsOwnAckAndMakesTheSessionReady() {
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(new EndpointInfoFrame(SID, 1234, 1, 1));
		assertThat(this.fixture.transport.sent()).containsExactly(new EndpointInfoFrame(SID, 0, 1, 1),
				new AckFrame(SID, 1234));
		// Readiness does not wait for the peer to ACK our ENDPOINT_INFO (§3 item 4): ack 0 is still pending.
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
		assertThat(session.pendingAcks()).isOne();
		assertThat(this.fixture.handler.readyCount()).isOne();
		assertThat(this.fixture.transport.isClosed()).isFalse();
	}

	@Test
	void ackOfTheEndpointInfoIsQueuedBeforeOnReady() {
		this.fixture.start();
		this.fixture.log.clear();
		this.fixture.receive(new EndpointInfoFrame(SID, 77, 1, 1));
		assertThat(this.fixture.log.events()).containsExactly("send ACK 77", "onReady");
	}

	@Test
	void peerFlagsAreStoredBitForBit() {
		ProtocolSession session = this.fixture.start();
		assertThat(session.peerFlags()).isZero();
		// Reserved bits are ignored but kept; bit 63 must survive as an unsigned value.
		this.fixture.receive(new EndpointInfoFrame(SID, 0, 1, 0x8000_0000_0000_0003L));
		assertThat(session.peerFlags()).isEqualTo(0x8000_0000_0000_0003L);
		assertThat(session.peerSupportsTransactions()).isTrue();
	}

	@Test
	void peerWithoutTransactionsFlagIsStillReady() {
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(new EndpointInfoFrame(SID, 0, 1, 0x2));
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
		assertThat(session.peerSupportsTransactions()).isFalse();
	}

	@Test
	void otherVersionClosesWith4001AndSendsNoAck() {
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(new EndpointInfoFrame(SID, 5, 2, 1));
		assertThat(this.fixture.transport.closes())
			.containsExactly(new CloseCall(4001, "Protocol mismatch. Client offered 2, we support 1 !"));
		// No ACK, no BYE, no ERROR (§3 item 3): only our own ENDPOINT_INFO went out.
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.ENDPOINT_INFO);
		assertThat(this.fixture.handler.readyCount()).isZero();
		assertThat(session.state()).isEqualTo(SessionState.CLOSING);
	}

	@Test
	void mismatchReasonShowsTheVersionUnsigned() {
		this.fixture.start();
		this.fixture.receive(new EndpointInfoFrame(SID, 0, -1, 1));
		assertThat(this.fixture.transport.closes())
			.containsExactly(new CloseCall(4001, "Protocol mismatch. Client offered 4294967295, we support 1 !"));
	}

	@Test
	void startFutureCompletesWhenThePeerAcksOurEndpointInfo() {
		ProtocolSession session = this.fixture.session();
		CompletableFuture<Void> acknowledged = session.start();
		this.fixture.receive(new EndpointInfoFrame(SID, 7, EndpointInfoFrame.PROTOCOL_VERSION, 1));
		assertThat(acknowledged).isNotDone();
		this.fixture.receive(new AckFrame(SID, 0));
		assertThat(acknowledged).isCompleted();
	}

	@Test
	void readyFutureCompletesWhenThePeersEndpointInfoIsAccepted() {
		ProtocolSession session = this.fixture.start();
		CompletableFuture<Void> ready = session.readyFuture();
		assertThat(ready).isNotDone();
		assertThat(session.peerVersion()).isEqualTo(-1);
		this.fixture.receive(new EndpointInfoFrame(SID, 7, EndpointInfoFrame.PROTOCOL_VERSION, 1));
		assertThat(ready).isCompleted();
		assertThat(session.peerVersion()).isEqualTo(1);
	}

	@Test
	void readyFutureFailsWhenTheSessionClosesFirst() {
		ProtocolSession session = this.fixture.start();
		CompletableFuture<Void> ready = session.readyFuture();
		session.transportClosed(1006, "gone");
		assertThat(ready).isCompletedExceptionally();
		assertThat(ready).failsWithin(Duration.ZERO)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(CryoSessionClosedException.class);
	}

	@Test
	void receivedPingRestartsTheClock() throws InterruptedException {
		ProtocolSession session = this.fixture.role(Role.CLIENT).open();
		Thread.sleep(30);
		long before = session.nanosSinceLastPing();
		assertThat(before).isGreaterThanOrEqualTo(Duration.ofMillis(30).toNanos());
		this.fixture.receive(PingPongFrame.ping(SID, 5));
		assertThat(session.nanosSinceLastPing()).isLessThan(before);
		// A pong is not a ping: only the server's pings show that its heartbeat runs.
		Thread.sleep(30);
		long afterPing = session.nanosSinceLastPing();
		this.fixture.receive(PingPongFrame.pong(SID, 6));
		assertThat(session.nanosSinceLastPing()).isGreaterThanOrEqualTo(afterPing);
	}

	@Test
	void clientSaysByeNamingTheServerOnMismatch() {
		// §3 item 8: a client that rejects the server's version ends the session with BYE.
		ProtocolSession session = this.fixture.role(Role.CLIENT).start();
		this.fixture.receive(new EndpointInfoFrame(SID, 0, 0, 1));
		String reason = "Protocol mismatch. Server offered 0, we support 1 !";
		assertThat(this.fixture.transport.sent(ByeFrame.class)).extracting(ByeFrame::reason).containsExactly(reason);
		assertThat(this.fixture.transport.sent(AckFrame.class)).isEmpty();
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4000, reason));
		assertThat(session.peerVersion()).isZero();
		assertThat(this.fixture.handler.readyCount()).isZero();
	}

	@Test
	void mismatchIsReportedToTheHandlerAsLocalClose() {
		this.fixture.start();
		this.fixture.receive(new EndpointInfoFrame(SID, 0, 2, 1));
		this.fixture.session().transportClosed(4001, "Protocol mismatch. Client offered 2, we support 1 !");
		assertThat(this.fixture.handler.closes()).containsExactly(new CloseInfo(4001,
				"Protocol mismatch. Client offered 2, we support 1 !", CloseInfo.Initiator.LOCAL));
	}

	@Test
	void repeatedEndpointInfoIsAckedButOtherwiseIgnored() {
		ProtocolSession session = this.fixture.open();
		// Different flags and even a different version: a repeat changes nothing (§3 item 6).
		this.fixture.receive(new EndpointInfoFrame(SID, 5, 1, 0));
		this.fixture.receive(new EndpointInfoFrame(SID, 6, 2, 0));
		assertThat(this.fixture.transport.sent()).containsExactly(new AckFrame(SID, 5), new AckFrame(SID, 6));
		assertThat(this.fixture.handler.readyCount()).isOne();
		assertThat(session.peerFlags()).isEqualTo(EndpointInfoFrame.FEATURE_TRANSACTIONS);
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
		assertThat(this.fixture.transport.isClosed()).isFalse();
	}

	@Test
	void missingEndpointInfoClosesWith4001WhenTheDeadlinePasses() {
		this.fixture.options(SessionFixture.options(Duration.ofSeconds(30), Duration.ofMillis(100), 16));
		ProtocolSession session = this.fixture.start();
		Polling.await("the handshake deadline closed the session", this.fixture.transport::isClosed);
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4001, "No ENDPOINT_INFO received."));
		// A close for a protocol fault: no BYE.
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.ENDPOINT_INFO);
		assertThat(session.state()).isEqualTo(SessionState.CLOSING);
	}

	@Test
	void zeroEndpointInfoTimeoutDisablesTheDeadline() {
		this.fixture.options(SessionFixture.options(Duration.ofSeconds(30), Duration.ZERO, 16));
		ProtocolSession session = this.fixture.start();
		// A deadline of "0" would be due at once; everything due in the next 200 ms has run after this.
		this.fixture.awaitTimersUpTo(Duration.ofMillis(200));
		assertThat(this.fixture.transport.isClosed()).isFalse();
		assertThat(session.state()).isEqualTo(SessionState.HANDSHAKING);
	}

	@Test
	void endpointInfoInTimeCancelsTheDeadline() {
		this.fixture.options(SessionFixture.options(Duration.ofSeconds(30), Duration.ofMillis(100), 16));
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(new EndpointInfoFrame(SID, 0, 1, 1));
		this.fixture.awaitTimersUpTo(Duration.ofMillis(300));
		assertThat(this.fixture.transport.isClosed()).isFalse();
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
	}

	@Test
	void ackAndPingBeforeReadyAreHandledWithoutOpeningTheSession() {
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(new AckFrame(SID, 0));
		this.fixture.receive(PingPongFrame.ping(SID, 10));
		// The ACK settles our ENDPOINT_INFO and the ping is answered, before the peer's ENDPOINT_INFO
		// (§3 rule 5); neither tells whether the peer will still send one (rule 9).
		assertThat(this.fixture.transport.sent()).containsExactly(new EndpointInfoFrame(SID, 0, 1, 1),
				PingPongFrame.pong(SID, 10));
		assertThat(session.pendingAcks()).isZero();
		assertThat(session.state()).isEqualTo(SessionState.HANDSHAKING);
		assertThat(this.fixture.handler.readyCount()).isZero();
	}

	@Test
	void dataFrameBeforeTheEndpointInfoOpensTheSessionBeforeItIsHandled() {
		ProtocolSession session = this.fixture.start();
		this.fixture.log.clear();
		this.fixture.receive(Utf8DataFrame.of(SID, 9, "early"));
		// Delivered, not dropped: the peer is taken to be one that never sends ENDPOINT_INFO (§3 rule 9 (a)).
		assertThat(this.fixture.log.events()).containsExactly("onReady", "send ACK 9", "onUtf8 early");
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
	}

	@ParameterizedTest
	@MethodSource("transactionFramesOfAPeerWithoutEndpointInfo")
	void transactionFrameBeforeTheEndpointInfoOpensTheSessionInsteadOfBeingDropped(Frame frame) {
		ProtocolSession session = this.fixture.start();
		session.receive(CryoV1Codec.INSTANCE.encode(frame));
		// No transaction frame is dropped for lack of readiness (§3 rule 5, D-S11): the session opens
		// first (rule 9 (a)), and every one that has an ack field is ACKed.
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
		assertThat(this.fixture.handler.readyCount()).isOne();
		assertThat(this.fixture.transport.isClosed()).isFalse();
		if (frame.type() == FrameType.TX_CHUNK) {
			assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.ENDPOINT_INFO);
		}
		else {
			assertThat(this.fixture.transport.sent()).containsExactly(new EndpointInfoFrame(SID, 0, 1, 1),
					new AckFrame(SID, 3));
		}
	}

	@Test
	void transactionFrameRightBehindTheEndpointInfoIsAccepted() {
		// Frames are handled strictly in order (§3 item 5, D-S20), so this TX_FLOW finds the session ready.
		this.fixture.start();
		this.fixture.receive(new EndpointInfoFrame(SID, 0, 1, 1));
		this.fixture.receive(new TxFlowFrame(SID, 1, FlowBehaviour.PULL));
		assertThat(this.fixture.transport.sent()).endsWith(new AckFrame(SID, 0), new AckFrame(SID, 1));
	}

	@ParameterizedTest
	@MethodSource("transactionFrames")
	void transactionFrameFromPeerWithoutTransactionsClosesWith4001(Frame frame) {
		this.fixture.open(0);
		this.fixture.receive(frame);
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4001, FEATURE_MISMATCH));
		// Not ACKed, no BYE.
		assertThat(this.fixture.transport.sent()).isEmpty();
	}

	@Test
	void clientNamesTheServerInTheFeatureMismatchReason() {
		this.fixture.role(Role.CLIENT).open(0);
		this.fixture.receive(new TxFinishFrame(SID, 3, 1));
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4001,
				"PROTOCOL FEATURE MISMATCH - The connected server does not support features in the namespace "
						+ "'Cryo.Transaction' !"));
	}

	@Test
	void connectionLostWhileTheHandshakeCompletesStaysClosed() {
		ProtocolSession session = this.fixture.start();
		// The connection drops (another thread reports it) while the ACK of the peer's
		// ENDPOINT_INFO is being written; the transport hook makes that interleaving deterministic.
		this.fixture.transport.onSend((frame) -> {
			if (frame.type() == FrameType.ACK) {
				session.transportClosed(1006, "");
			}
		});
		this.fixture.receive(new EndpointInfoFrame(SID, 0, 1, 1));
		assertThat(session.state()).isEqualTo(SessionState.CLOSED);
		// onClosed is the last callback of a session; onReady must not follow it.
		assertThat(this.fixture.log.events()).last().asString().startsWith("onClosed");
		assertThat(this.fixture.handler.readyCount()).isZero();
	}

	static Stream<Frame> transactionFrames() {
		return Stream.of(new TxStartFrame(SID, 3, 1, "upload"), new TxChunkFrame(SID, 1, ByteBuffer.allocate(4)),
				new TxFinishFrame(SID, 3, 1), new TxFlowFrame(SID, 3, FlowBehaviour.PUSH),
				new TxPullFrame(SID, 3, 1, 0, 10), new TxCancelFrame(SID, 3, 1));
	}

	/** What a peer without ENDPOINT_INFO sends: the published 1.4 generation, in its layouts (§16). */
	static Stream<Frame> transactionFramesOfAPeerWithoutEndpointInfo() {
		TransactionLayout v14 = TransactionLayout.CRYO_PROTOCOL_1_4;
		return Stream.of(new TxStartFrame(SID, 3, 1, "upload", TxStartFrame.UNKNOWN_SIZE, null, v14),
				new TxStartFrame(SID, 3, 1, "offered", 10, null, v14),
				new TxChunkFrame(SID, 1, ByteBuffer.allocate(4), 0, v14), new TxFinishFrame(SID, 3, 1),
				new TxFlowFrame(SID, 3, FlowBehaviour.PULL), new TxPullFrame(SID, 3, 1, 0, 2, v14),
				new TxCancelFrame(SID, 3, 1));
	}

}
