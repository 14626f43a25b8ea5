package dev.cryo.core.engine;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.legacy.LegacyCodec;
import dev.cryo.core.dialect.legacy.LegacyDialect;
import dev.cryo.core.dialect.legacy.LegacyDispatcher;
import dev.cryo.core.dialect.legacy.LegacyHandshake;
import dev.cryo.core.engine.TestTransport.CloseCall;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.core.transaction.StreamSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A legacy-v0 session without CALE on the shared engine (legacy-v0.md §4–§6, §8, §10.2, §10.5,
 * §10.7): open at once, data ACKed with its own number before delivery, nothing else ACKed, pings
 * with fresh numbers, pongs never answered, no BYE, untracked ERROR frames, CLIENT_HELLO closed
 * with 4010, the clients' text delivered as received, and no transactions.
 */
class LegacySessionTests {

	/** A version-4 UUID as crypto.randomUUID() draws them (§2). */
	private static final SessionId SID = SessionId.of(UUID.fromString("123e4567-e89b-42d3-a456-426614174000"));

	private static final SessionId OTHER_SID = SessionId.of(UUID.fromString("00000000-0000-4000-8000-000000000001"));

	private final SessionFixture fixture = new SessionFixture().dialect(LegacyDialect.INSTANCE).sid(SID);

	@AfterEach
	void stopTimers() {
		this.fixture.close();
	}

	private ProtocolSession open() {
		ProtocolSession session = this.fixture.start();
		this.fixture.log.clear();
		return session;
	}

	// ---- opening (§4)

	@Test
	void opensAtOnceWithoutSendingAnything() {
		ProtocolSession session = this.fixture.start();
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
		assertThat(this.fixture.log.events()).containsExactly("onReady");
		assertThat(this.fixture.transport.messages()).isEmpty();
	}

	@Test
	void firstDataFrameOfTheServerCarriesAckZero() {
		ProtocolSession session = open();
		session.sendUtf8("hello");
		assertThat(this.fixture.transport.sent()).containsExactly(Utf8DataFrame.of(SID, 0, "hello"));
		assertThat(this.fixture.transport.messages().get(0)).hasSize(21 + 5);
	}

	// ---- acknowledgements (§5, §10.5)

	@Test
	void textIsAckedWithItsOwnNumberBeforeTheApplicationSeesIt() {
		open();
		this.fixture.receive(Utf8DataFrame.of(SID, 7, "hi"));
		assertThat(this.fixture.log.events()).containsExactly("send ACK 7", "onUtf8 hi");
		assertThat(this.fixture.transport.messages()).singleElement()
			.satisfies((ack) -> assertThat(ack).hasSize(21));
	}

	@Test
	void binaryIsAckedWithItsOwnNumberAndAckNumbersMayJump() {
		open();
		this.fixture.receive(new BinaryDataFrame(SID, 0, ByteBuffer.wrap(new byte[] { 1, 2, 3 })));
		// cryo-client-browser skips a number after a failed multi-byte send (§3.1).
		this.fixture.receive(new BinaryDataFrame(SID, 2, ByteBuffer.allocate(0)));
		assertThat(this.fixture.log.events()).containsExactly("send ACK 0", "onBinary 3", "send ACK 2", "onBinary 0");
	}

	@Test
	void peersAckSettlesTrackedDataAndUnknownNumbersAreIgnored() {
		ProtocolSession session = open();
		CompletableFuture<Void> first = session.sendUtf8("one");
		CompletableFuture<Void> second = session.sendBinary(ByteBuffer.wrap(new byte[] { 9 }));
		assertThat(session.pendingAcks()).isEqualTo(2);
		this.fixture.receive(new AckFrame(SID, 1816430611));
		this.fixture.receive(new AckFrame(SID, 1));
		this.fixture.receive(new AckFrame(SID, 1));
		assertThat(second).isCompleted();
		assertThat(first).isNotDone();
		this.fixture.receive(new AckFrame(SID, 0));
		assertThat(first).isCompleted();
		assertThat(session.pendingAcks()).isZero();
		assertThat(this.fixture.transport.closes()).isEmpty();
	}

	@Test
	void peersErrorIsReportedAndNotAcked() {
		open();
		this.fixture.receive(new ErrorFrame(SID, 3, "invalid_operation"));
		assertThat(this.fixture.log.events()).containsExactly("onError invalid_operation");
		assertThat(this.fixture.transport.messages()).isEmpty();
	}

	@Test
	void errorTheServerSendsTakesANumberAndWaitsForNoAck() {
		ProtocolSession session = open();
		session.sendUtf8("first");
		CompletableFuture<Void> error = session.sendError("session_expired");
		session.sendUtf8("second");
		assertThat(error).isCompleted();
		assertThat(this.fixture.transport.sent()).containsExactly(Utf8DataFrame.of(SID, 0, "first"),
				new ErrorFrame(SID, 1, "session_expired"), Utf8DataFrame.of(SID, 2, "second"));
		assertThat(session.pendingAcks()).isEqualTo(2);
	}

	@Test
	void malformedMessageIsAnsweredWithAnUntrackedError() {
		ProtocolSession session = open();
		session.sendUtf8("first");
		this.fixture.receive(new byte[20]);
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.UTF8DATA, FrameType.ERROR);
		assertThat(this.fixture.transport.sent(ErrorFrame.class)).singleElement()
			.satisfies((error) -> assertThat(error.ack()).isEqualTo(1));
		assertThat(session.pendingAcks()).isEqualTo(1);
	}

	// ---- ping and pong (§6, §10.5)

	@Test
	void peersPingIsAnsweredWithAPongCopyingItsNumber() {
		open();
		this.fixture.receive(PingPongFrame.ping(SID, 77));
		assertThat(this.fixture.transport.sent()).containsExactly(PingPongFrame.pong(SID, 77));
		assertThat(this.fixture.transport.messages().get(0)).hasSize(25);
	}

	@Test
	void peersPongIsNeverAnswered() {
		open();
		// The clients answer a pong with a ping: answering theirs would bounce frames for ever.
		this.fixture.receive(PingPongFrame.pong(SID, 77));
		this.fixture.receive(PingPongFrame.pong(SID, 78));
		assertThat(this.fixture.transport.messages()).isEmpty();
		assertThat(this.fixture.transport.closes()).isEmpty();
	}

	@Test
	void heartbeatPingTakesAFreshNumberAndAPongKeepsTheSessionAlive() {
		ProtocolSession session = open();
		session.heartbeatTick();
		session.sendUtf8("after");
		assertThat(this.fixture.transport.sent()).containsExactly(PingPongFrame.ping(SID, 0),
				Utf8DataFrame.of(SID, 1, "after"));
		this.fixture.receive(PingPongFrame.pong(SID, 0));
		session.heartbeatTick();
		assertThat(this.fixture.transport.lastSent()).isEqualTo(PingPongFrame.ping(SID, 2));
		assertThat(this.fixture.transport.closes()).isEmpty();
		assertThat(session.pendingAcks()).isEqualTo(1);
	}

	@Test
	void silentClientIsClosedWith4001WithoutBye() {
		ProtocolSession session = open();
		session.heartbeatTick();
		session.heartbeatTick();
		assertThat(this.fixture.transport.sent()).containsExactly(PingPongFrame.ping(SID, 0));
		assertThat(this.fixture.transport.closes())
			.containsExactly(new CloseCall(4001, "Disconnecting session due to not responding to ping frames."));
	}

	// ---- the reconnect probe (§10.7)

	@Test
	void probePingsAtOnceAndClosesAPeerThatDoesNotAnswerAsDead() {
		this.fixture.manualClock();
		ProtocolSession session = open();
		assertThat(session.probeLiveness(Duration.ofSeconds(3))).isTrue();
		assertThat(this.fixture.transport.sent()).containsExactly(PingPongFrame.ping(SID, 0));
		// One probe at a time: a second request while the first waits sends nothing.
		assertThat(session.probeLiveness(Duration.ofSeconds(3))).isFalse();
		this.fixture.clock.advance(Duration.ofMillis(2_999));
		assertThat(this.fixture.transport.closes()).isEmpty();
		this.fixture.clock.advance(Duration.ofMillis(1));
		assertThat(this.fixture.transport.closes())
			.containsExactly(new CloseCall(4001, ProtocolSession.DEAD_PEER_REASON));
	}

	@Test
	void probeAnsweredWithAPongLeavesTheSessionOpen() {
		this.fixture.manualClock();
		ProtocolSession session = open();
		session.probeLiveness(Duration.ofSeconds(3));
		this.fixture.receive(PingPongFrame.pong(SID, 0));
		this.fixture.clock.advance(Duration.ofSeconds(3));
		assertThat(this.fixture.transport.closes()).isEmpty();
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
		// The probe is over: another one may start.
		assertThat(session.probeLiveness(Duration.ofSeconds(3))).isTrue();
	}

	// ---- closing (§8, §10.7)

	@Test
	void closeFlushesThenClosesWith4000AndTheReasonWithoutBye() {
		ProtocolSession session = open();
		session.sendUtf8("last");
		session.close("Closing session.");
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.UTF8DATA);
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4000, "Closing session."));
	}

	@Test
	void shutdownGoodbyeEndsWith4000WithoutBye() {
		ProtocolSession session = open();
		CompletableFuture<Void> goodbye = session.goodbye("Server shutdown.");
		assertThat(goodbye).isCompleted();
		session.terminate();
		assertThat(this.fixture.transport.messages()).isEmpty();
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4000, "Server shutdown."));
	}

	// ---- handshake frames without CALE (§10.2, §10.5)

	@Test
	void clientHelloClosesAtOnceWith4010() {
		open();
		byte[] key = new byte[LegacyCodec.PUBLIC_KEY_LENGTH];
		key[0] = 0x04;
		this.fixture.session().receive(LegacyCodec.encodeHandshake(LegacyHandshake.CLIENT_HELLO, SID, 0, key));
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(LegacyDispatcher.CALE_MISMATCH,
				"CALE Mismatch. The client excepts CALE encryption, which is currently disabled."));
		assertThat(this.fixture.transport.messages()).isEmpty();
	}

	@Test
	void clientHelloOfAnyLengthClosesWith4010() {
		open();
		byte[] shortHello = new byte[21];
		shortHello[20] = 6;
		this.fixture.receive(shortHello);
		assertThat(this.fixture.transport.closes()).extracting(CloseCall::code).containsExactly(4010);
	}

	@Test
	void serverHelloAndHandshakeDoneAreMalformed() {
		ProtocolSession session = open();
		byte[] key = new byte[LegacyCodec.PUBLIC_KEY_LENGTH];
		key[0] = 0x04;
		session.receive(LegacyCodec.encodeHandshake(LegacyHandshake.SERVER_HELLO, SID, 0, key));
		session.receive(LegacyCodec.encodeHandshakeDone(SID, 0));
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.ERROR, FrameType.ERROR);
		assertThat(this.fixture.transport.closes()).isEmpty();
		assertThat(session.pendingAcks()).isZero();
	}

	// ---- text as received (§3.1, §10.5)

	@Test
	void nodeClientsCutAndNulFilledTextIsDeliveredUnchanged() {
		open();
		// "ééé" goes out as c3 a9 00, "héllo ✓ 🚀" as the 10 bytes of "héllo ✓" (§3.1).
		this.fixture.receive(message(0, 3, HexFormat.of().parseHex("c3a900")));
		this.fixture.receive(message(1, 3, "héllo ✓".getBytes(StandardCharsets.UTF_8)));
		this.fixture.receive(message(2, 3, "null".getBytes(StandardCharsets.US_ASCII)));
		assertThat(this.fixture.handler.texts()).containsExactly("é\u0000", "héllo ✓", "null");
		assertThat(this.fixture.transport.sent(AckFrame.class)).extracting(AckFrame::ack).containsExactly(0, 1, 2);
	}

	@Test
	void serverWritesMultiByteTextByItsUtf8Length() {
		ProtocolSession session = open();
		session.sendUtf8("héllo ✓ 🚀");
		session.sendUtf8("");
		assertThat(this.fixture.transport.messages()).extracting((message) -> message.length)
			.containsExactly(21 + 15, 21);
	}

	@Test
	void frameWithAForeignSidIsStillHandled() {
		open();
		this.fixture.receive(Utf8DataFrame.of(OTHER_SID, 4, "stray"));
		assertThat(this.fixture.log.events()).containsExactly("send ACK 4", "onUtf8 stray");
		assertThat(this.fixture.transport.sent(AckFrame.class)).singleElement()
			.satisfies((ack) -> assertThat(ack.sid()).isEqualTo(SID));
	}

	// ---- no transactions (§10.7)

	@Test
	void transactionCallsFailAtOnceNamingTheDialect() {
		ProtocolSession session = open();
		assertUnsupported(session.stream(StreamSource.of(new ByteArrayInputStream(new byte[] { 1 })), "file"));
		assertUnsupported(session.stream(StreamSource.of(new ByteArrayInputStream(new byte[] { 1 })), "file",
				FlowBehaviour.PULL));
		assertUnsupported(session.awaitStream("file", Duration.ofMinutes(1)));
		assertUnsupported(session.setIncomingFlow(FlowBehaviour.PULL));
		assertThat(this.fixture.transport.messages()).isEmpty();
	}

	private static void assertUnsupported(CompletableFuture<?> call) {
		assertThat(call).isCompletedExceptionally();
		assertThat(call.handle((result, failure) -> failure).join()).isInstanceOf(UnsupportedOperationException.class)
			.hasMessage("Session 123e4567-e89b-42d3-a456-426614174000: transactions are not supported by the "
					+ "legacy-v0 dialect");
	}

	/** A message as the clients write it: sid, ack, type, payload (§3). */
	private static byte[] message(int ack, int type, byte[] payload) {
		ByteBuffer message = ByteBuffer.allocate(21 + payload.length);
		message.putLong(SID.asUuid().getMostSignificantBits()).putLong(SID.asUuid().getLeastSignificantBits());
		message.putInt(ack).put((byte) type).put(payload);
		return message.array();
	}

}
