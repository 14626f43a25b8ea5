package dev.cryo.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.sample.DialectPeer.Download;
import dev.cryo.sample.DialectPeer.Kind;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session of every dialect open at the same time on the one sample server, and the published
 * cryo-protocol 1.4 client staying connected past the ENDPOINT_INFO timeout (cryo-v1.md §3 rules
 * 7, 9). The app keeps its configuration; only the timeout is shortened to 2 s for this class, so
 * that waiting past it does not cost the default 10 s.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.endpoint-info-timeout=2s")
@DisplayName("Dialects — every dialect at once on the sample's /cryo (ENDPOINT_INFO timeout 2 s)")
@Timeout(90)
class DialectsTogetherConformanceTests extends ConformanceSupport {

	/** Past the 2 s timeout, with room for a slow machine. */
	private static final Duration PAST_THE_TIMEOUT = Duration.ofMillis(3500);

	@Autowired
	CryoServer server;

	@Test
	@DisplayName("one client of each dialect at once: past the ENDPOINT_INFO timeout, a broadcast reaches each in "
			+ "its dialect, then all of them in parallel echo, upload and download in both flow modes, and leave "
			+ "cleanly")
	void everyDialectAtOnce() throws Exception {
		Map<Kind, DialectPeer> peers = new EnumMap<>(Kind.class);
		ExecutorService threads = Executors.newFixedThreadPool(Kind.values().length);
		try {
			for (Kind kind : Kind.values()) {
				peers.put(kind, DialectPeer.open(this.port, kind));
			}
			// The 1.4 client has only ACKed the server's ENDPOINT_INFO, camp-client-browser too.
			CryoTestClient.sleep(PAST_THE_TIMEOUT.toMillis());
			for (DialectPeer peer : peers.values()) {
				assertThat(peer.wire.isClosed()).as("%s closed: %s", peer.kind, peer.wire.received()).isFalse();
				CryoSession session = this.server.session(peer.sid).orElseThrow();
				assertThat(session.dialect()).as("dialect of %s", peer.kind).isEqualTo(peer.kind.dialect());
				assertThat(session.isOpen()).as("%s is open (ready)", peer.kind).isTrue();
			}
			// Made ready by the grace after it ACKed the server's ENDPOINT_INFO (§3 rule 9 (b)).
			assertThat(this.server.session(peers.get(Kind.CRYO_1_4).sid).orElseThrow().transactionLayout())
				.isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4);

			String news = "to every dialect: héllo ✓ 🚀";
			Map<CryoSession, CompletableFuture<Void>> broadcast = this.server.broadcastUtf8(news);
			List<Long> reached = broadcast.keySet().stream().map(CryoSession::numericId).toList();
			assertThat(reached).containsAll(peers.values().stream().map((peer) -> peer.sid).toList());

			List<CompletableFuture<Void>> work = new ArrayList<>();
			for (DialectPeer peer : peers.values()) {
				work.add(CompletableFuture.runAsync(() -> exercise(peer, news), threads));
			}
			CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
			// Each client ACKed the broadcast in its own way.
			CompletableFuture.allOf(broadcast.values().toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);

			for (DialectPeer peer : peers.values()) {
				if (peer.kind == Kind.CRYO_V1 || peer.kind == Kind.CAMP_SUBPROTOCOL) {
					peer.bye("done: " + peer.kind.label);
				}
				else {
					peer.closeAsClient();
				}
			}
			for (DialectPeer peer : peers.values()) {
				DialectConformanceTests.awaitCondition(peer.kind + " to leave the server",
						() -> this.server.session(peer.sid).isEmpty());
			}
		}
		finally {
			threads.shutdownNow();
			peers.values().forEach(DialectPeer::close);
		}
	}

	/** What each client does once the broadcast has gone out, all of them at the same time. */
	private static void exercise(DialectPeer peer, String news) {
		assertThat(peer.awaitText("to every dialect")).isEqualTo(news);
		peer.echo("héllo ✓ 🚀 from " + peer.kind.label);
		peer.echo(DialectPeer.randomBytes(256 * 1024));
		String reply = peer.upload("up", DialectPeer.randomBytes((1 << 20) + 3), DialectPeer.CHUNK);
		assertThat(peer.awaitText("stream up ")).isEqualTo(reply);
		Download pushed = peer.download("down", (1 << 20) + 5);
		assertThat(pushed.data()).hasSize((1 << 20) + 5);
		switch (peer.kind) {
			case CRYO_V1 -> peer.pullDownload("pulled", (1 << 20) + 5, 256 * 1024);
			case CRYO_1_4 -> {
				// TX_FLOW(pull) is ACKed, and the next download is pushed all the same (§10.5).
				peer.awaitAck(peer.flow(CryoWire.PULL));
				peer.download("pushed-anyway", 70_000);
			}
			case CAMP_NODE, CAMP_BROWSER, CAMP_SUBPROTOCOL -> {
				byte[] data = DialectPeer.randomBytes((1 << 20) + 9);
				peer.pullUpload("pulled-up", data);
				assertThat(peer.awaitText("stream pulled-up "))
					.isEqualTo("stream pulled-up " + data.length + " " + sha256(data));
				peer.pullDownload("pulled", (1 << 20) + 5, 256 * 1024);
			}
		}
	}

	@Test
	@DisplayName("cryo-v1.md §3 rules 7, 9 (a), §16.2: a 1.4 client whose first frame is its first data frame "
			+ "(UTF8DATA with ack 0, our ENDPOINT_INFO never ACKed) stays connected past the timeout and transacts")
	void cryoProtocol14ClientThatNeverAcksStaysPastTheTimeout() {
		try (DialectPeer peer = DialectPeer.open(this.port, Kind.CRYO_1_4, false)) {
			peer.echo("hello from cryo-client-node 1.3.0");
			CryoTestClient.sleep(PAST_THE_TIMEOUT.toMillis());
			assertThat(peer.wire.isClosed()).as("closed: %s", peer.wire.received()).isFalse();
			String reply = peer.upload("late", DialectPeer.randomBytes(100_000), 30_000);
			assertThat(peer.awaitText("stream late ")).isEqualTo(reply);
			peer.download("late-down", 100_000);
		}
	}

	@Test
	@DisplayName("cryo-v1.md §3 rule 7: a connection that sends nothing at all is still closed with 4001 after the "
			+ "timeout, in Cryo v1 and in CAMP")
	void silentConnectionsAreClosed() {
		for (String parameter : List.of("x-cryo-sid=", "x-CAMP-sid=")) {
			long sid = randomSid();
			try (CryoTestClient client = CryoTestClient.connect(this.port, TOKEN + "&" + parameter + CryoWire.sid(sid),
					sid)) {
				client.layout(parameter.contains("CAMP") ? CryoWire.Layout.CAMP : CryoWire.Layout.SEED);
				client.expectServerEndpointInfo();
				CryoTestClient.Close close = client.awaitClose(Duration.ofSeconds(6));
				assertThat(close.code()).as("close after %s", parameter).isEqualTo(4001);
				assertThat(close.reason()).isEqualTo("No ENDPOINT_INFO received.");
			}
		}
	}

}
