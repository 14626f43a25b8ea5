package dev.cryo.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.camp.CampCodec;
import dev.cryo.core.dialect.camp.CampDialect;
import dev.cryo.core.dialect.v1.CryoV1Codec;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TransactionLayout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The client's side of CAMP's negotiation and wire (camp.md §1, §2, §4, §6), against a raw
 * WebSocket server that shows the upgrade and the frames exactly as the client sent them: the
 * server of the test plays the CAMP server by hand.
 */
class CampClientTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private RawWebSocketServer server;

	@BeforeEach
	void startServer() throws IOException {
		this.server = new RawWebSocketServer();
	}

	@AfterEach
	void stopServer() throws IOException {
		this.server.close();
	}

	private CryoClient.Builder client(CryoClientDialect dialect) {
		return CryoClient.builder(this.server.endpoint())
			.token("camp-token")
			.dialect(dialect)
			.reconnect(ReconnectPolicy.DISABLED)
			.pingTimeout(Duration.ZERO);
	}

	/** Accepts the upgrade with the answer given and runs the server's half of the CAMP handshake. */
	private Established establish(CryoClient client, String answer) throws Exception {
		CompletableFuture<CryoClientSession> connecting = client.connectAsync();
		RawWebSocketServer.Connection connection = this.server.accept(TIMEOUT);
		connection.accept(answer);
		SessionId sid = SessionId.of(Long.parseUnsignedLong(connection.parameter(CampDialect.SID_PARAMETER)));
		// The client writes its ENDPOINT_INFO first, without waiting for ours (§6).
		Frame clientInfo = decode(connection.readBinary());
		assertThat(clientInfo).isEqualTo(new EndpointInfoFrame(sid, 0, 1, 1));
		connection.sendBinary(CampCodec.INSTANCE.encode(new EndpointInfoFrame(sid, 0, 1, 1), 0));
		connection.sendBinary(CampCodec.INSTANCE.encode(new AckFrame(sid, 0), 0));
		assertThat(decode(connection.readBinary())).isEqualTo(new AckFrame(sid, 0));
		CryoClientSession session = connecting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		return new Established(session, connection, sid);
	}

	private static Frame decode(ByteBuffer message) {
		return CampCodec.INSTANCE.decode(message);
	}

	@Test
	void campUpgradeOffersTheSubprotocolAndSendsTheSidInXCampSid() throws Exception {
		CompletableFuture<CryoClientSession> connecting = client(CryoClientDialect.CAMP).build().connectAsync();
		try (RawWebSocketServer.Connection connection = this.server.accept(TIMEOUT)) {
			assertThat(connection.header("sec-websocket-protocol")).isEqualTo("camp");
			assertThat(connection.parameterNames()).containsExactly("authorization", "x-camp-sid");
			assertThat(connection.parameter("authorization")).isEqualTo("Bearer+camp-token");
			assertThat(Long.parseUnsignedLong(connection.parameter("x-camp-sid"))).isNotNull();
			connection.refuse("Done looking.");
		}
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> connecting.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(CryoHandshakeRefusedException.class);
	}

	@Test
	void referenceSpellingOfTheSidParameterIsSentWhenChosen() throws Exception {
		CryoClientDialect reference = CryoClientDialect.CAMP.withSessionIdParameter("x-CAMP-sid");
		CompletableFuture<CryoClientSession> connecting = client(reference).build().connectAsync();
		try (RawWebSocketServer.Connection connection = this.server.accept(TIMEOUT)) {
			assertThat(connection.header("sec-websocket-protocol")).isEqualTo("camp");
			assertThat(connection.parameterNames()).containsExactly("authorization", "x-CAMP-sid");
			connection.refuse("Done looking.");
		}
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> connecting.get(10, TimeUnit.SECONDS));
	}

	@Test
	void cryoV1UpgradeOffersNoSubprotocolAndSendsTheSidInXCryoSid() throws Exception {
		CompletableFuture<CryoClientSession> connecting = client(CryoClientDialect.CRYO_V1).build().connectAsync();
		try (RawWebSocketServer.Connection connection = this.server.accept(TIMEOUT)) {
			assertThat(connection.header("sec-websocket-protocol")).isNull();
			assertThat(connection.parameterNames()).containsExactly("authorization", "x-cryo-sid");
			connection.refuse("Done looking.");
		}
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> connecting.get(10, TimeUnit.SECONDS));
	}

	@Test
	void serverThatDoesNotAnswerCampIsLeftBeforeTheFirstFrame() throws Exception {
		CompletableFuture<CryoClientSession> connecting = client(CryoClientDialect.CAMP).build().connectAsync();
		try (RawWebSocketServer.Connection connection = this.server.accept(TIMEOUT)) {
			connection.accept(null);
			// A close, and no ENDPOINT_INFO before it: the dialect was not agreed.
			RawWebSocketServer.Message first = connection.read();
			assertThat(first.isClose()).isTrue();
			assertThat(first.closeCode()).isEqualTo(1000);
			assertThat(first.closeReason()).isEqualTo("Subprotocol camp not answered.");
			connection.sendClose(1000, "");
		}
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> connecting.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(CryoDialectMismatchException.class, (ex) -> {
				assertThat(ex.getOfferedSubprotocol()).isEqualTo("camp");
				assertThat(ex.getAnsweredSubprotocol()).isEmpty();
				assertThat(ex.isRetryable()).isFalse();
				assertThat(ex.getMessage()).contains("did not answer the 'camp' subprotocol");
			});
	}

	@Test
	void blockingConnectReportsTheMismatchItself() throws Exception {
		CryoClient client = client(CryoClientDialect.CAMP).build();
		// A thread of its own: the common pool has a single thread on a 2-core machine, which
		// something else in the JVM may hold, and then the upgrade is never answered.
		CompletableFuture<Void> serverSide = CompletableFuture.runAsync(() -> {
			try (RawWebSocketServer.Connection connection = this.server.accept(TIMEOUT)) {
				connection.accept(null);
				connection.read();
				connection.sendClose(1000, "");
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}, (task) -> new Thread(task, "raw-websocket-server").start());
		assertThatExceptionOfType(CryoDialectMismatchException.class).isThrownBy(client::connect);
		serverSide.get(10, TimeUnit.SECONDS);
	}

	@Test
	void campSessionIsEstablishedAndSpeaksCamp() throws Exception {
		Established established = establish(client(CryoClientDialect.CAMP).build(), "camp");
		try (CryoClientSession session = established.session()) {
			assertThat(session.dialect()).isEqualTo("camp");
			assertThat(session.transactionLayout()).isEqualTo(TransactionLayout.CAMP);
			assertThat(session.idString()).isEqualTo(established.sid().toString());
			assertThat(session.peerFlags()).isEqualTo(1);
			assertThat(session.setIncomingFlow(FlowBehaviour.PULL)).failsWithin(Duration.ofSeconds(1))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(IllegalStateException.class)
				.withMessageContaining("CAMP has no TX_FLOW");
		}
	}

	@Test
	void clientWritesItsEndpointInfoWithoutTheServersDelay() throws Exception {
		CryoClient client = client(CryoClientDialect.CAMP).build();
		assertThat(client.sessionOptions().firstFrameDelay()).isZero();
		// The server sends nothing at all: the client's opening arrives on its own.
		CompletableFuture<CryoClientSession> connecting = client.connectAsync();
		try (RawWebSocketServer.Connection connection = this.server.accept(TIMEOUT)) {
			connection.accept("camp");
			assertThat(decode(connection.readBinary()).type()).isEqualTo(FrameType.ENDPOINT_INFO);
			connection.sendClose(4001, "Test over.");
		}
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> connecting.get(10, TimeUnit.SECONDS));
	}

	@Test
	void firstFrameDelayIsTheClientsOwnSetting() {
		assertThat(client(CryoClientDialect.CRYO_V1).build().sessionOptions().firstFrameDelay()).isZero();
		assertThat(client(CryoClientDialect.CRYO_V1).sessionOptions(dev.cryo.core.engine.SessionOptions.DEFAULTS)
			.build()
			.sessionOptions()
			.firstFrameDelay()).isZero();
		assertThat(client(CryoClientDialect.CAMP).firstFrameDelay(Duration.ofMillis(50))
			.build()
			.sessionOptions()
			.firstFrameDelay()).isEqualTo(Duration.ofMillis(50));
	}

	@Test
	void thirteenBytePingIsAnsweredWithAThirteenBytePong() throws Exception {
		Established established = establish(client(CryoClientDialect.CAMP).build(), "camp");
		try (CryoClientSession session = established.session()) {
			ByteBuffer ping = CampCodec.INSTANCE.encode(PingPongFrame.ping(established.sid(), 0), 0);
			assertThat(ping.remaining()).isEqualTo(13);
			established.connection().sendBinary(ping);
			ByteBuffer pong = established.connection().readBinary();
			assertThat(pong.remaining()).isEqualTo(13);
			assertThat(StandardCharsets.US_ASCII.decode(pong.slice(9, 4)).toString()).isEqualTo("pong");
			assertThat(session.isConnected()).isTrue();
		}
	}

	@Test
	void payloadOverOneMebibyteIsRefusedBeforeAnythingIsQueued() throws Exception {
		Established established = establish(client(CryoClientDialect.CAMP).build(), "camp");
		try (CryoClientSession session = established.session()) {
			long sentBefore = session.statistics().bytesSent();
			assertThatExceptionOfType(CryoFrameException.class)
				.isThrownBy(() -> session.sendBinary(ByteBuffer.allocate(CampCodec.MAX_PAYLOAD + 1)));
			assertThatExceptionOfType(CryoFrameException.class)
				.isThrownBy(() -> session.sendUtf8("é".repeat(CampCodec.MAX_PAYLOAD / 2) + "x"));
			assertThat(session.statistics().bytesSent()).isEqualTo(sentBefore);
			// Exactly the limit goes out, and is the next frame the server sees.
			CompletableFuture<Void> sent = session.sendBinary(ByteBuffer.allocate(CampCodec.MAX_PAYLOAD));
			ByteBuffer message = established.connection().readBinary();
			assertThat(message.remaining()).isEqualTo(13 + CampCodec.MAX_PAYLOAD);
			Frame frame = decode(message);
			assertThat(frame).isInstanceOfSatisfying(BinaryDataFrame.class,
					(binary) -> assertThat(binary.payloadLength()).isEqualTo(CampCodec.MAX_PAYLOAD));
			int ack = message.getInt(9);
			established.connection().sendBinary(CampCodec.INSTANCE.encode(new AckFrame(established.sid(), ack), ack));
			assertThat(sent).succeedsWithin(TIMEOUT);
		}
	}

	@Test
	void messageOfTheLargestCampLengthIsReceivedAndALargerOneClosesTheConnection() throws Exception {
		CompletableFuture<ByteBuffer> received = new CompletableFuture<>();
		CompletableFuture<CloseInfo> closed = new CompletableFuture<>();
		CryoClient client = client(CryoClientDialect.CAMP).listener(new CryoClientListener() {

			@Override
			public void onBinaryMessage(CryoClientSession session, ByteBuffer payload) {
				received.complete(payload);
			}

			@Override
			public void onClosed(CryoClientSession session, CloseInfo closeInfo) {
				closed.complete(closeInfo);
			}

		}).build();
		Established established = establish(client, "camp");
		RawWebSocketServer.Connection connection = established.connection();
		connection.sendBinary(CampCodec.INSTANCE
			.encode(new BinaryDataFrame(established.sid(), 7, ByteBuffer.allocate(CampCodec.MAX_PAYLOAD)), 7));
		assertThat(received).succeedsWithin(TIMEOUT).satisfies((payload) -> assertThat(payload.remaining())
			.isEqualTo(CampCodec.MAX_PAYLOAD));
		assertThat(decode(connection.readBinary())).isEqualTo(new AckFrame(established.sid(), 7));
		// One byte more than any CAMP frame: a Cryo v1 message, which a CAMP client does not buffer.
		ByteBuffer tooLong = CryoV1Codec.INSTANCE
			.encode(new BinaryDataFrame(established.sid(), 8, ByteBuffer.allocate(CampCodec.MAX_PAYLOAD + 9)), 8);
		assertThat(tooLong.remaining()).isEqualTo(CampCodec.MAX_MESSAGE_LENGTH + 1);
		connection.sendBinary(tooLong);
		RawWebSocketServer.Message close = connection.read();
		assertThat(close.isClose()).isTrue();
		assertThat(close.closeReason()).isEqualTo("Message too big.");
		connection.sendClose(close.closeCode(), close.closeReason());
		assertThat(closed).succeedsWithin(TIMEOUT);
		connection.close();
	}

	private record Established(CryoClientSession session, RawWebSocketServer.Connection connection, SessionId sid) {
	}

}
