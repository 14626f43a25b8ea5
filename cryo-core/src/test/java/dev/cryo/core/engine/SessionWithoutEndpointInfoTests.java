package dev.cryo.core.engine;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.cryo.core.dialect.v1.CryoV1Dispatcher;
import dev.cryo.core.engine.TestTransport.CloseCall;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.core.transaction.IncomingStream;

import static dev.cryo.core.engine.SessionFixture.SID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peers that never send ENDPOINT_INFO (cryo-v1.md §3 rule 9, §16: cryo-client-node 1.3.0): the
 * three ways such a peer is recognised, what the session then is (open, version 1, flags 1, the
 * cryo-protocol 1.4 layout), and an ENDPOINT_INFO that comes after all.
 */
class SessionWithoutEndpointInfoTests {

	private static final Duration GRACE = SessionOptions.DEFAULT_ENDPOINT_INFO_GRACE;

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final TransactionLayout V14 = TransactionLayout.CRYO_PROTOCOL_1_4;

	private final SessionFixture fixture = new SessionFixture().manualClock();

	@AfterEach
	void stopTimers() {
		this.fixture.close();
	}

	// ---- (a) a data, error or transaction frame decides at once, before it is handled

	@ParameterizedTest(name = "{0}")
	@MethodSource("framesThatOpen")
	void frameOpensTheSessionBeforeItIsHandled(String handled, Frame frame) {
		ProtocolSession session = this.fixture.start();
		this.fixture.log.clear();
		this.fixture.receive(frame);
		assertThat(this.fixture.log.events()).startsWith("onReady").contains(handled);
		assertThat(this.fixture.log.events().indexOf("onReady")).isLessThan(this.fixture.log.events().indexOf(handled));
		assertOpenedWithoutAnnouncement(session);
	}

	static Stream<Arguments> framesThatOpen() {
		return Stream.of(Arguments.of("onUtf8 hi", Utf8DataFrame.of(SID, 0, "hi")),
				Arguments.of("onBinary 3", new BinaryDataFrame(SID, 0, ByteBuffer.wrap(new byte[3]))),
				Arguments.of("onError oops", new ErrorFrame(SID, 0, "oops")),
				Arguments.of("onStreamStarted upload",
						new TxStartFrame(SID, 0, 0, "upload", TxStartFrame.UNKNOWN_SIZE, null, V14)));
	}

	@Test
	void transactionStartThatOpensTheSessionIsAckedAndItsStreamOffered() {
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(new TxStartFrame(SID, 0, 5, "offered", 10, null, V14));
		// Read in the 1.4 layout it opened the session in: the size is not part of the name.
		assertThat(this.fixture.transport.sent()).endsWith(new AckFrame(SID, 0));
		assertThat(this.fixture.handler.streams()).singleElement().satisfies((stream) -> {
			assertThat(stream.name()).isEqualTo("offered");
			assertThat(stream.txid()).isEqualTo(5);
			assertThat(stream.announcedSize()).isEqualTo(10);
		});
		assertThat(session.awaitStream("offered", Duration.ZERO)).isCompleted();
		assertOpenedWithoutAnnouncement(session);
	}

	@Test
	void uploadOfAPeerWithoutEndpointInfoArrivesWhole() throws Exception {
		this.fixture.start();
		this.fixture.receive(new TxStartFrame(SID, 0, 0, "up", TxStartFrame.UNKNOWN_SIZE, null, V14));
		IncomingStream stream = this.fixture.handler.streams().get(0);
		this.fixture.receive(new TxChunkFrame(SID, 0, ByteBuffer.wrap("ab".getBytes()), 0, V14));
		this.fixture.receive(new TxChunkFrame(SID, 0, ByteBuffer.wrap("cd".getBytes()), 1, V14));
		this.fixture.receive(new TxFinishFrame(SID, 1, 0));
		assertThat(stream.completion()).isCompletedWithValue(4L);
		assertThat(stream.inputStream().readAllBytes()).isEqualTo("abcd".getBytes());
		assertThat(this.fixture.transport.sent()).endsWith(new AckFrame(SID, 0), new AckFrame(SID, 1));
	}

	@Test
	void ackAndPingDoNotDecide() {
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(new AckFrame(SID, 0));
		this.fixture.receive(PingPongFrame.ping(SID, 0));
		this.fixture.receive(PingPongFrame.pong(SID, 1));
		// A seed client may ACK ours and send its own ENDPOINT_INFO a moment later.
		assertThat(session.state()).isEqualTo(SessionState.HANDSHAKING);
		assertThat(session.transactionLayout()).isEqualTo(TransactionLayout.SEED);
	}

	@Test
	void malformedFramesNeverCount() {
		ProtocolSession session = this.fixture.start();
		// A UTF8DATA cut short, a ping with another payload, an unknown type.
		this.fixture.receive(new byte[] { 0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xFA });
		this.fixture.receive(new byte[] { 0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xFB, 0, 0, 0, 1, 'p', 'o', 'n', 'k' });
		this.fixture.receive(new byte[] { 0, 0, 0, 0, 0, 0, 0, 1, 0x77, 0, 0, 0, 1 });
		assertThat(session.state()).isEqualTo(SessionState.HANDSHAKING);
		assertThat(this.fixture.handler.readyCount()).isZero();
	}

	// ---- (b) the grace after the peer ACKed our ENDPOINT_INFO

	@Test
	void peerThatAckedOurEndpointInfoOpensWhenTheGraceEnds() {
		ProtocolSession session = this.fixture.start();
		// The grace counts from the ACK, not from the start.
		this.fixture.clock.advance(Duration.ofSeconds(5));
		this.fixture.receive(new AckFrame(SID, 0));
		this.fixture.clock.advance(GRACE.minusNanos(1));
		assertThat(session.state()).isEqualTo(SessionState.HANDSHAKING);
		this.fixture.clock.advance(Duration.ofNanos(1));
		assertOpenedWithoutAnnouncement(session);
		assertThat(this.fixture.transport.isClosed()).isFalse();
	}

	@Test
	void graceIsAnOption() {
		this.fixture.options(SessionFixture.QUIET.withEndpointInfoGrace(Duration.ofMillis(250)));
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(new AckFrame(SID, 0));
		this.fixture.clock.advance(Duration.ofMillis(250));
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
	}

	@Test
	void endpointInfoWithinTheGraceOpensTheSessionNormally() {
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(new AckFrame(SID, 0));
		this.fixture.clock.advance(GRACE.dividedBy(2));
		this.fixture.receive(new EndpointInfoFrame(SID, 0, 1, 1));
		this.fixture.clock.advance(GRACE);
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
		assertThat(session.transactionLayout()).isEqualTo(TransactionLayout.SEED);
		assertThat(this.fixture.handler.readyCount()).isOne();
		// It was the peer's first ENDPOINT_INFO, not a late one: another is only a repeat (§3 rule 6).
		this.fixture.receive(new EndpointInfoFrame(SID, 1, 2, 0));
		assertThat(this.fixture.transport.isClosed()).isFalse();
		assertThat(session.peerFlags()).isEqualTo(1);
	}

	@Test
	void endpointInfoThatLosesTheRaceWithTheGraceCountsAsALateOne() {
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(new AckFrame(SID, 0));
		// The grace ends on the timer thread while the receiving thread handles the peer's
		// ENDPOINT_INFO: between its ACK (the version is fine) and the opening of the session.
		this.fixture.transport.onSend((frame) -> {
			if (frame.equals(new AckFrame(SID, 5))) {
				this.fixture.clock.advance(GRACE);
			}
		});
		this.fixture.receive(new EndpointInfoFrame(SID, 5, 1, 3));
		// The grace decided first: one onReady, the layout of peers without ENDPOINT_INFO, and the
		// ENDPOINT_INFO is the late one whose flags count.
		assertThat(this.fixture.handler.readyCount()).isOne();
		assertThat(session.transactionLayout()).isEqualTo(V14);
		assertThat(session.peerFlags()).isEqualTo(3);
		// So the next one is a repeat (§3 rule 6), not a second late announcement to check.
		this.fixture.receive(new EndpointInfoFrame(SID, 6, 2, 0));
		assertThat(this.fixture.transport.isClosed()).isFalse();
		assertThat(this.fixture.transport.sent()).endsWith(new AckFrame(SID, 6));
		assertThat(session.peerFlags()).isEqualTo(3);
	}

	// ---- (c) the ENDPOINT_INFO timeout

	@Test
	void peerThatSentAWellFormedFrameOpensAtTheTimeout() {
		this.fixture.options(SessionFixture.options(Duration.ofSeconds(30), TIMEOUT, 16));
		ProtocolSession session = this.fixture.start();
		// A ping does not decide by itself, and no ACK of ours starts the grace.
		this.fixture.receive(PingPongFrame.ping(SID, 0));
		this.fixture.clock.advance(TIMEOUT.minusNanos(1));
		assertThat(session.state()).isEqualTo(SessionState.HANDSHAKING);
		this.fixture.clock.advance(Duration.ofNanos(1));
		assertOpenedWithoutAnnouncement(session);
		assertThat(this.fixture.transport.isClosed()).isFalse();
	}

	@Test
	void silentPeerIsClosedAtTheTimeout() {
		this.fixture.options(SessionFixture.options(Duration.ofSeconds(30), TIMEOUT, 16));
		ProtocolSession session = this.fixture.start();
		this.fixture.clock.advance(TIMEOUT);
		assertThat(this.fixture.transport.closes())
			.containsExactly(new CloseCall(4001, CryoV1Dispatcher.NO_ENDPOINT_INFO_REASON));
		assertThat(CryoV1Dispatcher.NO_ENDPOINT_INFO_REASON).isEqualTo("No ENDPOINT_INFO received.");
		assertThat(this.fixture.handler.readyCount()).isZero();
		assertThat(session.state()).isEqualTo(SessionState.CLOSING);
	}

	@Test
	void peerThatSentOnlyMalformedFramesIsClosedAtTheTimeout() {
		this.fixture.options(SessionFixture.options(Duration.ofSeconds(30), TIMEOUT, 16));
		this.fixture.start();
		this.fixture.receive(new byte[] { 0, 0, 0, 0, 0, 0, 0, 1, 0x77, 0, 0, 0, 1 });
		this.fixture.clock.advance(TIMEOUT);
		assertThat(this.fixture.transport.closes())
			.containsExactly(new CloseCall(4001, CryoV1Dispatcher.NO_ENDPOINT_INFO_REASON));
	}

	@Test
	void sessionOpenedWithoutAnnouncementIsNotClosedAtTheTimeout() {
		this.fixture.options(SessionFixture.options(Duration.ofSeconds(30), TIMEOUT, 16));
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(Utf8DataFrame.of(SID, 0, "hi"));
		this.fixture.clock.advance(TIMEOUT.multipliedBy(2));
		assertThat(this.fixture.transport.isClosed()).isFalse();
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
	}

	// ---- an ENDPOINT_INFO after all

	@Test
	void lateEndpointInfoIsAckedAndItsFlagsReplaceTheAssumedOnes() {
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(Utf8DataFrame.of(SID, 0, "hi"));
		this.fixture.receive(new EndpointInfoFrame(SID, 1, 1, 0));
		assertThat(this.fixture.transport.sent()).endsWith(new AckFrame(SID, 1));
		assertThat(session.peerFlags()).isZero();
		assertThat(session.peerSupportsTransactions()).isFalse();
		// No second onReady, and the layout stays.
		assertThat(this.fixture.handler.readyCount()).isOne();
		assertThat(session.transactionLayout()).isEqualTo(V14);
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
	}

	@Test
	void lateEndpointInfoWithAnotherVersionClosesWith4001WithoutAck() {
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(Utf8DataFrame.of(SID, 0, "hi"));
		this.fixture.transport.clear();
		this.fixture.receive(new EndpointInfoFrame(SID, 1, 2, 1));
		assertThat(this.fixture.transport.closes())
			.containsExactly(new CloseCall(4001, "Protocol mismatch. Client offered 2, we support 1 !"));
		assertThat(this.fixture.transport.sent()).isEmpty();
		assertThat(session.peerVersion()).isEqualTo(2);
	}

	@Test
	void endpointInfoAfterTheLateOneIsARepeat() {
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(Utf8DataFrame.of(SID, 0, "hi"));
		this.fixture.receive(new EndpointInfoFrame(SID, 1, 1, 1));
		this.fixture.receive(new EndpointInfoFrame(SID, 2, 7, 0));
		assertThat(this.fixture.transport.sent()).endsWith(new AckFrame(SID, 1), new AckFrame(SID, 2));
		assertThat(this.fixture.transport.isClosed()).isFalse();
		assertThat(session.peerFlags()).isEqualTo(1);
	}

	@Test
	void lateFlagsWithoutTransactionsTurnLaterTransactionFramesIntoAFeatureMismatch() {
		this.fixture.start();
		this.fixture.receive(Utf8DataFrame.of(SID, 0, "hi"));
		this.fixture.receive(new EndpointInfoFrame(SID, 1, 1, 0));
		this.fixture.receive(new TxFinishFrame(SID, 2, 0));
		assertThat(this.fixture.transport.closes()).singleElement()
			.satisfies((close) -> assertThat(close.code()).isEqualTo(4001));
		assertThat(this.fixture.transport.sentTypes()).doesNotContain(FrameType.TX_FINISH);
	}

	private void assertOpenedWithoutAnnouncement(ProtocolSession session) {
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
		assertThat(this.fixture.handler.readyCount()).isOne();
		assertThat(session.readyFuture()).isCompleted();
		assertThat(session.peerVersion()).isEqualTo(1);
		assertThat(session.peerFlags()).isEqualTo(EndpointInfoFrame.FEATURE_TRANSACTIONS);
		assertThat(session.peerSupportsTransactions()).isTrue();
		assertThat(session.transactionLayout()).isEqualTo(V14);
	}

}
