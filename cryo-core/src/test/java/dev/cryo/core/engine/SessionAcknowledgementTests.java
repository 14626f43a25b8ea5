package dev.cryo.core.engine;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TxCancelFrame;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;

import static dev.cryo.core.engine.SessionFixture.SID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Received frames and their ACKs (cryo-v1.md §5, §6.2), ack numbers (§6.1), timeouts (§6.3) and RTT (§6.4). */
class SessionAcknowledgementTests {

	/** A foreign sid in received frames: the ACK must carry ours anyway. */
	private static final SessionId PEER_SID = SessionId.of(3);

	/** Near the top of the u32 range, so an ACK that does not copy it unsigned would show. */
	private static final int PEER_ACK = (int) 4_294_967_294L;

	private final SessionFixture fixture = new SessionFixture();

	@AfterEach
	void stopTimers() {
		this.fixture.close();
	}

	@ParameterizedTest
	@MethodSource("trackedFrames")
	void everyTrackedFrameIsAckedWithItsAckValueAndOurSid(Frame frame) {
		this.fixture.open();
		this.fixture.receive(frame);
		assertThat(this.fixture.transport.sent(AckFrame.class)).containsExactly(new AckFrame(SID, PEER_ACK));
		// The ACK is the first reaction, whatever else the frame causes.
		assertThat(this.fixture.transport.sent().get(0)).isEqualTo(new AckFrame(SID, PEER_ACK));
	}

	@ParameterizedTest
	@MethodSource("untrackedFrames")
	void untrackedFramesAreNeverAcked(Frame frame) {
		this.fixture.open();
		this.fixture.receive(frame);
		assertThat(this.fixture.transport.sent(AckFrame.class)).isEmpty();
	}

	@Test
	void acksAreQueuedBeforeTheHandlerSeesTheFrame() {
		this.fixture.open();
		this.fixture.receive(Utf8DataFrame.of(PEER_SID, 5, "text"));
		this.fixture.receive(new BinaryDataFrame(PEER_SID, 6, ByteBuffer.wrap(new byte[] { 1, 2, 3 })));
		this.fixture.receive(new ErrorFrame(PEER_SID, 7, "oops"));
		assertThat(this.fixture.log.events()).containsExactly("send ACK 5", "onUtf8 text", "send ACK 6", "onBinary 3",
				"send ACK 7", "onError oops");
	}

	@Test
	void ackIsAlreadyQueuedWhenTheHandlerRunsOnASlowTransport() {
		ProtocolSession session = this.fixture.open();
		this.fixture.transport.hold();
		session.sendUtf8("in flight");
		int[] queuedDuringCallback = new int[1];
		this.fixture.handler.whenUtf8((s) -> queuedDuringCallback[0] = s.queuedFrames());
		this.fixture.receive(Utf8DataFrame.of(SID, 5, "text"));
		assertThat(queuedDuringCallback[0]).isOne();
		this.fixture.transport.release();
		assertThat(this.fixture.transport.sent()).last().isEqualTo(new AckFrame(SID, 5));
	}

	@Test
	void receivedPayloadsReachTheHandler() {
		this.fixture.open();
		this.fixture.receive(Utf8DataFrame.of(SID, 5, "héllo ✓ 🚀"));
		this.fixture.receive(new BinaryDataFrame(SID, 6, ByteBuffer.wrap(new byte[] { 0, -1, 7 })));
		this.fixture.receive(Utf8DataFrame.of(SID, 7, ""));
		assertThat(this.fixture.handler.texts()).containsExactly("héllo ✓ 🚀", "");
		assertThat(this.fixture.handler.binaries()).singleElement()
			.satisfies((bytes) -> assertThat(bytes).containsExactly(0, -1, 7));
	}

	@Test
	void handlerExceptionDoesNotEndTheSession() {
		ProtocolSession session = this.fixture.open();
		this.fixture.handler.throwing(new IllegalStateException("application bug"));
		this.fixture.receive(Utf8DataFrame.of(SID, 5, "one"));
		this.fixture.receive(Utf8DataFrame.of(SID, 6, "two"));
		assertThat(this.fixture.transport.sent()).containsExactly(new AckFrame(SID, 5), new AckFrame(SID, 6));
		assertThat(this.fixture.handler.texts()).containsExactly("one", "two");
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
		assertThat(this.fixture.transport.isClosed()).isFalse();
	}

	@Test
	void ackCounterStartsAtZeroAndOnlyNumberedFramesTakeNumbers() {
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(new EndpointInfoFrame(SID, 40, 1, 1));
		this.fixture.receive(Utf8DataFrame.of(SID, 50, "acked"));
		this.fixture.receive(PingPongFrame.ping(SID, 60));
		this.fixture.receive(new AckFrame(SID, 0));
		session.sendUtf8("first");
		session.ping();
		session.sendBinary(ByteBuffer.allocate(1));
		session.sendError("error");
		this.fixture.receive(PingPongFrame.ping(SID, 61));
		session.sendTracked(new TxFlowFrame(SID, 0, FlowBehaviour.PULL));
		session.sendUtf8("last");
		// ACKs and pongs copy numbers and take none of ours (§6.1).
		assertThat(this.fixture.transport.sent()).filteredOn((frame) -> !isAckOrPong(frame))
			.extracting(SessionAcknowledgementTests::ackField)
			.containsExactly(0, 1, 2, 3, 4, 5, 6);
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.ENDPOINT_INFO, FrameType.ACK,
				FrameType.ACK, FrameType.PING_PONG, FrameType.UTF8DATA, FrameType.PING_PONG, FrameType.BINARYDATA,
				FrameType.ERROR, FrameType.PING_PONG, FrameType.TX_FLOW, FrameType.UTF8DATA);
		assertThat(this.fixture.transport.sent(AckFrame.class)).extracting(AckFrame::ack).containsExactly(40, 50);
	}

	@Test
	void sessionAckCounterWrapsFromTheLargestU32ToZero() {
		ProtocolSession session = this.fixture.open();
		SessionFixture.setNextAck(SessionFixture.ackTracker(session), (int) 4_294_967_294L);
		List<CompletableFuture<Void>> sends = List.of(session.sendUtf8("a"), session.sendUtf8("b"),
				session.sendUtf8("c"));
		assertThat(this.fixture.transport.sent(Utf8DataFrame.class))
			.extracting((frame) -> Integer.toUnsignedLong(frame.ack()))
			.containsExactly(4_294_967_294L, 4_294_967_295L, 0L);
		this.fixture.receive(new AckFrame(SID, (int) 4_294_967_295L));
		this.fixture.receive(new AckFrame(SID, 0));
		this.fixture.receive(new AckFrame(SID, (int) 4_294_967_294L));
		assertThat(sends).allSatisfy((future) -> assertThat(future).isCompleted());
		assertThat(session.pendingAcks()).isZero();
	}

	@Test
	void sendFutureCompletesOnTheMatchingAckOnly() {
		ProtocolSession session = this.fixture.open();
		CompletableFuture<Void> first = session.sendUtf8("first");
		CompletableFuture<Void> second = session.sendUtf8("second");
		this.fixture.receive(new AckFrame(SID, 2));
		assertThat(first).isNotDone();
		assertThat(second).isCompleted();
		this.fixture.receive(new AckFrame(SID, 1));
		assertThat(first).isCompleted();
		assertThat(session.pendingAcks()).isZero();
	}

	@Test
	void unknownAndRepeatedAcksAreIgnored() {
		ProtocolSession session = this.fixture.open();
		CompletableFuture<Void> send = session.sendUtf8("x");
		this.fixture.receive(new AckFrame(SID, 999));
		this.fixture.receive(new AckFrame(SID, -1));
		assertThat(send).isNotDone();
		this.fixture.receive(new AckFrame(SID, 1));
		this.fixture.receive(new AckFrame(SID, 1));
		assertThat(send).isCompleted();
		// Nothing is sent in answer to an ACK, known or not.
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.UTF8DATA);
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
	}

	@Test
	void ackTimeoutFailsTheSendFutureAndCountsInStatistics() {
		this.fixture.options(SessionFixture.options(Duration.ofMillis(200), Duration.ZERO, 16));
		ProtocolSession session = this.fixture.open();
		CompletableFuture<Void> send = session.sendUtf8("never acked");
		assertThat(send).failsWithin(Polling.DEADLINE)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(CryoAckTimeoutException.class)
			.withMessageStartingWith("No ACK for frame 1 of session 9223372036854775850 within 200 ms");
		assertThat(session.pendingAcks()).isZero();
		assertThat(session.statistics().ackTimeouts()).isOne();
		// Nothing is resent.
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.UTF8DATA);
	}

	@Test
	void lateAckAfterTheTimeoutIsIgnored() {
		this.fixture.options(SessionFixture.options(Duration.ofMillis(200), Duration.ZERO, 16));
		ProtocolSession session = this.fixture.open();
		CompletableFuture<Void> send = session.sendUtf8("late");
		assertThat(send).failsWithin(Polling.DEADLINE);
		double rtt = session.statistics().rttMillis();
		this.fixture.receive(new AckFrame(SID, 1));
		assertThat(send.isCompletedExceptionally()).isTrue();
		assertThat(session.statistics().rttMillis()).isEqualTo(rtt);
		assertThat(session.statistics().ackTimeouts()).isOne();
	}

	@Test
	void framesNobodyWaitsForTimeOutToo() {
		this.fixture.options(SessionFixture.options(Duration.ofMillis(200), Duration.ZERO, 16));
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(new EndpointInfoFrame(SID, 0, 1, 1));
		// Our ENDPOINT_INFO is never ACKed by this peer.
		Polling.await("the ENDPOINT_INFO timed out", () -> session.pendingAcks() == 0);
		assertThat(session.statistics().ackTimeouts()).isOne();
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
	}

	@Test
	void ackTimeoutsAreReportedPerHeartbeatTickAndInTotal() {
		this.fixture.options(SessionFixture.options(Duration.ofMillis(200), Duration.ZERO, 16));
		ProtocolSession session = this.fixture.open();
		CompletableFuture<Void> first = session.sendUtf8("one");
		CompletableFuture<Void> second = session.sendUtf8("two");
		assertThat(first).failsWithin(Polling.DEADLINE);
		assertThat(second).failsWithin(Polling.DEADLINE);
		session.heartbeatTick();
		this.fixture.receive(PingPongFrame.pong(SID, 0));
		assertThat(session.sendUtf8("three")).failsWithin(Polling.DEADLINE);
		session.heartbeatTick();
		this.fixture.receive(PingPongFrame.pong(SID, 0));
		session.heartbeatTick();
		assertThat(this.fixture.handler.statistics()).extracting(SessionStatistics::ackTimeouts)
			.containsExactly(2L, 1L, 0L);
		assertThat(session.statistics().ackTimeouts()).isEqualTo(3);
	}

	@Test
	void roundTripIsMinusOneUntilTheFirstAckIsSampled() {
		ProtocolSession session = this.fixture.start();
		assertThat(session.statistics().rttMillis()).isEqualTo(-1.0);
		this.fixture.receive(new EndpointInfoFrame(SID, 0, 1, 1));
		// The ping takes number 1 but is not tracked: its "ACK" is ignored and not sampled (§6.4).
		session.ping();
		this.fixture.receive(new AckFrame(SID, 1));
		assertThat(session.statistics().rttMillis()).isEqualTo(-1.0);
		assertThat(session.pendingAcks()).isOne();
		this.fixture.receive(new AckFrame(SID, 0));
		assertThat(session.statistics().rttMillis()).isGreaterThanOrEqualTo(0.0);
	}

	@Test
	void sendTrackedReplacesTheAckFieldWithTheNextNumber() {
		ProtocolSession session = this.fixture.open();
		session.sendTracked(new TxFinishFrame(SID, 999, 7));
		assertThat(this.fixture.transport.sent()).containsExactly(new TxFinishFrame(SID, 1, 7));
	}

	@Test
	void sendTrackedRefusesUntrackedTypes() {
		ProtocolSession session = this.fixture.open();
		assertThatIllegalArgumentException().isThrownBy(() -> session.sendTracked(new AckFrame(SID, 1)));
		assertThatIllegalArgumentException().isThrownBy(() -> session.sendTracked(PingPongFrame.ping(SID, 1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> session.sendTracked(new TxChunkFrame(SID, 1, ByteBuffer.allocate(1))));
		assertThat(this.fixture.transport.sent()).isEmpty();
	}

	@Test
	void oversizedSendThrowsBeforeAnythingIsQueuedOrNumbered() {
		ProtocolSession session = this.fixture.open();
		assertThatExceptionOfType(CryoFrameException.class)
			.isThrownBy(() -> session.sendBinary(ByteBuffer.allocate(FrameCodec.MAX_PAYLOAD + 1)));
		assertThat(this.fixture.transport.sent()).isEmpty();
		assertThat(session.pendingAcks()).isZero();
		session.sendUtf8("next");
		assertThat(this.fixture.transport.sent(Utf8DataFrame.class)).extracting(Utf8DataFrame::ack).containsExactly(1);
	}

	@Test
	void sendBinaryCopiesThePayloadBeforeReturning() {
		ProtocolSession session = this.fixture.open();
		this.fixture.transport.hold();
		session.sendUtf8("occupies the transport");
		ByteBuffer payload = ByteBuffer.wrap(new byte[] { 1, 2, 3 });
		session.sendBinary(payload);
		payload.put(0, (byte) 9);
		this.fixture.transport.release();
		BinaryDataFrame sent = this.fixture.transport.sent(BinaryDataFrame.class).get(0);
		assertThat(sent.payload()).isEqualTo(ByteBuffer.wrap(new byte[] { 1, 2, 3 }));
	}

	@Test
	void transactionFramesAreAckedAndHandledAsSection5Says() {
		this.fixture.open();
		this.fixture.receive(new TxStartFrame(SID, 5, 4, "upload"));
		this.fixture.receive(new TxChunkFrame(SID, 4, ByteBuffer.allocate(3)));
		this.fixture.receive(new TxPullFrame(SID, 6, 4, 0, 10));
		this.fixture.receive(new TxFinishFrame(SID, 7, 4));
		this.fixture.receive(new TxCancelFrame(SID, 8, 4));
		// Every tracked one is ACKed (§5, D-S13); the TX_PULL names a txid this side never started
		// (txids belong to the sender of TX_START), so it is answered with an ERROR (§10.4 rule 7).
		assertThat(this.fixture.transport.sent()).containsExactly(new AckFrame(SID, 5), new AckFrame(SID, 6),
				new ErrorFrame(SID, 1, "TX_PULL for unknown txid 4"), new AckFrame(SID, 7), new AckFrame(SID, 8));
	}

	static Stream<Frame> trackedFrames() {
		return Stream.of(new EndpointInfoFrame(PEER_SID, PEER_ACK, 1, 1), new ByeFrame(PEER_SID, PEER_ACK, "bye"),
				new ErrorFrame(PEER_SID, PEER_ACK, "error"), Utf8DataFrame.of(PEER_SID, PEER_ACK, "text"),
				new BinaryDataFrame(PEER_SID, PEER_ACK, ByteBuffer.allocate(2)),
				new TxStartFrame(PEER_SID, PEER_ACK, 1, "tx"), new TxFinishFrame(PEER_SID, PEER_ACK, 1),
				new TxFlowFrame(PEER_SID, PEER_ACK, FlowBehaviour.PULL), new TxPullFrame(PEER_SID, PEER_ACK, 1, 0, 1),
				new TxCancelFrame(PEER_SID, PEER_ACK, 1));
	}

	static Stream<Frame> untrackedFrames() {
		return Stream.of(new AckFrame(PEER_SID, 0), new AckFrame(PEER_SID, PEER_ACK), PingPongFrame.ping(PEER_SID, 9),
				PingPongFrame.pong(PEER_SID, 9), new TxChunkFrame(PEER_SID, 1, ByteBuffer.allocate(2)));
	}

	private static boolean isAckOrPong(Frame frame) {
		return frame.type() == FrameType.ACK
				|| (frame instanceof PingPongFrame ping && !ping.isPing());
	}

	/** The ack field of a frame that has one, read from the wire bytes. */
	private static int ackField(Frame frame) {
		return FrameCodec.encode(frame).getInt(9);
	}

}
