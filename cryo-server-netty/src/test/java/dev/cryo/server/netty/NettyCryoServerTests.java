package dev.cryo.server.netty;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.cryo.client.CryoClient;
import dev.cryo.client.CryoClientListener;
import dev.cryo.client.CryoClientSession;
import dev.cryo.client.ReconnectPolicy;
import dev.cryo.core.SessionId;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.engine.SessionOptions;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoServerSettings;
import dev.cryo.server.CryoSession;
import dev.cryo.server.GroupLimits;
import dev.cryo.server.ReceiveLimits;
import dev.cryo.server.handler.CryoMessageHandler;
import dev.cryo.server.observer.UpgradeRefusal;
import dev.cryo.server.support.DefaultCryoServer;
import dev.cryo.server.support.PooledAuthenticator;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawUpgradeRequest;
import dev.cryo.test.RawUpgradeRequest.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Netty transport end to end: a {@link DefaultCryoServer} that echoes every message, served
 * by a {@link NettyCryoServer} on a random port, driven by the raw-frame client of cryo-test and
 * by the Java client.
 */
@Timeout(60)
class NettyCryoServerTests {

	private static final String TOKEN = "secret";

	private static final String ALLOWED_ORIGIN = "https://app.example.com";

	/** The receive limit of this server: small, so that a message over it is cheap to send. */
	private static final int MAX_MESSAGE = 256 * 1024;

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final PooledAuthenticator authenticator = PooledAuthenticator.of(TOKEN::equals);

	private final Echo echo = new Echo();

	private CryoServerSettings settings;

	private DefaultCryoServer cryo;

	private NettyCryoServer netty;

	private int port;

	@BeforeEach
	void start() {
		this.settings = new CryoServerSettings(Duration.ofMillis(500),
				SessionOptions.DEFAULTS.withFirstFrameDelay(Duration.ZERO), 0, Duration.ofSeconds(5),
				new ReceiveLimits(MAX_MESSAGE, 64L * 1024 * 1024), GroupLimits.DEFAULTS);
		this.cryo = DefaultCryoServer.builder(this.settings, (event) -> {
		}).messageHandlers(List.of(this.echo)).build();
		this.netty = NettyCryoServer.builder(this.cryo, this.authenticator)
			.paths(List.of("/cryo"))
			.allowedOrigins(List.of(ALLOWED_ORIGIN), List.of())
			.eventLoopThreads(1)
			.build();
		this.cryo.lifecycle().start();
		this.netty.start();
		this.port = this.netty.port();
	}

	@AfterEach
	void stop() {
		this.netty.close();
		this.cryo.lifecycle().destroy();
		this.authenticator.close();
	}

	// ---- the upgrade

	@Test
	void anUpgradeWithAValidTokenOpensASession() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = connect(sid)) {
			client.handshakeAnsweringPings(true);
			Awaitility.await().atMost(WAIT).until(() -> this.cryo.session(sid).isPresent());
			assertThat(this.cryo.session(sid).orElseThrow().remoteAddress()).isNotNull();
		}
	}

	@Test
	void aBadTokenIsRefusedWith401AndTheReferenceBody() throws IOException {
		Response response = RawUpgradeRequest.send(this.port, "/cryo?authorization=Bearer+wrong&x-cryo-sid=1",
				Map.of());
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.headers()).containsEntry("content-type", "text/html; charset=utf-8")
			.containsEntry("connection", "close")
			.containsEntry("content-length",
					String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length));
		assertThat(response.body()).matches("<html><body><h1>401 Unauthorized</h1><p>Upgrade request for \\S+ was "
				+ "refused\\. Invalid bearer token in authorization query\\.</p></body></html>");
	}

	@Test
	void aSessionIdInUseIsRefused() throws IOException {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = connect(sid)) {
			client.handshakeAnsweringPings(true);
			Response response = RawUpgradeRequest.send(this.port,
					"/cryo?authorization=Bearer+" + TOKEN + "&x-cryo-sid=" + sid, Map.of());
			assertThat(response.status()).isEqualTo(UpgradeRefusal.DUPLICATE_SID.status());
			assertThat(response.body()).contains(UpgradeRefusal.DUPLICATE_SID.message());
		}
	}

	@Test
	void aForeignOriginIsRefusedWith403AndAnEmptyBody() throws IOException {
		Response response = RawUpgradeRequest.send(this.port, "/cryo?authorization=Bearer+" + TOKEN + "&x-cryo-sid=7",
				Map.of("Origin", "https://evil.example.com"));
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.body()).isEmpty();
	}

	@Test
	void anAllowedOriginAndTheSameOriginAreUpgraded() throws IOException {
		assertThat(RawUpgradeRequest.send(this.port, "/cryo?authorization=Bearer+" + TOKEN + "&x-cryo-sid=8",
				Map.of("Origin", ALLOWED_ORIGIN)).status()).isEqualTo(101);
		assertThat(RawUpgradeRequest.send(this.port, "/cryo?authorization=Bearer+" + TOKEN + "&x-cryo-sid=9",
				Map.of("Origin", "http://localhost:" + this.port)).status()).isEqualTo(101);
	}

	@Test
	void anyOtherPathIsAnswered404() throws IOException {
		Response response = RawUpgradeRequest.send(this.port, "/other?authorization=Bearer+" + TOKEN + "&x-cryo-sid=3",
				Map.of());
		assertThat(response.status()).isEqualTo(404);
		assertThat(this.cryo.session(SessionId.of(3))).isEmpty();
	}

	// ---- messages

	@Test
	void aUtf8MessageIsAcknowledgedAndEchoed() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = connect(sid)) {
			client.handshakeAnsweringPings(true);
			client.send(new Utf8DataFrame(sid, 1, ByteBuffer.wrap("grüße, ☃".getBytes(StandardCharsets.UTF_8))));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 1));
			Utf8DataFrame echo = (Utf8DataFrame) client.nextIgnoringPings();
			assertThat(StandardCharsets.UTF_8.decode(echo.payload()).toString()).isEqualTo("grüße, ☃");
			client.send(new AckFrame(sid, echo.ack()));
		}
	}

	@Test
	void aBinaryMessageInFragmentsIsJoinedAcknowledgedAndEchoed() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = connect(sid)) {
			client.handshakeAnsweringPings(true);
			byte[] payload = new byte[100_000];
			for (int i = 0; i < payload.length; i++) {
				payload[i] = (byte) i;
			}
			ByteBuffer frame = client.wire().encode(new BinaryDataFrame(sid, 1, ByteBuffer.wrap(payload)));
			// Three WebSocket fragments: the transport joins them into one Cryo frame.
			int third = frame.remaining() / 3;
			client.sendPart(frame.slice(0, third), false).join();
			client.sendPart(frame.slice(third, third), false).join();
			client.sendPart(frame.slice(2 * third, frame.remaining() - 2 * third), true).join();
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 1));
			BinaryDataFrame echo = (BinaryDataFrame) client.nextIgnoringPings();
			assertThat(echo.payload()).isEqualTo(ByteBuffer.wrap(payload));
			client.send(new AckFrame(sid, echo.ack()));
		}
	}

	@Test
	void aMessageOverTheLimitClosesWith1009() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = connect(sid)) {
			client.handshakeAnsweringPings(true);
			// Refused from the frame's header: the server may close before the client has sent it all.
			client.sendPart(ByteBuffer.wrap(RawFrames.frame(sid, RawFrames.BINARYDATA, 1, MAX_MESSAGE + 1)), true);
			RawCryoClient.Close close = client.awaitClose(WAIT);
			assertThat(close.code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
			assertThat(close.reason()).isEqualTo("Message too big.");
		}
	}

	@Test
	void fragmentsThatTogetherExceedTheLimitCloseWith1009() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = connect(sid)) {
			client.handshakeAnsweringPings(true);
			client.sendPart(ByteBuffer.allocate(MAX_MESSAGE / 2 + 1), false).join();
			client.sendPart(ByteBuffer.allocate(MAX_MESSAGE / 2 + 1), true);
			assertThat(client.awaitClose(WAIT).code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
		}
	}

	// ---- heartbeat and BYE

	@Test
	void theHeartbeatPingsAndAnAnsweredSessionStaysOpen() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = connect(sid)) {
			client.handshakeAnsweringPings(true);
			for (int pings = 0; pings < 3;) {
				Frame frame = client.next(WAIT);
				if (frame instanceof PingPongFrame ping && ping.isPing()) {
					client.send(PingPongFrame.pong(sid, ping.ack()));
					pings++;
				}
			}
			assertThat(client.isClosed()).isFalse();
			assertThat(this.cryo.session(sid)).isPresent();
		}
	}

	@Test
	void aByeFromTheClientIsAcknowledgedAndClosesWith4000() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = connect(sid)) {
			client.handshakeAnsweringPings(true);
			client.send(new ByeFrame(sid, 1, "done"));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 1));
			assertThat(client.awaitClose(WAIT).code()).isEqualTo(CloseCodes.GRACEFUL);
			Awaitility.await().atMost(WAIT).until(() -> this.cryo.session(sid).isEmpty());
		}
	}

	@Test
	void aByeFromTheServerIsFollowedByAClose4000() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = connect(sid)) {
			client.handshakeAnsweringPings(true);
			Awaitility.await().atMost(WAIT).until(() -> this.cryo.session(sid).isPresent());
			this.cryo.session(sid).orElseThrow().close("leaving");
			assertThat(client.next(ByeFrame.class).reason()).isEqualTo("leaving");
			assertThat(client.awaitClose(WAIT).code()).isEqualTo(CloseCodes.GRACEFUL);
		}
	}

	@Test
	void aGracefulShutdownSaysByeToEverySession() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = connect(sid)) {
			client.handshakeAnsweringPings(true);
			Thread stopping = new Thread(this.netty::stop);
			stopping.start();
			Frame frame = client.nextIgnoringPings();
			assertThat(frame).isInstanceOfSatisfying(ByeFrame.class,
					(bye) -> assertThat(bye.reason()).isEqualTo(CryoServer.SHUTDOWN_REASON));
			client.send(new AckFrame(sid, ((ByeFrame) frame).ack()));
			RawCryoClient.Close close = client.awaitClose(WAIT);
			assertThat(close.code()).isEqualTo(CloseCodes.GRACEFUL);
			assertThat(close.reason()).isEqualTo(CryoServer.SHUTDOWN_REASON);
			Awaitility.await().atMost(WAIT).until(() -> !this.netty.isRunning());
		}
	}

	// ---- lifecycle

	@Test
	void aRestartedServerServesTheSamePort() {
		this.netty.stop();
		assertThat(this.netty.isRunning()).isFalse();
		this.cryo.lifecycle().start();
		this.netty.start();
		assertThat(this.netty.port()).isEqualTo(this.port);
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = connect(sid)) {
			client.handshakeAnsweringPings(true);
		}
	}

	// ---- threads

	@Test
	void aHandlerThatBlocksSlowsItsOwnSessionOnly() throws Exception {
		SessionId blocked = RawFrames.newSid();
		SessionId other = RawFrames.newSid();
		try (RawCryoClient slow = connect(blocked); RawCryoClient fast = connect(other)) {
			slow.handshakeAnsweringPings(true);
			fast.handshakeAnsweringPings(true);
			slow.send(Utf8DataFrame.of(blocked, 1, Echo.BLOCK));
			assertThat(this.echo.blocking.await(10, TimeUnit.SECONDS)).isTrue();
			// Both connections share the server's one event loop; the other one is served on.
			fast.send(Utf8DataFrame.of(other, 1, "still served"));
			assertThat(fast.nextIgnoringPings()).isEqualTo(new AckFrame(other, 1));
			assertThat(((Utf8DataFrame) fast.nextIgnoringPings()).text()).isEqualTo("still served");
			this.echo.release.countDown();
			assertThat(slow.nextIgnoringPings()).isEqualTo(new AckFrame(blocked, 1));
		}
		finally {
			this.echo.release.countDown();
		}
	}

	@Test
	void handlersMayRunOnTheEventLoop() {
		DefaultCryoServer onLoop = DefaultCryoServer.builder(this.settings, (event) -> {
		}).messageHandlers(List.of(new Echo())).build();
		NettyCryoServer server = NettyCryoServer.builder(onLoop, this.authenticator).handlerThreads(0).build();
		onLoop.lifecycle().start();
		server.start();
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = RawCryoClient.connect(server.port(), "/cryo", TOKEN, sid)) {
			client.handshakeAnsweringPings(true);
			client.send(Utf8DataFrame.of(sid, 1, "on the loop"));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 1));
			assertThat(((Utf8DataFrame) client.nextIgnoringPings()).text()).isEqualTo("on the loop");
		}
		finally {
			server.close();
			onLoop.lifecycle().destroy();
		}
	}

	// ---- the Java client

	@Test
	void theJavaClientExchangesMessages() throws Exception {
		BlockingQueue<String> texts = new LinkedBlockingQueue<>();
		CryoClientSession session = CryoClient.builder(URI.create("ws://localhost:" + this.port + "/cryo"))
			.token(TOKEN)
			.reconnect(ReconnectPolicy.DISABLED)
			.listener(new CryoClientListener() {

				@Override
				public void onUtf8Message(CryoClientSession session, String text) {
					texts.add(text);
				}

			})
			.build()
			.connect();
		try {
			for (int i = 0; i < 100; i++) {
				session.sendUtf8("message " + i).get(10, TimeUnit.SECONDS);
			}
			for (int i = 0; i < 100; i++) {
				assertThat(texts.poll(10, TimeUnit.SECONDS)).isEqualTo("message " + i);
			}
		}
		finally {
			session.close();
		}
	}

	private RawCryoClient connect(SessionId sid) {
		return RawCryoClient.connect(this.port, "/cryo", TOKEN, sid);
	}

	/** Echoes every message to its sender; {@value #BLOCK} blocks until released instead. */
	private static final class Echo implements CryoMessageHandler {

		static final String BLOCK = "block";

		final CountDownLatch blocking = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@Override
		public boolean handleUtf8(CryoSession session, String text) {
			if (BLOCK.equals(text)) {
				this.blocking.countDown();
				try {
					this.release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return true;
			}
			session.sendUtf8(text);
			return true;
		}

		@Override
		public boolean handleBinary(CryoSession session, ByteBuffer payload) {
			session.sendBinary(payload);
			return true;
		}

	}

}
