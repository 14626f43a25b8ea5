package dev.cryo.sample.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cryo.client.CryoClient;
import dev.cryo.client.CryoClientSession;
import dev.cryo.client.CryoConnectException;
import dev.cryo.client.CryoHandshakeRefusedException;
import dev.cryo.client.CryoNotConnectedException;
import dev.cryo.client.ReconnectPolicy;
import dev.cryo.core.SessionId;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.sample.CryoSampleApplication;
import dev.cryo.server.CryoServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reconnecting against the real sample app, stopped and started again on the same port: a new
 * session id per attempt, {@code disconnected} then {@code reconnected}, sends that fail fast in
 * between, exponential delays, and giving up after the configured attempts or at a 401.
 */
@Timeout(60)
class CryoClientReconnectTests {

	private static final String TOKEN = "dev-token";

	private int port;

	private ConfigurableApplicationContext app;

	private CryoClientSession session;

	@BeforeEach
	void startApp() throws IOException {
		try (ServerSocket probe = new ServerSocket(0)) {
			this.port = probe.getLocalPort();
		}
		this.app = start();
	}

	@AfterEach
	void stopApp() {
		if (this.session != null) {
			this.session.close();
		}
		this.app.close();
	}

	private ConfigurableApplicationContext start(String... arguments) {
		// Command-line arguments, so that they win over the sample's application.yml.
		String[] all = new String[arguments.length + 3];
		all[0] = "--server.port=" + this.port;
		all[1] = "--management.server.port=0";
		all[2] = "--spring.main.banner-mode=off";
		System.arraycopy(arguments, 0, all, 3, arguments.length);
		return new SpringApplicationBuilder(CryoSampleApplication.class).run(all);
	}

	private CryoClientSession connect(RecordingListener listener, ReconnectPolicy policy) {
		this.session = CryoClient.builder(URI.create("ws://localhost:" + this.port + "/cryo"))
			.token(TOKEN)
			.connectTimeout(Duration.ofSeconds(2))
			.reconnect(policy)
			.listener(listener)
			.build()
			.connect();
		return this.session;
	}

	@Test
	void reconnectsWithANewSessionIdAfterTheServerRestarts() throws Exception {
		RecordingListener listener = new RecordingListener();
		CryoClientSession client = connect(listener,
				ReconnectPolicy.exponential(50, Duration.ofMillis(100), Duration.ofMillis(400)));
		SessionId firstId = client.id();
		client.sendUtf8("before").get(5, TimeUnit.SECONDS);
		assertThat(listener.nextText()).isEqualTo("before");

		this.app.close();
		CloseInfo lost = (CloseInfo) listener.await("disconnected").detail();
		assertThat(lost.code()).isEqualTo(CloseCodes.GRACEFUL);
		assertThat(lost.reason()).isEqualTo(CryoServer.SHUTDOWN_REASON);
		assertThat(lost.initiator()).isEqualTo(CloseInfo.Initiator.PEER);
		assertThat(client.state()).isEqualTo(CryoClientSession.State.RECONNECTING);
		// Nothing is buffered for the next connection: the send fails at once.
		assertThat(client.sendUtf8("while away"))
			.failsWithin(Duration.ofSeconds(1))
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(CryoNotConnectedException.class);

		this.app = start();
		listener.await("reconnected");
		assertThat(client.isConnected()).isTrue();
		assertThat(client.id()).isNotEqualTo(firstId);
		assertThat(this.app.getBean(CryoServer.class).session(client.id())).isPresent();
		client.sendUtf8("after").get(5, TimeUnit.SECONDS);
		assertThat(listener.nextText()).isEqualTo("after");
		assertThat(listener.kinds()).startsWith("connected", "disconnected").endsWith("reconnected")
			.doesNotContain("closed");
	}

	@Test
	void givesUpAfterTheConfiguredAttemptsWithGrowingDelays() throws Exception {
		RecordingListener listener = new RecordingListener();
		// No jitter: each delay is exactly base·2^(n−1), capped: 150, 300, 400 ms.
		ReconnectPolicy policy = new ReconnectPolicy(3, Duration.ofMillis(150), Duration.ofMillis(400), 0);
		CryoClientSession client = connect(listener, policy);
		this.app.close();

		CloseInfo closed = client.closeFuture().get(20, TimeUnit.SECONDS);
		assertThat(closed.reason()).isEqualTo(CryoServer.SHUTDOWN_REASON);
		assertThat(client.state()).isEqualTo(CryoClientSession.State.CLOSED);
		assertThat(listener.kinds()).containsExactly("connected", "disconnected", "reconnectFailed",
				"reconnectFailed", "reconnectFailed", "closed");
		List<RecordingListener.Event> failures = listener.events("reconnectFailed");
		assertThat(failures).allSatisfy((failure) -> assertThat(failure.detail())
			.isInstanceOfSatisfying(CryoConnectException.class, (ex) -> assertThat(ex.isRetryable()).isTrue()));
		// Each attempt starts no earlier than its delay after the previous one ended.
		long disconnectedAt = listener.events("disconnected").get(0).nanoTime();
		assertThat(failures.get(0).nanoTime() - disconnectedAt).isGreaterThanOrEqualTo(millis(150));
		assertThat(failures.get(1).nanoTime() - failures.get(0).nanoTime()).isGreaterThanOrEqualTo(millis(300));
		assertThat(failures.get(2).nanoTime() - failures.get(1).nanoTime()).isGreaterThanOrEqualTo(millis(400));
	}

	@Test
	void refusedCredentialsEndTheReconnectAtOnce() throws Exception {
		RecordingListener listener = new RecordingListener();
		CryoClientSession client = connect(listener,
				ReconnectPolicy.exponential(50, Duration.ofMillis(100), Duration.ofMillis(200)));
		this.app.close();
		listener.await("disconnected");
		// The server comes back with other tokens: the old one is refused for good.
		this.app = start("--sample.tokens=rotated-token");

		client.closeFuture().get(20, TimeUnit.SECONDS);
		List<RecordingListener.Event> failures = listener.events("reconnectFailed");
		assertThat(failures.get(failures.size() - 1).detail())
			.isInstanceOfSatisfying(CryoHandshakeRefusedException.class,
					(ex) -> assertThat(ex.getStatusCode()).isEqualTo(401));
		assertThat(listener.kinds()).endsWith("reconnectFailed", "closed");
	}

	@Test
	void closeWhileReconnectingStopsTheAttempts() throws Exception {
		RecordingListener listener = new RecordingListener();
		CryoClientSession client = connect(listener,
				ReconnectPolicy.exponential(50, Duration.ofMillis(200), Duration.ofMillis(200)));
		this.app.close();
		listener.await("disconnected");
		client.close("Never mind.");
		CloseInfo closed = client.closeFuture().get(5, TimeUnit.SECONDS);
		assertThat(closed.initiator()).isEqualTo(CloseInfo.Initiator.LOCAL);
		assertThat(closed.reason()).isEqualTo("Never mind.");
		int failuresAtClose = listener.events("reconnectFailed").size();

		// A server that comes back is not reconnected to.
		this.app = start();
		Thread.sleep(600);
		assertThat(listener.events("reconnectFailed")).hasSize(failuresAtClose);
		assertThat(listener.kinds()).doesNotContain("reconnected").containsOnlyOnce("closed");
		assertThat(this.app.getBean(CryoServer.class).sessions()).isEmpty();
	}

	private static long millis(long millis) {
		return TimeUnit.MILLISECONDS.toNanos(millis);
	}

}
