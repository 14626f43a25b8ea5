package dev.cryo.boot.autoconfigure.peer;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cryo.boot.autoconfigure.endtoend.CryoEventRecorder;
import dev.cryo.client.CryoClientDialect;
import dev.cryo.client.CryoHandshakeRefusedException;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.transaction.IncomingStream;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.PeerLinkOptions;
import dev.cryo.server.event.CryoBinaryMessageEvent;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Links in the other wires {@link CryoServer#connectPeer(URI, String, PeerLinkOptions)} can
 * open: to a CAMP server (camp.md), and in the cryo-protocol 1.4 transaction layout that a
 * reference cryo-server 3.0.x needs (cryo-v1.md §10.5 rule 4), here between two of our servers.
 * Server A speaks Cryo v1 only and opens the links; server B speaks CAMP too.
 */
@Timeout(60)
class PeerLinkDialectTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final PeerLinkOptions CAMP = PeerLinkOptions.DEFAULTS.withDialect(CryoClientDialect.CAMP);

	private static final PeerLinkOptions LAYOUT_1_4 = PeerLinkOptions.DEFAULTS
		.withTransactionLayout(TransactionLayout.CRYO_PROTOCOL_1_4);

	private ConfigurableApplicationContext serverA;

	private ConfigurableApplicationContext serverB;

	@BeforeEach
	void startServers() {
		this.serverA = new SpringApplicationBuilder(PeerTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "cryo.keep-alive-interval=500ms",
					"cryo.dialects.camp.enabled=false")
			.run();
		this.serverB = new SpringApplicationBuilder(PeerTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "cryo.keep-alive-interval=500ms")
			.run();
	}

	@AfterEach
	void stopServers() {
		this.serverA.close();
		this.serverB.close();
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

	private CryoSession link(PeerLinkOptions options) throws Exception {
		return server(this.serverA).connectPeer(endpoint(this.serverB), PeerTestApplication.TOKEN, options)
			.get(10, TimeUnit.SECONDS);
	}

	private CryoSession accepted(CryoSession link) {
		return events(this.serverB).await(link.id(), CryoSessionConnectedEvent.class).getSession();
	}

	private static byte[] data(int length, long seed) {
		byte[] bytes = new byte[length];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	private static byte[] receive(CryoSession session, String name) throws Exception {
		IncomingStream stream = session.awaitStream(name, WAIT).get(10, TimeUnit.SECONDS);
		return stream.inputStream().readAllBytes();
	}

	@Test
	void campLinkIsASessionInCampOnBothServers() throws Exception {
		CryoSession link = link(CAMP);
		assertThat(link.isPeer()).isTrue();
		assertThat(server(this.serverA).sessions()).containsExactly(link);
		CryoSession accepted = accepted(link);
		assertThat(accepted.isPeer()).isFalse();
		for (CryoSession session : new CryoSession[] { link, accepted }) {
			assertThat(session.dialect()).isEqualTo("camp");
			assertThat(session.transactionLayout()).isEqualTo(TransactionLayout.CAMP);
			assertThat(session.peerFlags()).isEqualTo(1);
		}
	}

	@Test
	void campLinkWithTheReferenceSpellingOfTheSid() throws Exception {
		CryoSession link = link(CAMP.withDialect(CryoClientDialect.CAMP.withSessionIdParameter("x-CAMP-sid")));
		assertThat(accepted(link).dialect()).isEqualTo("camp");
	}

	@Test
	void campLinkCarriesMessagesBothWays() throws Exception {
		CryoSession link = link(CAMP);
		CryoSession accepted = accepted(link);
		link.sendUtf8("Grüße von A ❄").get(5, TimeUnit.SECONDS);
		assertThat(events(this.serverB).await(link.id(), CryoUtf8MessageEvent.class).text()).isEqualTo("Grüße von A ❄");
		byte[] binary = data(1024 * 1024, 1);
		accepted.sendBinary(ByteBuffer.wrap(binary)).get(5, TimeUnit.SECONDS);
		assertThat(events(this.serverA).await(link.id(), CryoBinaryMessageEvent.class).bytes()).isEqualTo(binary);
		accepted.sendUtf8("Antwort von B").get(5, TimeUnit.SECONDS);
		assertThat(events(this.serverA).await(link.id(), CryoUtf8MessageEvent.class).text()).isEqualTo("Antwort von B");
	}

	@Test
	void campLinkTransactsBothWaysInBothModes() throws Exception {
		CryoSession link = link(CAMP);
		CryoSession accepted = accepted(link);

		byte[] pushUp = data(2 * 1024 * 1024 + 7, 2);
		CompletableFuture<Void> sent = link.stream(new ByteArrayInputStream(pushUp), "push-a-to-b");
		assertThat(receive(accepted, "push-a-to-b")).isEqualTo(pushUp);
		assertThat(sent).succeedsWithin(WAIT);

		byte[] pushDown = data(1024 * 1024 + 1, 3);
		sent = accepted.stream(new ByteArrayInputStream(pushDown), "push-b-to-a");
		assertThat(receive(link, "push-b-to-a")).isEqualTo(pushDown);
		assertThat(sent).succeedsWithin(WAIT);

		byte[] pullUp = data(1536 * 1024, 4);
		sent = link.stream(new ByteArrayInputStream(pullUp), "pull-a-to-b", FlowBehaviour.PULL);
		IncomingStream offered = accepted.awaitStream("pull-a-to-b", WAIT).get(10, TimeUnit.SECONDS);
		assertThat(offered.behaviour()).isEqualTo(FlowBehaviour.PULL);
		assertThat(offered.announcedSize()).isEqualTo(pullUp.length);
		assertThat(offered.inputStream().readAllBytes()).isEqualTo(pullUp);
		assertThat(sent).succeedsWithin(WAIT);

		byte[] pullDown = data(700_000, 5);
		sent = accepted.stream(new ByteArrayInputStream(pullDown), "pull-b-to-a", FlowBehaviour.PULL);
		assertThat(receive(link, "pull-b-to-a")).isEqualTo(pullDown);
		assertThat(sent).succeedsWithin(WAIT);
	}

	@Test
	void campLinkAnswersPingsBothWays() throws Exception {
		CryoSession link = link(CAMP);
		CryoSession accepted = accepted(link);
		// Both servers ping every 500 ms and close a peer that left a ping unanswered.
		long before = link.statistics().bytesReceived();
		Awaitility.await().atMost(WAIT).until(() -> link.statistics().bytesReceived() >= before + 6 * 13);
		assertThat(link.isOpen()).isTrue();
		assertThat(accepted.isOpen()).isTrue();
		assertThat(events(this.serverA).events(link.id(), CryoSessionClosedEvent.class)).isEmpty();
	}

	@Test
	void campLinkToAServerThatDoesNotSpeakCampIsRefused() {
		CompletableFuture<CryoSession> refused = server(this.serverB).connectPeer(endpoint(this.serverA),
				PeerTestApplication.TOKEN, CAMP);
		assertThat(refused).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(CryoHandshakeRefusedException.class, (ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(401);
				assertThat(ex.getServerMessage()).isEqualTo("No SID supplied.");
			});
		assertThat(server(this.serverA).sessions()).isEmpty();
		assertThat(server(this.serverB).sessions()).isEmpty();
	}

	@Test
	void layout14LinkTransactsInThe14LayoutsBothWays() throws Exception {
		CryoSession link = link(LAYOUT_1_4);
		CryoSession accepted = accepted(link);
		assertThat(link.dialect()).isEqualTo("cryo-v1");
		assertThat(link.transactionLayout())
			.isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4);
		// B got an ENDPOINT_INFO, so it starts in its deployment's layout, the seed (§10.5 rule 2) ...
		assertThat(accepted.transactionLayout()).isEqualTo(TransactionLayout.SEED);

		byte[] upload = data(3 * 1024 * 1024 + 3, 6);
		CompletableFuture<Void> sent = link.stream(new ByteArrayInputStream(upload), "up-1.4");
		IncomingStream incoming = accepted.awaitStream("up-1.4", WAIT).get(10, TimeUnit.SECONDS);
		// ... and reads the 1.4 TX_START by its size of -1 (rule 3), then every chunk after its seq.
		assertThat(incoming.announcedSize()).isEqualTo(-1);
		assertThat(incoming.inputStream().readAllBytes()).isEqualTo(upload);
		assertThat(sent).succeedsWithin(WAIT);
		assertThat(accepted.transactionLayout())
			.isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4);

		// B now starts its transactions in 1.4 too, which the link reads byte-exact.
		byte[] download = data(2 * 1024 * 1024 + 9, 7);
		sent = accepted.stream(new ByteArrayInputStream(download), "down-1.4");
		assertThat(receive(link, "down-1.4")).isEqualTo(download);
		assertThat(sent).succeedsWithin(WAIT);

		byte[] again = "a second upload, named with ümlauts".getBytes(StandardCharsets.UTF_8);
		sent = link.stream(new ByteArrayInputStream(again), "wieder-hoch-ü");
		assertThat(receive(accepted, "wieder-hoch-ü")).isEqualTo(again);
		assertThat(sent).succeedsWithin(WAIT);
		assertThat(link.transactionLayout())
			.isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4);
	}

	@Test
	void layout14LinkDownloadsFirstFromAServerConfiguredForThe14Layouts() throws Exception {
		// Before any upload, only its configuration tells the accepting server the layout (§10.5 rule 2).
		try (ConfigurableApplicationContext serverC = new SpringApplicationBuilder(PeerTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "cryo.v1.transaction-layout=cryo-protocol-1.4")
			.run()) {
			CryoSession link = server(this.serverA).connectPeer(endpoint(serverC), PeerTestApplication.TOKEN, LAYOUT_1_4)
				.get(10, TimeUnit.SECONDS);
			CryoSession accepted = events(serverC).await(link.id(), CryoSessionConnectedEvent.class).getSession();
			assertThat(accepted.transactionLayout()).isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4);
			byte[] download = data(1024 * 1024 + 11, 9);
			CompletableFuture<Void> sent = accepted.stream(new ByteArrayInputStream(download), "first-down");
			IncomingStream incoming = link.awaitStream("first-down", WAIT).get(10, TimeUnit.SECONDS);
			assertThat(incoming.announcedSize()).isEqualTo(-1);
			assertThat(incoming.inputStream().readAllBytes()).isEqualTo(download);
			assertThat(sent).succeedsWithin(WAIT);
			byte[] upload = data(300_000, 10);
			sent = link.stream(new ByteArrayInputStream(upload), "then-up");
			assertThat(receive(accepted, "then-up")).isEqualTo(upload);
			assertThat(sent).succeedsWithin(WAIT);
		}
	}

	@Test
	void layout14LinkNeverAsksForPullMode() throws Exception {
		CryoSession link = link(LAYOUT_1_4);
		assertThat(link.setIncomingFlow(FlowBehaviour.PULL)).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessageContaining("never asks for pull mode");
		assertThat(link.stream(new ByteArrayInputStream(new byte[1]), "pulled", FlowBehaviour.PULL))
			.failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(IllegalArgumentException.class);
		assertThat(link.isOpen()).isTrue();
	}

	@Test
	void seedLinkKeepsTheSeedLayoutAndTheOldSignatures() throws Exception {
		CryoSession link = server(this.serverA).connectPeer(endpoint(this.serverB), PeerTestApplication.TOKEN, WAIT)
			.get(10, TimeUnit.SECONDS);
		CryoSession accepted = accepted(link);
		assertThat(link.transactionLayout()).isEqualTo(TransactionLayout.SEED);
		byte[] upload = data(200_000, 8);
		CompletableFuture<Void> sent = link.stream(new ByteArrayInputStream(upload), "seed-up");
		assertThat(receive(accepted, "seed-up")).isEqualTo(upload);
		assertThat(sent).succeedsWithin(WAIT);
		assertThat(accepted.transactionLayout()).isEqualTo(TransactionLayout.SEED);
	}

}
