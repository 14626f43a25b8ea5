package dev.cryo.core.dialect.testing;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.UpgradeRequest;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.engine.CryoTransport;
import dev.cryo.core.engine.ProtocolHandler;
import dev.cryo.core.engine.ProtocolSession;
import dev.cryo.core.engine.SessionOptions;
import dev.cryo.core.engine.SessionState;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.Utf8DataFrame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Runs the test dialect through the unchanged engine: a session opens, takes a UTF-8 message
 * and ACKs it, answers a ping and closes, all in a layout and with ping rules unlike Cryo v1's.
 */
class TestDialectSessionTests {

	private static final SessionId SID = SessionId.of(0x0102030405060708L);

	private static final String SID_HEX = "0102030405060708";

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final RecordingTransport transport = new RecordingTransport();

	private final List<String> received = new CopyOnWriteArrayList<>();

	private final List<CloseInfo> closes = new CopyOnWriteArrayList<>();

	private final ProtocolHandler handler = new ProtocolHandler() {

		@Override
		public void onUtf8(ProtocolSession session, Utf8DataFrame frame) {
			TestDialectSessionTests.this.received.add(frame.text());
		}

		@Override
		public void onBinary(ProtocolSession session, BinaryDataFrame frame) {
			TestDialectSessionTests.this.received.add("binary:" + frame.payloadLength());
		}

		@Override
		public void onClosed(ProtocolSession session, CloseInfo closeInfo) {
			TestDialectSessionTests.this.closes.add(closeInfo);
		}

	};

	@AfterEach
	void stopScheduler() {
		this.scheduler.shutdownNow();
	}

	@Test
	void sessionOpensAtOnceWithoutAnAnnouncement() {
		ProtocolSession session = session(TestDialect.plain());
		CompletableFuture<Void> started = session.start();
		assertThat(started).isCompleted();
		assertThat(session.readyFuture()).isCompleted();
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
		assertThat(this.transport.sent).isEmpty();
		assertThat(session.dialect().name()).isEqualTo("cryo-test");
	}

	@Test
	void receivedUtf8IsDeliveredAndAcknowledgedInTheDialectsLayout() {
		ProtocolSession session = session(TestDialect.plain());
		session.start();
		session.receive(ByteBuffer.wrap(HexFormat.of().parseHex("01" + "00000007" + SID_HEX + "68656c6c6f")));
		assertThat(this.received).containsExactly("hello");
		// ACK: type 3 first, then the copied ack number, then the sid.
		assertThat(this.transport.sentHex()).containsExactly("03" + "00000007" + SID_HEX);
	}

	@Test
	void sentUtf8IsSettledByTheDialectsAck() {
		ProtocolSession session = session(TestDialect.plain());
		session.start();
		CompletableFuture<Void> acknowledged = session.sendUtf8("hi");
		ByteBuffer sent = this.transport.sent.get(0);
		assertThat(sent.get(0)).isEqualTo((byte) TestCodec.UTF8DATA);
		assertThat(sent.getLong(5)).isEqualTo(SID.asLong());
		int ack = sent.getInt(1);
		assertThat(acknowledged).isNotDone();
		session.receive(new TestCodec().encode(new AckFrame(SID, ack), ack));
		assertThat(acknowledged).isCompleted();
		assertThat(session.pendingAcks()).isZero();
	}

	@Test
	void pingIsAnsweredWithAPongThatCarriesNoAck() {
		ProtocolSession session = session(TestDialect.plain());
		session.start();
		long before = session.nanosSinceLastPing();
		session.receive(ByteBuffer.wrap(HexFormat.of().parseHex("04" + SID_HEX + "70696e67")));
		assertThat(this.transport.sentHex()).containsExactly("04" + SID_HEX + "706f6e67");
		assertThat(session.nanosSinceLastPing()).isLessThanOrEqualTo(before + Duration.ofSeconds(1).toNanos());
	}

	@Test
	void heartbeatPingsWithoutUsingUpAnAckNumber() {
		ProtocolSession session = session(TestDialect.plain());
		session.start();
		session.sendUtf8("first");
		session.heartbeatTick();
		session.sendUtf8("second");
		List<ByteBuffer> sent = this.transport.sent;
		assertThat(sent).hasSize(3);
		assertThat(HexFormat.of().formatHex(bytes(sent.get(1)))).isEqualTo("04" + SID_HEX + "70696e67");
		// In Cryo v1 the ping would have taken the number between the two messages.
		assertThat(sent.get(2).getInt(1)).isEqualTo(sent.get(0).getInt(1) + 1);
		session.receive(ByteBuffer.wrap(HexFormat.of().parseHex("04" + SID_HEX + "706f6e67")));
		session.heartbeatTick();
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
	}

	@Test
	void closeSendsByeInTheDialectsLayoutThenClosesTheConnection() {
		ProtocolSession session = session(TestDialect.plain());
		session.start();
		session.close("done");
		ByteBuffer bye = this.transport.sent.get(0);
		assertThat(bye.get(0)).isEqualTo((byte) TestCodec.BYE);
		assertThat(new TestCodec().decode(bye)).isInstanceOfSatisfying(ByeFrame.class,
				(frame) -> assertThat(frame.reason()).isEqualTo("done"));
		assertThat(this.transport.closedWith).isEqualTo(4000);
		session.transportClosed(4000, "done");
		assertThat(session.state()).isEqualTo(SessionState.CLOSED);
		assertThat(this.closes).singleElement().satisfies((close) -> assertThat(close.code()).isEqualTo(4000));
	}

	@Test
	void withoutByeACloseFlushesAndClosesWith4000AndTheReason() {
		ProtocolSession session = session(TestDialect.withoutGoodbye());
		session.start();
		session.sendUtf8("last");
		session.close("done");
		assertThat(this.transport.sent).singleElement()
			.satisfies((sent) -> assertThat(sent.get(0)).isEqualTo((byte) TestCodec.UTF8DATA));
		assertThat(this.transport.closedWith).isEqualTo(4000);
		assertThat(this.transport.closedReason).isEqualTo("done");
	}

	@Test
	void withoutByeADeadPeerIsClosedWith4001() {
		ProtocolSession session = session(TestDialect.withoutGoodbye());
		session.start();
		session.heartbeatTick();
		session.heartbeatTick();
		assertThat(this.transport.sentHex()).containsExactly("04" + SID_HEX + "70696e67");
		assertThat(this.transport.closedWith).isEqualTo(4001);
		assertThat(this.transport.closedReason).isEqualTo(ProtocolSession.DEAD_PEER_REASON);
	}

	@Test
	void withoutByeAGoodbyeIsOverOnceTheQueueIsWritten() {
		ProtocolSession session = session(TestDialect.withoutGoodbye());
		session.start();
		CompletableFuture<Void> goodbye = session.goodbye("Server shutdown.");
		assertThat(goodbye).isCompleted();
		assertThat(this.transport.sent).isEmpty();
		session.terminate();
		assertThat(this.transport.closedWith).isEqualTo(4000);
		assertThat(this.transport.closedReason).isEqualTo("Server shutdown.");
	}

	@Test
	void anErrorTheDialectDoesNotTrackTakesANumberAndWaitsForNoAck() {
		ProtocolSession session = session(TestDialect.withoutGoodbye());
		session.start();
		session.sendUtf8("first");
		CompletableFuture<Void> error = session.sendError("careful");
		session.sendUtf8("second");
		assertThat(error).isCompleted();
		List<ByteBuffer> sent = this.transport.sent;
		assertThat(sent).hasSize(3);
		assertThat(sent.get(1).get(0)).isEqualTo((byte) TestCodec.ERROR);
		// One counter for data and ERROR: the numbers run on.
		assertThat(sent.get(1).getInt(1)).isEqualTo(sent.get(0).getInt(1) + 1);
		assertThat(sent.get(2).getInt(1)).isEqualTo(sent.get(1).getInt(1) + 1);
		assertThat(session.pendingAcks()).isEqualTo(2);
	}

	@Test
	void aMalformedFrameIsAnsweredWithAnUntrackedErrorWhenTheDialectTracksNone() {
		ProtocolSession session = session(TestDialect.withoutGoodbye());
		session.start();
		session.receive(ByteBuffer.wrap(new byte[] { 1, 2, 3 }));
		assertThat(this.transport.sent).singleElement()
			.satisfies((sent) -> assertThat(sent.get(0)).isEqualTo((byte) TestCodec.ERROR));
		assertThat(session.pendingAcks()).isZero();
	}

	@Test
	void messageTransformSitsBetweenTransportAndCodecBothWays() {
		ProtocolSession session = session(TestDialect.scrambled());
		session.start();
		byte[] plain = HexFormat.of().parseHex("02" + "00000001" + SID_HEX + "cafe");
		session.receive(ByteBuffer.wrap(invert(plain)));
		assertThat(this.received).containsExactly("binary:2");
		byte[] ack = invert(bytes(this.transport.sent.get(0)));
		assertThat(HexFormat.of().formatHex(ack)).isEqualTo("03" + "00000001" + SID_HEX);
	}

	@Test
	void codecCarriesNumericSidsOnly() {
		TestCodec codec = new TestCodec();
		assertThat(codec.decode(codec.encode(new AckFrame(SID, 7), 7)).sid()).isEqualTo(SID);
		SessionId uuid = SessionId.of(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
		assertThatIllegalArgumentException().isThrownBy(() -> codec.encode(new AckFrame(uuid, 7), 7))
			.withMessageContaining("numeric session ids only");
	}

	@Test
	void dialectIsRecognisedBySubprotocolOrQueryParameter() {
		TestDialect dialect = TestDialect.plain();
		UpgradeRequest offered = new UpgradeRequest(List.of("other", "cryo-test"), Map.of());
		UpgradeRequest parameter = new UpgradeRequest(List.of(), Map.of("x-test-sid", List.of("1")));
		UpgradeRequest neither = new UpgradeRequest(List.of("other"), Map.of("x-cryo-sid", List.of("1")));
		assertThat(dialect.recognises(offered)).isTrue();
		assertThat(dialect.selectSubprotocol(offered)).isEqualTo("cryo-test");
		assertThat(dialect.recognises(parameter)).isTrue();
		assertThat(dialect.selectSubprotocol(parameter)).isNull();
		assertThat(dialect.recognises(neither)).isFalse();
	}

	private ProtocolSession session(TestDialect dialect) {
		SessionOptions options = SessionOptions.DEFAULTS;
		return new ProtocolSession(SID, ProtocolSession.Role.SERVER, dialect, this.transport, this.handler, options,
				this.scheduler);
	}

	private static byte[] bytes(ByteBuffer message) {
		byte[] bytes = new byte[message.remaining()];
		message.duplicate().get(bytes);
		return bytes;
	}

	private static byte[] invert(byte[] bytes) {
		byte[] inverted = new byte[bytes.length];
		for (int i = 0; i < bytes.length; i++) {
			inverted[i] = (byte) ~bytes[i];
		}
		return inverted;
	}

	/** Takes every message at once and keeps a copy; remembers the close code. */
	private static final class RecordingTransport implements CryoTransport {

		final List<ByteBuffer> sent = new CopyOnWriteArrayList<>();

		volatile int closedWith = -1;

		volatile String closedReason = "";

		@Override
		public void send(ByteBuffer message, SendCallback callback) {
			this.sent.add(ByteBuffer.wrap(bytes(message)));
			callback.completed(null);
		}

		@Override
		public void close(int code, String reason) {
			this.closedWith = code;
			this.closedReason = reason;
		}

		List<String> sentHex() {
			return this.sent.stream().map((message) -> HexFormat.of().formatHex(bytes(message))).toList();
		}

	}

}
