package dev.cryo.core.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.engine.CloseInfo.Initiator;
import dev.cryo.core.engine.TestTransport.CloseCall;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.Utf8DataFrame;

import static dev.cryo.core.engine.SessionFixture.SID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** Ending a session (cryo-v1.md §8): BYE in both directions, close codes and reasons, failing pending sends. */
class SessionCloseTests {

	private final SessionFixture fixture = new SessionFixture();

	@AfterEach
	void stopTimers() {
		this.fixture.close();
	}

	@Test
	void closeOnAnIdleTransportSendsByeThenClosesWith4000() {
		ProtocolSession session = this.fixture.open();
		session.close("Server shutdown.");
		assertThat(this.fixture.log.events()).containsExactly("send BYE 1 Server shutdown.",
				"close 4000 Server shutdown.");
		assertThat(this.fixture.transport.sent()).containsExactly(new ByeFrame(SID, 1, "Server shutdown."));
		// The BYE is tracked, but its ACK is not awaited (§8.1).
		assertThat(session.pendingAcks()).isOne();
		assertThat(session.state()).isEqualTo(SessionState.CLOSING);
	}

	@Test
	void closeFlushesQueuedFramesThenSendsByeThenCloses() {
		ProtocolSession session = this.fixture.open();
		this.fixture.transport.hold();
		session.sendUtf8("in flight");
		session.sendUtf8("queued");
		session.close("done");
		// Nothing may overtake the queued frame, and the connection must stay open for it.
		assertThat(this.fixture.transport.isClosed()).isFalse();
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.UTF8DATA);
		this.fixture.transport.release();
		assertThat(this.fixture.log.events()).containsExactly("send UTF8DATA 1 in flight", "send UTF8DATA 2 queued",
				"send BYE 3 done", "close 4000 done");
	}

	@Test
	void closeBeforeReadyStillSaysBye() {
		ProtocolSession session = this.fixture.start();
		session.close("early");
		assertThat(this.fixture.transport.sent()).containsExactly(new EndpointInfoFrame(SID, 0, 1, 1),
				new ByeFrame(SID, 1, "early"));
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4000, "early"));
	}

	@Test
	void longReasonIsTruncatedForTheCloseButByeCarriesItWhole() {
		ProtocolSession session = this.fixture.open();
		// 10 ASCII bytes and 70 two-byte characters: 150 bytes.
		String reason = "Shutdown: " + "é".repeat(70);
		session.close(reason);
		assertThat(this.fixture.transport.sent(ByeFrame.class)).extracting(ByeFrame::reason).containsExactly(reason);
		// 10 + 56 · 2 = 122 bytes; one more "é" would make 124.
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4000, "Shutdown: " + "é".repeat(56)));
	}

	@Test
	void ackOfOurByeIsStillProcessedWhileClosing() {
		ProtocolSession session = this.fixture.open();
		session.close("bye");
		this.fixture.receive(new AckFrame(SID, 1));
		assertThat(session.pendingAcks()).isZero();
	}

	@Test
	void closeIsDecidedOnce() {
		ProtocolSession session = this.fixture.open();
		session.close("first");
		session.close("second");
		session.closeNow(4002, "third");
		assertThat(this.fixture.transport.sent()).containsExactly(new ByeFrame(SID, 1, "first"));
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4000, "first"));
	}

	@Test
	void localCloseIsReportedWithTheDecidedCodeAndReason() {
		ProtocolSession session = this.fixture.open();
		session.close("bye now");
		// Whatever the transport saw, the handler learns what this side decided.
		session.transportClosed(1006, "");
		assertThat(this.fixture.handler.closes()).containsExactly(new CloseInfo(4000, "bye now", Initiator.LOCAL));
	}

	@Test
	void closeTimeoutClosesTheConnectionWhenThePeerStopsReading() {
		this.fixture.options(new SessionOptions(Duration.ofSeconds(30), Duration.ZERO, 16, Duration.ofMillis(100)));
		ProtocolSession session = this.fixture.open();
		this.fixture.transport.hold();
		session.sendUtf8("never written");
		session.close("giving up");
		Polling.await("the close timeout closed the connection", this.fixture.transport::isClosed);
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4000, "giving up"));
		// The BYE never got past the stuck frame.
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.UTF8DATA);
	}

	@Test
	void receivedByeIsAckedThenClosesWith4000AndItsReason() {
		ProtocolSession session = this.fixture.open();
		this.fixture.receive(new ByeFrame(SID, 9, "peer leaving"));
		assertThat(this.fixture.log.events()).containsExactly("send ACK 9", "close 4000 peer leaving");
		assertThat(session.state()).isEqualTo(SessionState.CLOSING);
		session.transportClosed(4000, "peer leaving");
		assertThat(this.fixture.handler.closes()).containsExactly(new CloseInfo(4000, "peer leaving", Initiator.PEER));
		assertThat(session.state()).isEqualTo(SessionState.CLOSED);
	}

	@Test
	void receivedByeWithoutReasonClosesWithEmptyReason() {
		this.fixture.open();
		this.fixture.receive(new ByeFrame(SID, 9, ""));
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4000, ""));
	}

	@Test
	void receivedByeWithLongReasonClosesWithItsFirst123Bytes() {
		this.fixture.open();
		String reason = "a".repeat(100) + "🚀".repeat(10);
		this.fixture.receive(new ByeFrame(SID, 9, reason));
		// 100 + 5 · 4 = 120 bytes; a sixth rocket would make 124.
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4000, "a".repeat(100) + "🚀".repeat(5)));
	}

	@Test
	void receivedByeLetsQueuedFramesGoFirst() {
		ProtocolSession session = this.fixture.open();
		this.fixture.transport.hold();
		session.sendUtf8("in flight");
		session.sendUtf8("queued");
		this.fixture.receive(new ByeFrame(SID, 9, "bye"));
		assertThat(this.fixture.transport.isClosed()).isFalse();
		this.fixture.transport.release();
		// The ACK is expedited and overtakes the queued data; the close waits for everything.
		assertThat(this.fixture.log.events()).containsExactly("send UTF8DATA 1 in flight", "send ACK 9",
				"send UTF8DATA 2 queued", "close 4000 bye");
	}

	@Test
	void byeReceivedWhileClosingIsAckedButDoesNotCloseAgain() {
		ProtocolSession session = this.fixture.open();
		session.close("mine");
		this.fixture.receive(new ByeFrame(SID, 4, "theirs"));
		session.transportClosed(4000, "mine");
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4000, "mine"));
		assertThat(this.fixture.handler.closes()).containsExactly(new CloseInfo(4000, "mine", Initiator.LOCAL));
	}

	@Test
	void transportClosedFailsEveryPendingSendBeforeReportingTheClose() {
		ProtocolSession session = this.fixture.open();
		List<CompletableFuture<Void>> sends = List.of(session.sendUtf8("one"),
				session.sendBinary(ByteBuffer.allocate(1)), session.sendError("two"));
		boolean[] allFailedBeforeOnClosed = new boolean[1];
		this.fixture.handler.whenClosed(
				(s) -> allFailedBeforeOnClosed[0] = sends.stream().allMatch(CompletableFuture::isCompletedExceptionally));
		session.transportClosed(1006, "");
		assertThat(sends).allSatisfy((send) -> assertThat(send).failsWithin(Duration.ZERO)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(CryoSessionClosedException.class));
		assertThat(allFailedBeforeOnClosed[0]).isTrue();
		assertThat(this.fixture.handler.closes()).containsExactly(new CloseInfo(1006, "", Initiator.PEER));
		assertThat(session.pendingAcks()).isZero();
		assertThat(session.state()).isEqualTo(SessionState.CLOSED);
	}

	@Test
	void onClosedIsCalledExactlyOnce() {
		ProtocolSession session = this.fixture.open();
		session.transportClosed(1000, "");
		session.transportClosed(1006, "again");
		assertThat(this.fixture.handler.closes()).containsExactly(new CloseInfo(1000, "", Initiator.PEER));
	}

	@Test
	void failingCloseHandlerIsContained() {
		ProtocolSession session = this.fixture.open();
		this.fixture.handler.throwing(new IllegalStateException("application bug"));
		assertThatNoException().isThrownBy(() -> session.transportClosed(1000, ""));
		assertThat(session.state()).isEqualTo(SessionState.CLOSED);
	}

	@Test
	void sendsAfterTheCloseFailImmediately() {
		ProtocolSession session = this.fixture.open();
		session.transportClosed(1000, "");
		List<CompletableFuture<Void>> sends = List.of(session.sendUtf8("late"),
				session.sendBinary(ByteBuffer.allocate(1)), session.sendError("late"),
				session.sendTracked(new TxFlowFrame(SID, 0, FlowBehaviour.PUSH)));
		session.ping();
		assertThat(sends).allSatisfy((send) -> assertThat(send).failsWithin(Duration.ZERO)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(CryoSessionClosedException.class));
		assertThat(this.fixture.transport.sent()).isEmpty();
	}

	@Test
	void sendsWhileClosingFailImmediately() {
		ProtocolSession session = this.fixture.open();
		this.fixture.transport.hold();
		session.close("closing");
		CompletableFuture<Void> late = session.sendUtf8("too late");
		assertThat(late).failsWithin(Duration.ZERO)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(CryoSessionClosedException.class);
		this.fixture.transport.release();
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.BYE);
	}

	@Test
	void receivedFramesAreIgnoredOnceClosed() {
		ProtocolSession session = this.fixture.open();
		session.transportClosed(1000, "");
		this.fixture.receive(Utf8DataFrame.of(SID, 5, "after the end"));
		assertThat(this.fixture.transport.sent()).isEmpty();
		assertThat(this.fixture.handler.texts()).isEmpty();
	}

	@Test
	void closeNowOnAnIdleTransportClosesAtOnce() {
		ProtocolSession session = this.fixture.open();
		session.closeNow(4002, "Internal failure.");
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4002, "Internal failure."));
	}

	@Test
	void closeNowDiscardsTheQueueAndSendsNoBye() {
		ProtocolSession session = this.fixture.open();
		this.fixture.transport.hold();
		session.sendUtf8("in flight");
		session.sendUtf8("queued 1");
		session.sendUtf8("queued 2");
		session.closeNow(4002, "Internal failure.");
		assertThat(session.queuedFrames()).isZero();
		// The close frame waits for the message in flight: a container mid-write cannot send it.
		assertThat(this.fixture.transport.closes()).isEmpty();
		this.fixture.transport.release();
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4002, "Internal failure."));
		assertThat(this.fixture.transport.sent(Utf8DataFrame.class)).extracting(Utf8DataFrame::text)
			.containsExactly("in flight");
		assertThat(this.fixture.transport.sentTypes()).doesNotContain(FrameType.BYE);
	}

	@Test
	void closeNowTruncatesItsReason() {
		ProtocolSession session = this.fixture.open();
		session.closeNow(4001, "€".repeat(50));
		// 41 · 3 = 123 bytes exactly.
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4001, "€".repeat(41)));
	}

	@Test
	void oversizedByeReasonIsTruncatedInsteadOfThrown() {
		ProtocolSession session = this.fixture.open();
		String reason = "x".repeat(FrameCodec.MAX_PAYLOAD + 1);
		// §9: "An oversized BYE reason is truncated instead."
		assertThatNoException().isThrownBy(() -> session.close(reason));
		assertThat(this.fixture.transport.sent(ByeFrame.class)).singleElement()
			.satisfies((bye) -> assertThat(bye.reason()).hasSize(FrameCodec.MAX_PAYLOAD));
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4000, "x".repeat(123)));
	}

	@Test
	void closingAnAlreadyClosedSessionLeavesItClosed() {
		ProtocolSession session = this.fixture.open();
		session.transportClosed(1006, "");
		session.close("too late");
		assertThat(session.state()).isEqualTo(SessionState.CLOSED);
		session.closeNow(4002, "too late");
		assertThat(session.state()).isEqualTo(SessionState.CLOSED);
	}

	@Test
	void writeFailureWhileClosingClosesTheConnectionAtOnce() {
		ProtocolSession session = this.fixture.open();
		this.fixture.transport.hold();
		session.sendUtf8("in flight");
		session.close("bye");
		this.fixture.transport.failHeld(new IOException("broken pipe"));
		assertThat(this.fixture.transport.isClosed()).isTrue();
	}

}
