package dev.cryo.sample.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cryo.client.CryoClient;
import dev.cryo.client.CryoClientSession;
import dev.cryo.client.CryoConnectException;
import dev.cryo.client.CryoHandshakeRefusedException;
import dev.cryo.client.CryoNotConnectedException;
import dev.cryo.client.ReconnectPolicy;
import dev.cryo.core.SessionId;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.engine.SessionOptions;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.transaction.IncomingStream;
import dev.cryo.sample.CryoSampleApplication;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Java client against the real sample app: handshake, echo, ACKed sends from many threads,
 * refusals, closes in both directions, and transactions in both directions, pushed and pulled.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Timeout(60)
class CryoClientTests {

	private static final String TOKEN = "dev-token";

	/**
	 * How long a test waits for a session to end. A close handshake takes milliseconds, but
	 * when a close frame is late or lost, either side's close timeout (5 s) ends the connection,
	 * with the same close code and reason; waiting exactly that long would race the timeout.
	 */
	private static final long CLOSE_WAIT_SECONDS = SessionOptions.DEFAULTS.closeTimeout().toSeconds() + 5;

	@LocalServerPort
	private int port;

	@Autowired
	private CryoServer server;

	private final List<CryoClientSession> sessions = new ArrayList<>();

	@AfterEach
	void closeSessions() {
		this.sessions.forEach(CryoClientSession::close);
	}

	private URI endpoint() {
		return URI.create("ws://localhost:" + this.port + "/cryo");
	}

	private CryoClientSession connect(RecordingListener listener) {
		return connect(CryoClient.builder(endpoint()).token(TOKEN).listener(listener));
	}

	private CryoClientSession connect(CryoClient.Builder builder) {
		CryoClientSession session = builder.build().connect();
		this.sessions.add(session);
		return session;
	}

	@Test
	void connectsAndEchoesUtf8AndBinary() throws Exception {
		RecordingListener listener = new RecordingListener();
		CryoClientSession session = connect(listener);
		assertThat(session.isConnected()).isTrue();
		assertThat(session.peerFlags()).isEqualTo(1);
		assertThat(listener.kinds()).containsExactly("connected");

		session.sendUtf8("hello, grüße ✓").get(5, TimeUnit.SECONDS);
		assertThat(listener.nextText()).isEqualTo("hello, grüße ✓");

		byte[] payload = { 0, 1, 2, (byte) 0xff, 42 };
		session.sendBinary(ByteBuffer.wrap(payload)).get(5, TimeUnit.SECONDS);
		assertThat(listener.nextBinary()).containsExactly(payload);

		session.sendError("client-side trouble").get(5, TimeUnit.SECONDS);
	}

	@Test
	void everyConnectionHasItsOwnRandomSessionIdKnownToTheServer() {
		CryoClientSession first = connect(new RecordingListener());
		CryoClientSession second = connect(new RecordingListener());
		assertThat(first.id()).isNotEqualTo(second.id());
		assertThat(this.server.session(first.id())).isPresent();
		assertThat(this.server.session(second.id())).isPresent();
		assertThat(this.server.session(first.id()).get().isPeer()).isFalse();
	}

	@Test
	void wrongTokenIsRefusedWith401AndTheServersMessage() {
		CryoClient client = CryoClient.builder(endpoint()).token("not-the-token").build();
		assertThatExceptionOfType(CryoHandshakeRefusedException.class).isThrownBy(client::connect)
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(401);
				assertThat(ex.getServerMessage()).isEqualTo("Invalid bearer token in authorization query.");
				assertThat(ex.isRetryable()).isFalse();
				assertThat(ex.getMessage()).contains("401").doesNotContain("not-the-token");
			});
	}

	@Test
	void unreachableServerIsAConnectFailureWorthRetrying() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		CryoClient client = CryoClient.builder(URI.create("ws://localhost:" + closedPort + "/cryo"))
			.token(TOKEN)
			.build();
		assertThatExceptionOfType(CryoConnectException.class).isThrownBy(client::connect)
			.satisfies((ex) -> assertThat(ex.isRetryable()).isTrue());
	}

	@Test
	void concurrentSendersAreAllAcknowledgedAndEchoed() throws Exception {
		RecordingListener listener = new RecordingListener();
		CryoClientSession session = connect(listener);
		// 960 sends in one burst: below the 1,024 frames a send queue holds under the seed's
		// defaults on either side, so neither the client's sends nor the server's echoes may be
		// dropped, and every one must arrive.
		int threads = 8;
		int perThread = 120;
		ExecutorService senders = Executors.newFixedThreadPool(threads);
		try {
			List<CompletableFuture<Void>> sent = new ArrayList<>();
			List<CompletableFuture<List<CompletableFuture<Void>>>> batches = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				batches.add(CompletableFuture.supplyAsync(() -> {
					List<CompletableFuture<Void>> mine = new ArrayList<>();
					for (int i = 0; i < perThread; i++) {
						mine.add(session.sendUtf8("message " + thread + "-" + i));
					}
					return mine;
				}, senders));
			}
			for (CompletableFuture<List<CompletableFuture<Void>>> batch : batches) {
				sent.addAll(batch.get(30, TimeUnit.SECONDS));
			}
			CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
			Set<String> echoed = new HashSet<>();
			for (int i = 0; i < threads * perThread; i++) {
				echoed.add(listener.nextText());
			}
			assertThat(echoed).hasSize(threads * perThread).contains("message 0-0", "message 7-119");
			assertThat(session.statistics().ackTimeouts()).isZero();
			assertThat(session.statistics().rttMillis()).isGreaterThanOrEqualTo(0);
		}
		finally {
			senders.shutdownNow();
		}
	}

	@Test
	void closeSaysByeAndEndsTheSessionOnBothSides() throws Exception {
		RecordingListener listener = new RecordingListener();
		CryoClientSession session = connect(listener);
		SessionId id = session.id();
		session.close("Done here.");
		CloseInfo closed = session.closeFuture().get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
		assertThat(closed.code()).isEqualTo(CloseCodes.GRACEFUL);
		assertThat(closed.reason()).isEqualTo("Done here.");
		assertThat(closed.initiator()).isEqualTo(CloseInfo.Initiator.LOCAL);
		assertThat(listener.kinds()).containsExactly("connected", "closed");
		assertThat(session.state()).isEqualTo(CryoClientSession.State.CLOSED);
		awaitGone(id);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> session.sendUtf8("too late").get(1, TimeUnit.SECONDS))
			.withCauseInstanceOf(CryoNotConnectedException.class);
	}

	@Test
	void serverSideCloseWithoutReconnectEndsTheClient() throws Exception {
		RecordingListener listener = new RecordingListener();
		CryoClientSession session = connect(
				CryoClient.builder(endpoint()).token(TOKEN).listener(listener).reconnect(ReconnectPolicy.DISABLED));
		CryoSession onServer = this.server.session(session.id()).orElseThrow();
		onServer.close("Kicked.");
		CloseInfo closed = session.closeFuture().get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
		assertThat(closed.reason()).isEqualTo("Kicked.");
		assertThat(closed.initiator()).isEqualTo(CloseInfo.Initiator.PEER);
		assertThat(listener.kinds()).containsExactly("connected", "disconnected", "closed");
		assertThat(session.sendBinary(ByteBuffer.allocate(1)))
			.failsWithin(Duration.ofSeconds(1))
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(CryoNotConnectedException.class);
	}

	@Test
	void streamsToTheServerArriveWhole() throws Exception {
		RecordingListener listener = new RecordingListener();
		CryoClientSession session = connect(listener);
		byte[] upload = new byte[5 * 1024 * 1024 + 3];
		new Random(7).nextBytes(upload);
		session.stream(new ByteArrayInputStream(upload), "upload").get(30, TimeUnit.SECONDS);
		assertThat(listener.nextTextStartingWith("stream upload "))
			.isEqualTo("stream upload " + upload.length + " " + sha256(upload));
	}

	@Test
	void streamsFromTheServerArriveWholePushedAndPulled() throws Exception {
		RecordingListener listener = new RecordingListener();
		CryoClientSession session = connect(listener);
		int size = 3 * 1024 * 1024 + 11;

		session.sendUtf8("download " + size + " pushed").get(5, TimeUnit.SECONDS);
		IncomingStream pushed = listener.nextStream();
		assertThat(pushed.name()).isEqualTo("pushed");
		assertPattern(pushed, size);

		session.setIncomingFlow(FlowBehaviour.PULL).get(5, TimeUnit.SECONDS);
		CompletableFuture<IncomingStream> awaited = session.awaitStream("pulled", Duration.ofSeconds(10));
		session.sendUtf8("download " + size + " pulled").get(5, TimeUnit.SECONDS);
		IncomingStream pulled = awaited.get(10, TimeUnit.SECONDS);
		assertPattern(pulled, size);
	}

	private void awaitGone(SessionId id) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.server.session(id).isPresent()) {
			assertThat(System.nanoTime() - deadline).as("session %s still live", id).isNegative();
			Thread.sleep(10);
		}
	}

	private static void assertPattern(IncomingStream stream, int size) throws IOException {
		// The stream fills on the connection's reading thread; the test thread reads it.
		try (InputStream input = stream.inputStream()) {
			byte[] bytes = input.readAllBytes();
			assertThat(bytes).hasSize(size);
			for (int i = 0; i < size; i++) {
				if (bytes[i] != (byte) (i % 251)) {
					throw new AssertionError("byte " + i + " is " + bytes[i]);
				}
			}
		}
	}

	private static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
