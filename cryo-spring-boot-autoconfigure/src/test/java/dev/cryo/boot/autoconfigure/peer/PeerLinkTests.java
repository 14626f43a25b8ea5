package dev.cryo.boot.autoconfigure.peer;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cryo.boot.autoconfigure.endtoend.CryoEventRecorder;
import dev.cryo.client.CryoHandshakeRefusedException;
import dev.cryo.core.SessionId;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.engine.SessionState;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.transaction.IncomingStream;
import dev.cryo.server.Box;
import dev.cryo.server.CryoExtension;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoBinaryMessageEvent;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.server.event.CryoSessionStatsEvent;
import dev.cryo.server.event.CryoStreamStartedEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;
import dev.cryo.server.support.CryoServerLifecycle;
import dev.cryo.server.support.DefaultCryoServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two servers in one test, linked with {@link CryoServer#connectPeer}: server A opens the link
 * and plays the client; both see an ordinary session with the same id, exchange messages and
 * streams both ways, keep each other alive with their heartbeats, and A's link ends when B
 * shuts down.
 */
class PeerLinkTests {

	private ConfigurableApplicationContext serverA;

	private ConfigurableApplicationContext serverB;

	@BeforeEach
	void startServers() {
		this.serverA = start();
		this.serverB = start();
	}

	@AfterEach
	void stopServers() {
		this.serverA.close();
		this.serverB.close();
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(PeerTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "cryo.keep-alive-interval=300ms")
			.run();
	}

	private static URI endpoint(ConfigurableApplicationContext context) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return URI.create("ws://localhost:" + port + "/cryo");
	}

	private static CryoServer server(ConfigurableApplicationContext context) {
		return context.getBean(CryoServer.class);
	}

	private static CryoEventRecorder events(ConfigurableApplicationContext context) {
		return context.getBean(CryoEventRecorder.class);
	}

	private CryoSession link() throws Exception {
		return server(this.serverA).connectPeer(endpoint(this.serverB), PeerTestApplication.TOKEN)
			.get(10, TimeUnit.SECONDS);
	}

	@Test
	void linkIsASessionOnBothServersWithTheSameId() throws Exception {
		CryoSession link = link();
		assertThat(link.isPeer()).isTrue();
		assertThat(link.state()).isEqualTo(SessionState.OPEN);
		assertThat(server(this.serverA).sessions()).containsExactly(link);
		assertThat(server(this.serverA).session(link.id())).containsSame(link);
		events(this.serverA).await(link.id(), CryoSessionConnectedEvent.class);

		CryoSession accepted = events(this.serverB).await(link.id(), CryoSessionConnectedEvent.class).getSession();
		assertThat(accepted.isPeer()).isFalse();
		assertThat(server(this.serverB).sessions()).containsExactly(accepted);
		assertThat(link.peerFlags()).isEqualTo(1);
		assertThat(accepted.peerFlags()).isEqualTo(1);
	}

	@Test
	void messagesTravelBothWays() throws Exception {
		CryoSession link = link();
		CryoSession accepted = events(this.serverB).await(link.id(), CryoSessionConnectedEvent.class).getSession();

		link.sendUtf8("from A").get(5, TimeUnit.SECONDS);
		assertThat(events(this.serverB).await(link.id(), CryoUtf8MessageEvent.class).text()).isEqualTo("from A");

		accepted.sendBinary(ByteBuffer.wrap("from B".getBytes(StandardCharsets.UTF_8))).get(5, TimeUnit.SECONDS);
		CryoBinaryMessageEvent binary = events(this.serverA).await(link.id(), CryoBinaryMessageEvent.class);
		assertThat(binary.getSession()).isSameAs(link);
		assertThat(new String(binary.bytes(), StandardCharsets.UTF_8)).isEqualTo("from B");

		link.sendError("error from A").get(5, TimeUnit.SECONDS);
		accepted.sendUtf8("reply from B").get(5, TimeUnit.SECONDS);
		assertThat(events(this.serverA).await(link.id(), CryoUtf8MessageEvent.class).text()).isEqualTo("reply from B");
	}

	@Test
	void extensionsSeeTheLinksTrafficBothWays() throws Exception {
		List<String> seen = new CopyOnWriteArrayList<>();
		server(this.serverA).registerExtension(new CryoExtension() {

			@Override
			public String name() {
				return "peer-audit";
			}

			@Override
			public boolean beforeSendUtf8(CryoSession session, Box<String> text) {
				seen.add((session.isPeer() ? "peer" : "client") + " out " + text.get());
				text.set(text.get() + " (via A)");
				return true;
			}

			@Override
			public boolean onReceiveUtf8(CryoSession session, Box<String> text) {
				seen.add((session.isPeer() ? "peer" : "client") + " in " + text.get());
				return true;
			}

		});
		CryoSession link = link();
		CryoSession accepted = events(this.serverB).await(link.id(), CryoSessionConnectedEvent.class).getSession();
		link.sendUtf8("hello").get(5, TimeUnit.SECONDS);
		assertThat(events(this.serverB).await(link.id(), CryoUtf8MessageEvent.class).text()).isEqualTo("hello (via A)");
		accepted.sendUtf8("welcome").get(5, TimeUnit.SECONDS);
		events(this.serverA).await(link.id(), CryoUtf8MessageEvent.class);
		assertThat(seen).containsExactly("peer out hello", "peer in welcome");
	}

	@Test
	void streamsTravelBothWaysPushedAndPulled() throws Exception {
		CryoSession link = link();
		CryoSession accepted = events(this.serverB).await(link.id(), CryoSessionConnectedEvent.class).getSession();
		byte[] towardsB = randomBytes(3 * 1024 * 1024 + 17, 1);
		byte[] towardsA = randomBytes(2 * 1024 * 1024 + 5, 2);

		// A pushes to B.
		CompletableFuture<Void> sentToB = link.stream(new ByteArrayInputStream(towardsB), "a-to-b");
		assertThat(readStream(events(this.serverB), link.id(), 1)).isEqualTo(towardsB);
		sentToB.get(10, TimeUnit.SECONDS);

		// B pushes to A.
		CompletableFuture<Void> sentToA = accepted.stream(new ByteArrayInputStream(towardsA), "b-to-a");
		assertThat(readStream(events(this.serverA), link.id(), 1)).isEqualTo(towardsA);
		sentToA.get(10, TimeUnit.SECONDS);

		// A, on the client's side of the link, asks B to let it pull, then pulls.
		link.setIncomingFlow(FlowBehaviour.PULL).get(5, TimeUnit.SECONDS);
		CompletableFuture<Void> pulledByA = accepted.stream(new ByteArrayInputStream(towardsA), "b-to-a-pulled");
		assertThat(readStream(events(this.serverA), link.id(), 2)).isEqualTo(towardsA);
		pulledByA.get(10, TimeUnit.SECONDS);

		// B asks A to let it pull, then pulls.
		accepted.setIncomingFlow(FlowBehaviour.PULL).get(5, TimeUnit.SECONDS);
		CompletableFuture<Void> pulledByB = link.stream(new ByteArrayInputStream(towardsB), "a-to-b-pulled");
		assertThat(readStream(events(this.serverB), link.id(), 2)).isEqualTo(towardsB);
		pulledByB.get(10, TimeUnit.SECONDS);
	}

	@Test
	void heartbeatsOfBothServersKeepTheLinkAlive() throws Exception {
		CryoSession link = link();
		CryoSession accepted = events(this.serverB).await(link.id(), CryoSessionConnectedEvent.class).getSession();
		// Each statistics event is a heartbeat tick that found the other side alive (it ponged
		// the previous ping); four ticks of 300 ms cover several ping rounds in both directions.
		events(this.serverA).awaitCount(link.id(), CryoSessionStatsEvent.class, 4, Duration.ofSeconds(10));
		events(this.serverB).awaitCount(link.id(), CryoSessionStatsEvent.class, 4, Duration.ofSeconds(10));
		assertThat(link.state()).isEqualTo(SessionState.OPEN);
		assertThat(accepted.state()).isEqualTo(SessionState.OPEN);
		assertThat(link.statistics().rttMillis()).isGreaterThanOrEqualTo(0);
	}

	@Test
	void linkEndsWhenTheOtherServerShutsDown() throws Exception {
		CryoSession link = link();
		events(this.serverB).await(link.id(), CryoSessionConnectedEvent.class);
		this.serverB.close();
		CloseInfo closed = events(this.serverA).await(link.id(), CryoSessionClosedEvent.class).closeInfo();
		assertThat(closed.code()).isEqualTo(CloseCodes.GRACEFUL);
		assertThat(closed.reason()).isEqualTo(CryoServer.SHUTDOWN_REASON);
		assertThat(closed.initiator()).isEqualTo(CloseInfo.Initiator.PEER);
		assertThat(server(this.serverA).sessions()).isEmpty();
		assertThat(((DefaultCryoServer) server(this.serverA)).sessionRegistry().size()).isZero();
	}

	@Test
	void closingTheLinkEndsItOnBothServers() throws Exception {
		CryoSession link = link();
		events(this.serverB).await(link.id(), CryoSessionConnectedEvent.class);
		link.close("Link no longer needed.");
		CloseInfo seenByB = events(this.serverB).await(link.id(), CryoSessionClosedEvent.class).closeInfo();
		assertThat(seenByB.reason()).isEqualTo("Link no longer needed.");
		assertThat(seenByB.initiator()).isEqualTo(CloseInfo.Initiator.PEER);
		assertThat(events(this.serverA).await(link.id(), CryoSessionClosedEvent.class).closeInfo().initiator())
			.isEqualTo(CloseInfo.Initiator.LOCAL);
		assertThat(((DefaultCryoServer) server(this.serverA)).sessionRegistry().size()).isZero();
	}

	@Test
	void refusedLinkReportsTheServersAnswerAndHoldsNoSessionId() {
		CompletableFuture<CryoSession> refused = server(this.serverA).connectPeer(endpoint(this.serverB), "wrong");
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(CryoHandshakeRefusedException.class, (ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(401);
				assertThat(ex.getServerMessage()).isEqualTo("Invalid bearer token in authorization query.");
				assertThat(ex.getMessage()).doesNotContain("wrong");
			});
		assertThat(((DefaultCryoServer) server(this.serverA)).sessionRegistry().size()).isZero();
	}

	@Test
	void stoppedServerDoesNotOpenLinks() {
		this.serverA.getBean(CryoServerLifecycle.class).stop();
		assertThat(server(this.serverA).connectPeer(endpoint(this.serverB), PeerTestApplication.TOKEN))
			.failsWithin(Duration.ofSeconds(1))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalStateException.class);
	}

	private static byte[] readStream(CryoEventRecorder recorder, SessionId sid, int nth) throws Exception {
		CryoStreamStartedEvent started = recorder.awaitCount(sid, CryoStreamStartedEvent.class, nth).get(nth - 1);
		IncomingStream stream = started.stream();
		// The stream fills on the connection's reading thread; this test thread reads it.
		try (InputStream input = stream.inputStream()) {
			return input.readAllBytes();
		}
	}

	private static byte[] randomBytes(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

}
