package dev.cryo.sample;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.event.EventListener;

import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.sample.CryoTestClient.Close;
import dev.cryo.sample.CryoWire.Frame;
import dev.cryo.sample.CryoWire.Layout;
import dev.cryo.sample.DialectPeer.Download;
import dev.cryo.sample.DialectPeer.Kind;
import dev.cryo.sample.DialectPeer.Range;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoSessionClosedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The sample app, in its own configuration, serves every dialect on {@code /cryo}: a Cryo v1
 * client of the seed, the published cryo-protocol 1.4 generation, camp-client-node,
 * camp-client-browser and a CAMP client that offers the {@code camp} subprotocol (see
 * {@link Kind}), each speaking through the independent {@link CryoWire} in its own layouts. For
 * each: echo of UTF-8 (multi-byte included) and of binary data up to the dialect's limit (16 MiB in
 * Cryo v1, 1 MiB in CAMP, one byte more closes 1009), the sample's stream contract both ways in
 * both flow modes (Cryo v1: push, and pull chosen with TX_FLOW; 1.4: push only, TX_FLOW(pull) is
 * ACKed and changes nothing; CAMP: push and pull uploads, push downloads and {@code download-pull}
 * fetched with TX_FETCH), and the clean end of the session (BYE, or the client's close).
 */
@SpringBootTest(classes = { CryoSampleApplication.class, DialectConformanceTests.ClosedSessions.class },
		webEnvironment = WebEnvironment.RANDOM_PORT)
@DisplayName("Dialects — Cryo v1, the 1.4 generation and CAMP on the sample's /cryo")
@Timeout(60)
class DialectConformanceTests extends ConformanceSupport {

	private static final String MULTI_BYTE = "héllo ✓ 🚀";

	@Autowired
	CryoServer server;

	@Autowired
	ClosedSessions closes;

	/** How each session ended, as the server's application sees it. */
	@TestConfiguration(proxyBeanMethods = false)
	static class ClosedSessions {

		final Map<Long, Close> closed = new ConcurrentHashMap<>();

		@EventListener
		void onClosed(CryoSessionClosedEvent event) {
			this.closed.put(event.session().numericId(), new Close(event.code(), event.reason()));
		}

	}

	// ------------------------------------------------------------------ sessions

	@ParameterizedTest(name = "{0}")
	@EnumSource(Kind.class)
	@DisplayName("cryo-v1.md §2.5, §3 rule 9, §10.5; camp.md §1, §8 rule 2: recognised at the upgrade, ready, "
			+ "the session's dialect and transaction layout as the application sees them")
	void sessionDialectAndLayout(Kind kind) {
		try (DialectPeer peer = open(kind)) {
			// Its first data frame opens a session of a client without ENDPOINT_INFO (rule 9 (a)).
			peer.echo("ready?");
			CryoSession session = this.server.session(peer.sid).orElseThrow();
			assertThat(session.dialect()).isEqualTo(kind.dialect());
			assertThat(session.transactionLayout()).isEqualTo(switch (kind.layout) {
				case SEED -> TransactionLayout.SEED;
				case CRYO_PROTOCOL_1_4 -> TransactionLayout.CRYO_PROTOCOL_1_4;
				case CAMP -> TransactionLayout.CAMP;
			});
		}
	}

	// ------------------------------------------------------------------ echo

	@ParameterizedTest(name = "{0}")
	@EnumSource(Kind.class)
	@DisplayName("§4.3 / camp.md §4: UTF-8 (empty, ASCII, multi-byte) is ACKed and echoed byte for byte")
	void utf8Echo(Kind kind) {
		try (DialectPeer peer = open(kind)) {
			Frame first = peer.echo(MULTI_BYTE);
			if (kind.isCamp() || peer.wire.pings().isEmpty()) {
				// The server's counter: its ENDPOINT_INFO took 0, so its first data frame has 1 (a
				// Cryo v1 ping would take a number too, a CAMP one does not).
				assertThat(first.ack()).as("ack of the server's first data frame").isEqualTo(1);
			}
			peer.echo("");
			peer.echo("plain ASCII");
			peer.echo(EchoConformanceTests.hundredKibText());
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(Kind.class)
	@DisplayName("§9 / camp.md §2: binary data of exactly the dialect's maximum payload (16 MiB; CAMP 1 MiB) is "
			+ "ACKed and echoed exactly")
	void binaryEchoUpToTheLimit(Kind kind) {
		try (DialectPeer peer = open(kind)) {
			peer.echo(DialectPeer.randomBytes(13));
			Frame echo = peer.echo(DialectPeer.randomBytes(kind.maxPayload()));
			assertThat(echo.length()).isEqualTo(13 + kind.maxPayload());
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = Kind.class, names = { "CAMP_NODE", "CAMP_BROWSER", "CAMP_SUBPROTOCOL" })
	@DisplayName("camp.md §8 rule 10: a CAMP payload of 1 MiB + 1 byte closes with 1009, without ACK")
	void campPayloadAboveTheLimitCloses1009(Kind kind) {
		try (DialectPeer peer = open(kind)) {
			long ack = peer.nextAck();
			peer.wire.sendIgnoringFailure(CryoWire.binary(peer.sid, ack, new byte[CryoWire.CAMP_MAX_PAYLOAD + 1]));
			Close close = peer.wire.awaitClose();
			assertThat(close.code()).isEqualTo(1009);
			assertThat(peer.wire.received()).noneMatch((frame) -> frame.isAck(ack));
		}
	}

	@Test
	@DisplayName("camp.md §2, §8 rule 10: a CAMP message above 1 048 597 bytes closes with 1009")
	void campMessageAboveTheLimitCloses1009() {
		try (DialectPeer peer = open(Kind.CAMP_NODE)) {
			byte[] message = CryoWire.frame(peer.sid, CryoWire.TX_CHUNK, 0, new byte[CryoWire.CAMP_MAX_MESSAGE - 12]);
			assertThat(message).hasSize(CryoWire.CAMP_MAX_MESSAGE + 1);
			peer.wire.sendIgnoringFailure(message);
			assertThat(peer.wire.awaitClose().code()).isEqualTo(1009);
		}
	}

	// ------------------------------------------------------------------ uploads

	static Stream<Arguments> uploads() {
		return Arrays.stream(Kind.values())
			.flatMap((kind) -> Stream.of(Arguments.of(kind, 10, 4), Arguments.of(kind, (3 << 20) + 7, DialectPeer.CHUNK)));
	}

	@ParameterizedTest(name = "{0}: {1} bytes in chunks of {2}")
	@MethodSource("uploads")
	@DisplayName("§10.2, §10.5 / camp.md §7.1, §8 rule 3: a push upload in the client's layout is answered with "
			+ "stream <name> <bytes> <sha256>")
	void pushUpload(Kind kind, int size, int chunk) {
		try (DialectPeer peer = open(kind)) {
			String name = "up-" + size;
			String reply = peer.upload(name, DialectPeer.randomBytes(size), chunk);
			assertThat(peer.awaitText("stream " + name + " ")).isEqualTo(reply);
			peer.echo("after the upload");
		}
	}

	@ParameterizedTest(name = "{0}: {1} bytes")
	@MethodSource("pullUploads")
	@DisplayName("camp.md §7.2, §8 rule 3: an upload offered in pull mode is fetched whole, one window of 1 MiB at "
			+ "a time (clipped to the size), and answered with stream <name> <bytes> <sha256>")
	void pullUpload(Kind kind, int size) {
		try (DialectPeer peer = open(kind)) {
			String name = "pulled-up-" + size;
			byte[] data = DialectPeer.randomBytes(size);
			List<Range> ranges = peer.pullUpload(name, data);
			assertThat(peer.awaitText("stream " + name + " "))
				.isEqualTo("stream " + name + " " + size + " " + sha256(data));
			assertThat(ranges).isEqualTo(expectedWindows(size));
		}
	}

	static Stream<Arguments> pullUploads() {
		return Stream.of(Kind.CAMP_NODE, Kind.CAMP_BROWSER, Kind.CAMP_SUBPROTOCOL)
			.flatMap((kind) -> Stream.of(Arguments.of(kind, 300_000), Arguments.of(kind, (5 << 19) + 3)));
	}

	/** Windows of {@code pull-window} from 0, the last clipped to the announced size. */
	private static List<Range> expectedWindows(long size) {
		return Stream.iterate(0L, (start) -> start < size, (start) -> start + DialectPeer.PULL_WINDOW)
			.map((start) -> new Range(start, Math.min(start + DialectPeer.PULL_WINDOW, size)))
			.toList();
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = Kind.class, names = { "CAMP_NODE", "CAMP_BROWSER" })
	@DisplayName("camp.md §8 rule 3: an empty upload offered in pull mode is fetched as [0, 1) and finished")
	void emptyPullUpload(Kind kind) {
		try (DialectPeer peer = open(kind)) {
			List<Range> ranges = peer.pullUpload("empty", new byte[0]);
			assertThat(ranges).containsExactly(new Range(0, 1));
			assertThat(peer.awaitText("stream empty ")).isEqualTo("stream empty 0 " + sha256(new byte[0]));
		}
	}

	// ------------------------------------------------------------------ downloads

	@ParameterizedTest(name = "{0}")
	@EnumSource(Kind.class)
	@DisplayName("§10.2, §10.5 / camp.md §7.1, §8 rules 4, 5: download <bytes> <name> is pushed in the client's "
			+ "layout, byte-exact")
	void pushDownload(Kind kind) {
		try (DialectPeer peer = open(kind)) {
			long size = (3L << 20) + 5;
			Download download = peer.download("dl", size);
			assertThat(download.chunks()).hasSizeGreaterThanOrEqualTo((int) (size / DialectPeer.CHUNK));
			peer.expectNone((frame) -> DialectPeer.isDataOf(frame, download.txid()), "frames after TX_FINISH",
					DialectPeer.QUIET);
			// A second one: 1.4 seqs and CAMP offsets start again from 0, txids differ.
			Download again = peer.download("dl-again", 1000);
			assertThat(again.txid()).isNotEqualTo(download.txid());
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = Kind.class, names = { "CRYO_V1", "CAMP_NODE", "CAMP_BROWSER", "CAMP_SUBPROTOCOL" })
	@DisplayName("§10.4 / camp.md §7.2: download-pull <bytes> <name> — TX_START, nothing before the first request, "
			+ "each window served exactly (CAMP: correct offsets), TX_FINISH after the last")
	void pullDownload(Kind kind) {
		try (DialectPeer peer = open(kind)) {
			long size = (3L << 20) + 5;
			Download download = peer.pullDownload("pulled", size, 1 << 20);
			assertThat(download.data()).hasSize((int) size);
			peer.expectNone((frame) -> DialectPeer.isDataOf(frame, download.txid()), "frames after TX_FINISH",
					DialectPeer.QUIET);
			peer.echo("after the pull download");
		}
	}

	@Test
	@DisplayName("§10.3, §10.4: in Cryo v1 the mode chosen with TX_FLOW(pull) applies to a plain download too")
	void cryoV1DownloadAfterFlowPullIsPulled() {
		try (DialectPeer peer = open(Kind.CRYO_V1)) {
			peer.awaitAck(peer.flow(CryoWire.PULL));
			peer.awaitAck(peer.text("download 1000 plain"));
			long txid = peer.awaitStart("plain").txid();
			peer.expectNone((frame) -> DialectPeer.isDataOf(frame, txid), "data before TX_PULL", DialectPeer.QUIET);
			peer.awaitAck(peer.pull(txid, 0, 1000));
			peer.receiveRange(txid, 0, 1000, 1000);
			assertThat(peer.nextOf(txid).type()).isEqualTo(CryoWire.TX_FINISH);
		}
	}

	@Test
	@DisplayName("cryo-v1.md §10.5: a 1.4 client's TX_FLOW(pull) is ACKed and changes nothing — its downloads stay "
			+ "pushed, in the 1.4 layout")
	void cryoProtocol14FlowPullIsAckedAndDownloadsStayPushed() {
		try (DialectPeer peer = open(Kind.CRYO_1_4)) {
			peer.awaitAck(peer.flow(CryoWire.PULL));
			Download download = peer.download("still-pushed", (2L << 20) + 1);
			assertThat(download.chunks()).isNotEmpty();
			// A 25-byte chunk-index TX_FETCH is ACKed and nothing is served (§10.5).
			long fetch = peer.nextAck();
			peer.wire.send(CryoWire.txFetch14(peer.sid, fetch, download.txid(), 0, 4));
			peer.awaitAck(fetch);
			peer.expectNone((frame) -> DialectPeer.isDataOf(frame, download.txid()), "chunks for a 1.4 TX_FETCH",
					DialectPeer.QUIET);
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = Kind.class, names = { "CRYO_V1", "CRYO_1_4" })
	@DisplayName("sample contract: download-pull in a Cryo v1 session that cannot pull is answered with an ERROR "
			+ "saying how v1 clients choose pull, no transaction; the session goes on")
	void downloadPullWithoutPullModeIsRefused(Kind kind) {
		try (DialectPeer peer = open(kind)) {
			peer.awaitAck(peer.text("download-pull 1000 nope"));
			String error = peer.awaitError().text();
			if (kind == Kind.CRYO_V1) {
				assertThat(error).contains("TX_FLOW").contains("download-pull <bytes> <name>");
			}
			else {
				assertThat(error).contains("cryo-protocol 1.4").contains("download <bytes> <name>");
			}
			peer.expectNone((frame) -> frame.is(CryoWire.TX_START), "a TX_START", DialectPeer.QUIET);
			peer.echo("still here");
			peer.download("then-pushed", 10);
		}
	}

	@Test
	@DisplayName("camp.md §4, §7.2, §8 rule 8: fetched ranges are served in arrival order with their offsets, "
			+ "repeated and out of order; a range from the size on and an unknown txid get an ERROR naming the txid")
	void campFetchRanges() {
		try (DialectPeer peer = open(Kind.CAMP_BROWSER)) {
			peer.awaitAck(peer.text("download-pull 5000 ranges"));
			Frame start = peer.awaitStart("ranges");
			long txid = start.txid();
			assertThat(start.startSize(Layout.CAMP)).isEqualTo(5000);
			List<Long> fetches = List.of(peer.fetch(txid, 3000, 4000), peer.fetch(txid, 100, 200),
					peer.fetch(txid, 100, 200));
			fetches.forEach(peer::awaitAck);
			peer.receiveRange(txid, 3000, 4000, 5000);
			peer.receiveRange(txid, 100, 200, 5000);
			peer.receiveRange(txid, 100, 200, 5000);

			peer.awaitAck(peer.fetch(txid, 5000, 6000));
			assertThat(peer.awaitError().text()).contains("txid " + txid);
			peer.awaitAck(peer.fetch(txid + 1000, 0, 10));
			assertThat(peer.awaitError().text()).contains("txid " + (txid + 1000));
			peer.expectNone((frame) -> DialectPeer.isDataOf(frame, txid), "data for the refused fetches",
					DialectPeer.QUIET);

			// The transaction goes on: the range reaching the end is followed by TX_FINISH.
			peer.awaitAck(peer.fetch(txid, 4000, 1L << 40));
			peer.receiveRange(txid, 4000, 1L << 40, 5000);
			assertThat(peer.nextOf(txid).type()).isEqualTo(CryoWire.TX_FINISH);
		}
	}

	@Test
	@DisplayName("camp.md §4, §7.2: TX_CANCEL of a pull download is ACKed; nothing more is sent for it, a later "
			+ "TX_FETCH gets an ERROR")
	void campCancelOfAPullDownload() {
		try (DialectPeer peer = open(Kind.CAMP_NODE)) {
			peer.awaitAck(peer.text("download-pull 100000 cancelled"));
			long txid = peer.awaitStart("cancelled").txid();
			peer.awaitAck(peer.fetch(txid, 0, 1000));
			peer.receiveRange(txid, 0, 1000, 100_000);
			peer.awaitAck(peer.cancel(txid));
			peer.awaitAck(peer.fetch(txid, 1000, 2000));
			assertThat(peer.awaitError().text()).contains("txid " + txid);
			peer.expectNone((frame) -> DialectPeer.isDataOf(frame, txid), "data after the cancel", DialectPeer.QUIET);
			peer.echo("after the cancel");
		}
	}

	// ------------------------------------------------------------------ closing

	@ParameterizedTest(name = "{0}")
	@EnumSource(Kind.class)
	@DisplayName("§8.1 / camp.md §6: a client's BYE is ACKed and the server closes with 4000 and its reason; the "
			+ "session is gone")
	void byeEndsTheSession(Kind kind) {
		try (DialectPeer peer = open(kind)) {
			peer.echo(MULTI_BYTE);
			peer.bye("bye from " + kind.label);
			awaitGone(peer);
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(Kind.class)
	@DisplayName("§8.2 / camp.md §6: the client's close 4000 \"Client finished.\" (the published clients' Close()) "
			+ "is answered with 4000 and ends the session with that code and reason; the session is gone")
	void clientCloseEndsTheSession(Kind kind) {
		try (DialectPeer peer = open(kind)) {
			peer.echo(MULTI_BYTE);
			peer.closeAsClient();
			awaitGone(peer);
			awaitCondition("the closed event of " + CryoWire.sid(peer.sid),
					() -> this.closes.closed.containsKey(peer.sid));
			assertThat(this.closes.closed.get(peer.sid)).isEqualTo(new Close(4000, "Client finished."));
		}
	}

	// ------------------------------------------------------------------ helpers

	private DialectPeer open(Kind kind) {
		return DialectPeer.open(this.port, kind);
	}

	private void awaitGone(DialectPeer peer) {
		awaitCondition("session " + CryoWire.sid(peer.sid) + " to leave the server",
				() -> this.server.session(peer.sid).isEmpty());
	}

	static void awaitCondition(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				fail("Timed out waiting for " + what);
			}
			CryoTestClient.sleep(10);
		}
	}

}
