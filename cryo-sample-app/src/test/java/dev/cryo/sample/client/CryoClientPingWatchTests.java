package dev.cryo.sample.client;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cryo.client.CryoClient;
import dev.cryo.client.CryoClientSession;
import dev.cryo.client.ReconnectPolicy;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.sample.CryoSampleApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's own liveness check: a server whose pings stop is left with BYE and counts as a
 * lost connection; a server that keeps pinging keeps the connection.
 */
@Timeout(60)
class CryoClientPingWatchTests {

	private static ConfigurableApplicationContext start(String keepAliveInterval) {
		// Command-line arguments, so that they win over the sample's application.yml.
		return new SpringApplicationBuilder(CryoSampleApplication.class).run("--server.port=0",
				"--management.server.port=0", "--spring.main.banner-mode=off", "--cryo.keep-alive-interval=" + keepAliveInterval);
	}

	private static CryoClientSession connect(ConfigurableApplicationContext app, RecordingListener listener,
			Duration pingTimeout) {
		String port = app.getEnvironment().getProperty("local.server.port");
		return CryoClient.builder(URI.create("ws://localhost:" + port + "/cryo"))
			.token("dev-token")
			.pingTimeout(pingTimeout)
			.reconnect(ReconnectPolicy.DISABLED)
			.listener(listener)
			.build()
			.connect();
	}

	@Test
	void serverThatStopsPingingIsLeftWithBye() throws Exception {
		// An hour between pings: to a client that expects one within 300 ms the server is gone.
		try (ConfigurableApplicationContext app = start("1h")) {
			RecordingListener listener = new RecordingListener();
			CryoClientSession session = connect(app, listener, Duration.ofMillis(300));
			CloseInfo lost = (CloseInfo) listener.await("disconnected").detail();
			assertThat(lost.code()).isEqualTo(CloseCodes.GRACEFUL);
			assertThat(lost.reason()).isEqualTo(CryoClient.PING_TIMEOUT_REASON);
			assertThat(lost.initiator()).isEqualTo(CloseInfo.Initiator.LOCAL);
			assertThat(session.closeFuture().get(5, TimeUnit.SECONDS)).isEqualTo(lost);
		}
	}

	@Test
	void serverThatKeepsPingingKeepsTheConnection() throws Exception {
		try (ConfigurableApplicationContext app = start("100ms")) {
			RecordingListener listener = new RecordingListener();
			CryoClientSession session = connect(app, listener, Duration.ofMillis(500));
			// Ten ping intervals, two full ping timeouts: every ping answered, nothing lost.
			Thread.sleep(1000);
			assertThat(session.isConnected()).isTrue();
			assertThat(listener.kinds()).containsExactly("connected");
			assertThat(session.statistics().bytesReceived()).isGreaterThan(5 * 25);
			session.close();
		}
	}

}
