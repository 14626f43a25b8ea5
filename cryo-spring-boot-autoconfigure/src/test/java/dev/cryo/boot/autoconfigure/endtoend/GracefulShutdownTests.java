package dev.cryo.boot.autoconfigure.endtoend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.support.CryoServerLifecycle;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Graceful shutdown: every live session gets BYE "Server shutdown.", has the grace period to
 * ACK it, and is then closed with 4000; upgrades during shutdown are refused with 503.
 */
class GracefulShutdownTests {

	private ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(BackpressureTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off")
			.properties(transportProperties())
			.properties(properties)
			.run();
	}

	/**
	 * Returns the properties that choose the transport under test.
	 * @return none, for the servlet transport on the application's port
	 */
	String[] transportProperties() {
		return new String[0];
	}

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	private static int port(ConfigurableApplicationContext context) {
		Integer cryoPort = context.getEnvironment().getProperty("local.cryo.port", Integer.class);
		return (cryoPort != null) ? cryoPort : ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@Test
	void shutdownSaysByeToOneHundredLiveSessions() throws Exception {
		ConfigurableApplicationContext context = start("cryo.shutdown.grace-period=5s");
		int port = port(context);
		List<RawCryoClient> clients = new ArrayList<>();
		ExecutorService readers = Executors.newFixedThreadPool(16);
		try {
			for (long sid = 1; sid <= 100; sid++) {
				RawCryoClient client = RawCryoClient.connect(port, "/cryo", "secret", SessionId.of(sid));
				client.handshake();
				clients.add(client);
			}
			List<CompletableFuture<ByeFrame>> byes = new ArrayList<>();
			for (RawCryoClient client : clients) {
				byes.add(CompletableFuture.supplyAsync(() -> {
					Frame frame = client.nextIgnoringPings();
					assertThat(frame).isInstanceOf(ByeFrame.class);
					ByeFrame bye = (ByeFrame) frame;
					client.send(new AckFrame(client.sid(), bye.ack()));
					return bye;
				}, readers));
			}
			context.close();
			for (int i = 0; i < clients.size(); i++) {
				assertThat(byes.get(i).get(10, TimeUnit.SECONDS).reason()).isEqualTo(CryoServer.SHUTDOWN_REASON);
				RawCryoClient.Close close = clients.get(i).awaitClose();
				assertThat(close.code()).isEqualTo(CloseCodes.GRACEFUL);
				assertThat(close.reason()).isEqualTo(CryoServer.SHUTDOWN_REASON);
			}
		}
		finally {
			readers.shutdownNow();
			clients.forEach(RawCryoClient::close);
			context.close();
		}
	}

	@Test
	void upgradesAreRefusedWith503OnceTheServerStopsAccepting() throws Exception {
		ConfigurableApplicationContext context = start("cryo.shutdown.grace-period=0s");
		try {
			// Stop the Cryo server alone: the web server still runs, as during the shutdown phases.
			context.getBean(CryoServerLifecycle.class).stop();
			RawUpgradeRequest.Response response = RawUpgradeRequest.send(port(context),
					"/cryo?authorization=Bearer+secret&x-cryo-sid=5", Map.of());
			assertThat(response.status()).isEqualTo(503);
			assertThat(response.body()).contains("The server is shutting down.");
		}
		finally {
			context.close();
		}
	}

}
