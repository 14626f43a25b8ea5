package dev.cryo.boot.autoconfigure.endtoend;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxCancelFrame;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.core.transaction.CryoTransactionException;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;
import dev.cryo.test.RawCampFrames;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * CAMP sessions on a real server, driven by raw clients that behave as the published CAMP clients
 * do, replaying their captured frames (vectors/camp.json {@code clientCaptures}): the opening with
 * and without ENDPOINT_INFO (camp.md §6, §8 rules 1–2), pings (§4), transactions in both
 * directions and both modes with TX_FETCH ranges and TX_CANCEL (§7, §8 rules 3–8), limits (§2,
 * §8 rule 10) and closing (§8 rule 9).
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Timeout(60)
class CampSessionEndToEndTests {

	private static final Duration QUIET = Duration.ofMillis(300);

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	@Autowired
	DialectTestApplication.Commands commands;

	@Autowired
	DialectTestApplication.Streams streams;

	// ---- the opening (camp.md §6, §8 rules 1-2)

	@Test
	void campClientNodeSendsEndpointInfoFirstAndNumbersItsDataFrom1() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.camp(this.port, sid)) {
			// It does not wait for the server's ENDPOINT_INFO.
			client.sendRaw(ClientCaptures.replay("camp-client-node/endpoint-info", sid));
			EndpointInfoFrame serverInfo = client.next(EndpointInfoFrame.class);
			assertThat(serverInfo).isEqualTo(new EndpointInfoFrame(sid, 0, 1, 1));
			assertThat(client.next()).isEqualTo(new AckFrame(sid, 0));
			client.sendRaw(ClientCaptures.replay("camp-client-node/ack-of-server-endpoint-info", sid));
			client.sendRaw(ClientCaptures.replay("camp-client-node/utf8data", sid));
			assertThat(client.next()).isEqualTo(new AckFrame(sid, 1));
			assertThat(this.events.await(sid, CryoUtf8MessageEvent.class).text())
				.isEqualTo("hello from camp-client-node");
			assertThat(this.events.events(sid, CryoSessionConnectedEvent.class)).hasSize(1);
			CryoSession session = this.server.session(sid).orElseThrow();
			assertThat(session.dialect()).isEqualTo("camp");
			assertThat(session.transactionLayout()).isEqualTo(TransactionLayout.CAMP);
			assertThat(session.peerFlags()).isEqualTo(1);
		}
	}

	@Test
	void campClientBrowserNeverSendsEndpointInfoAndIsServedFromItsFirstAck() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.camp(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			// Its first frame ever is its ACK for ours; its data frames start at 0.
			client.sendRaw(ClientCaptures.replay("camp-client-browser/first-frame-ack", sid));
			client.sendRaw(ClientCaptures.replay("camp-client-browser/utf8data", sid));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 0));
			CryoUtf8MessageEvent message = this.events.await(sid, CryoUtf8MessageEvent.class);
			assertThat(message.text()).isEqualTo("hello from camp-client-browser");
			// Ready before the message was handled, with the assumed flags, and never closed for
			// the missing ENDPOINT_INFO.
			assertThat(this.events.events(sid, CryoSessionConnectedEvent.class)).hasSize(1);
			assertThat(message.getSession().peerFlags()).isEqualTo(1);
			assertThat(client.poll(QUIET)).isNull();
			assertThat(client.isClosed()).isFalse();
		}
	}

	@Test
	void campClientBrowserThatOnlyAckedIsReadyAfterTheGraceAndCanBeStreamedTo() throws Exception {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.camp(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			long acked = System.nanoTime();
			client.sendRaw(ClientCaptures.replay("camp-client-browser/first-frame-ack", sid));
			// camp.md §8 rule 2 (b): ready endpointInfoGraceMs (1 s) after it ACKed our ENDPOINT_INFO.
			this.events.awaitCount(sid, CryoSessionConnectedEvent.class, 1, Duration.ofSeconds(5));
			assertThat(Duration.ofNanos(System.nanoTime() - acked)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
			CryoSession session = this.server.session(sid).orElseThrow();
			CompletableFuture<Void> sent = session.stream(new ByteArrayInputStream(new byte[] { 1, 2, 3 }),
					"after-grace", FlowBehaviour.PUSH);
			RawTransfers.Download download = receivePush(client, true);
			assertThat(download.start().name()).isEqualTo("after-grace");
			assertThat(download.bytes()).containsExactly(1, 2, 3);
			sent.get(5, TimeUnit.SECONDS);
		}
	}

	// ---- pings (§4, §8 rule 9)

	@Test
	void pingIsAnsweredWithAPongAndAPongIsNotAnswered() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedBrowserClient(sid)) {
			client.sendRaw(RawCampFrames.pingPong(sid, "ping"));
			assertThat(client.next(PingPongFrame.class).isPing()).isFalse();
			client.sendRaw(ClientCaptures.replay("camp-client-browser/pong", sid));
			assertThat(client.poll(QUIET)).isNull();
		}
	}

	@Test
	void aCryoStyle17BytePingIsMalformedInCamp() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedBrowserClient(sid)) {
			client.sendRaw(RawFrames.pingPong(sid, 0, "ping"));
			assertThat(client.next()).isInstanceOf(ErrorFrame.class);
			assertThat(client.poll(QUIET)).isNull();
		}
	}

	// ---- uploads: the client sends (§7, §8 rules 3, 6, 7)

	@Test
	void campClientBrowserPushUploadWithEndOffsetsArrivesByteExact() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedBrowserClient(sid)) {
			client.sendRaw(ClientCaptures.replay("camp-client-browser/tx-start-push", sid));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 1));
			// Offsets 4, 8, 10: the END of each chunk. Appended in arrival order, they are right.
			client.sendRaw(ClientCaptures.replay("camp-client-browser/tx-chunk-end-offset-0", sid));
			client.sendRaw(ClientCaptures.replay("camp-client-browser/tx-chunk-end-offset-1", sid));
			client.sendRaw(ClientCaptures.replay("camp-client-browser/tx-chunk-end-offset-2", sid));
			client.sendRaw(ClientCaptures.replay("camp-client-browser/tx-finish", sid));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 2));
			DialectTestApplication.Received received = this.streams.await(sid, "up-push");
			assertThat(received.awaitBytes()).isEqualTo("abcdefghij".getBytes(StandardCharsets.US_ASCII));
			assertThat(received.stream().behaviour()).isEqualTo(FlowBehaviour.PUSH);
			assertThat(received.stream().announcedSize()).isEqualTo(-1);
		}
	}

	@Test
	void campClientNodePushUploadWithStartOffsetsArrivesByteExact() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedNodeClient(sid)) {
			client.sendRaw(ClientCaptures.replay("camp-client-node/tx-start-push", sid));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 10));
			client.sendRaw(ClientCaptures.replay("camp-client-node/tx-chunk-push-0", sid));
			client.sendRaw(ClientCaptures.replay("camp-client-node/tx-chunk-push-1", sid));
			client.sendRaw(ClientCaptures.replay("camp-client-node/tx-chunk-push-2", sid));
			client.sendRaw(ClientCaptures.replay("camp-client-node/tx-finish", sid));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 3));
			assertThat(this.streams.await(sid, "up-push").awaitBytes())
				.isEqualTo("abcdefghij".getBytes(StandardCharsets.US_ASCII));
		}
	}

	@Test
	void campServerStylePushOffsetsArriveByteExactToo() {
		SessionId sid = RawFrames.newSid();
		byte[] data = DialectTestApplication.payload(3 * 65536);
		try (RawCryoClient client = openedBrowserClient(sid)) {
			client.sendRaw(RawCampFrames.txStart(sid, 1, 7, -1, RawCampFrames.PUSH, "plus-one"));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 1));
			// camp-server's offsets: one more per chunk than the bytes before it (camp.md §7.3).
			for (int i = 0; i < 3; i++) {
				client.sendRaw(RawCampFrames.txChunk(sid, 7, (long) i * 65536 + i,
						Arrays.copyOfRange(data, i * 65536, (i + 1) * 65536)));
			}
			client.sendRaw(RawCampFrames.txFinish(sid, 2, 7));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 2));
			assertThat(this.streams.await(sid, "plus-one").awaitBytes()).isEqualTo(data);
		}
	}

	@Test
	void campClientNodePullUploadIsFetchedWholeAndArrivesByteExact() {
		SessionId sid = RawFrames.newSid();
		byte[] data = DialectTestApplication.payload(300_000);
		try (RawCryoClient client = openedNodeClient(sid)) {
			// TX_START(ack 12, txid 1, size 300000, TX_PULL, "up-pull") as camp-client-node sent it.
			client.sendRaw(ClientCaptures.replay("camp-client-node/tx-start-pull", sid));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 12));
			// One window of pull-window (1 MiB), clipped to the announced size.
			TxPullFrame fetch = client.nextIgnoringPings() instanceof TxPullFrame pull ? pull : null;
			assertThat(fetch).isNotNull();
			assertThat(fetch.layout()).isEqualTo(TransactionLayout.CAMP);
			assertThat(fetch.txid()).isEqualTo(1);
			assertThat(fetch.start()).isZero();
			assertThat(fetch.end()).isEqualTo(300_000);
			client.send(new AckFrame(sid, fetch.ack()));
			// Served in 64 KiB pieces with correct start offsets, then TX_FINISH once the fetch reached the size.
			for (int offset = 0; offset < data.length; offset += 65536) {
				int end = Math.min(data.length, offset + 65536);
				client.sendRaw(RawCampFrames.txChunk(sid, 1, offset, Arrays.copyOfRange(data, offset, end)));
			}
			client.sendRaw(RawCampFrames.txFinish(sid, 13, 1));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 13));
			DialectTestApplication.Received received = this.streams.await(sid, "up-pull");
			assertThat(received.stream().behaviour()).isEqualTo(FlowBehaviour.PULL);
			assertThat(received.stream().announcedSize()).isEqualTo(300_000);
			assertThat(received.awaitBytes()).isEqualTo(data);
		}
	}

	@Test
	void campClientBrowserPullUploadIsAckedAndFetchedUnlikeWithTheReferenceServer() {
		SessionId sid = RawFrames.newSid();
		byte[] data = DialectTestApplication.payload(300_000);
		try (RawCryoClient client = openedBrowserClient(sid)) {
			// camp-server never ACKed this TX_START (it was not ready without ENDPOINT_INFO): Stream() hung.
			client.sendRaw(ClientCaptures.replay("camp-client-browser/tx-start-pull", sid));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 10));
			TxPullFrame fetch = (TxPullFrame) client.nextIgnoringPings();
			assertThat(fetch.txid()).isEqualTo(1);
			assertThat(new long[] { fetch.start(), fetch.end() }).containsExactly(0, 300_000);
			client.send(new AckFrame(sid, fetch.ack()));
			client.sendRaw(RawCampFrames.txChunk(sid, 1, 0, data));
			client.sendRaw(RawCampFrames.txFinish(sid, 11, 1));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 11));
			assertThat(this.streams.await(sid, "up-pull").awaitBytes()).isEqualTo(data);
		}
	}

	@Test
	void aLargePullUploadIsFetchedOneWindowAtATimeInAscendingOrder() {
		SessionId sid = RawFrames.newSid();
		int window = 1024 * 1024;
		byte[] data = DialectTestApplication.payload(2 * window + window / 2);
		try (RawCryoClient client = openedBrowserClient(sid)) {
			client.sendRaw(RawCampFrames.txStart(sid, 1, 3, data.length, RawCampFrames.PULL, "big-pull"));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 1));
			long expectedStart = 0;
			while (expectedStart < data.length) {
				TxPullFrame fetch = (TxPullFrame) client.nextIgnoringPings();
				assertThat(fetch.start()).isEqualTo(expectedStart);
				assertThat(fetch.end()).isEqualTo(Math.min(data.length, expectedStart + window));
				client.send(new AckFrame(sid, fetch.ack()));
				// Nothing more is asked for before this window is complete (camp.md §8 rule 3).
				assertThat(client.poll(Duration.ofMillis(50))).isNull();
				for (long offset = fetch.start(); offset < fetch.end(); offset += 65536) {
					int end = (int) Math.min(fetch.end(), offset + 65536);
					client.sendRaw(RawCampFrames.txChunk(sid, 3, offset, Arrays.copyOfRange(data, (int) offset, end)));
				}
				expectedStart = fetch.end();
			}
			client.sendRaw(RawCampFrames.txFinish(sid, 2, 3));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 2));
			assertThat(this.streams.await(sid, "big-pull").awaitBytes()).isEqualTo(data);
		}
	}

	@Test
	void listenerAsksForRangesOfAPullUploadWithTxFetch() {
		SessionId sid = RawFrames.newSid();
		byte[] data = DialectTestApplication.payload(1000);
		String name = "ranges:100-200,500-650";
		try (RawCryoClient client = openedBrowserClient(sid)) {
			client.sendRaw(RawCampFrames.txStart(sid, 1, 4, data.length, RawCampFrames.PULL, name));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 1));
			for (long[] range : new long[][] { { 100, 200 }, { 500, 650 } }) {
				TxPullFrame fetch = (TxPullFrame) client.nextIgnoringPings();
				assertThat(fetch.txid()).isEqualTo(4);
				assertThat(new long[] { fetch.start(), fetch.end() }).containsExactly(range);
				client.send(new AckFrame(sid, fetch.ack()));
				client.sendRaw(RawCampFrames.txChunk(sid, 4, range[0],
						Arrays.copyOfRange(data, (int) range[0], (int) range[1])));
			}
			DialectTestApplication.Received received = this.streams.await(sid, name);
			CompletableFuture.allOf(received.ranges().toArray(CompletableFuture[]::new)).orTimeout(5, TimeUnit.SECONDS).join();
			ByteArrayOutputStream expected = new ByteArrayOutputStream();
			expected.write(data, 100, 100);
			expected.write(data, 500, 150);
			assertThat(received.awaitBytes()).isEqualTo(expected.toByteArray());
			// The ranges did not reach the size: nothing more is fetched.
			assertThat(client.poll(QUIET)).isNull();
		}
	}

	@Test
	void listenerCancelsAnUploadWithTxCancel() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedBrowserClient(sid)) {
			client.sendRaw(RawCampFrames.txStart(sid, 1, 6, -1, RawCampFrames.PUSH, "cancel-me"));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 1));
			TxCancelFrame cancel = (TxCancelFrame) client.nextIgnoringPings();
			assertThat(cancel.txid()).isEqualTo(6);
			client.send(new AckFrame(sid, cancel.ack()));
			DialectTestApplication.Received received = this.streams.await(sid, "cancel-me");
			assertThat(received.cancelled()).isNotNull();
			received.cancelled().orTimeout(5, TimeUnit.SECONDS).join();
			// Chunks and a TX_FINISH already under way are handled: the finish is still ACKed (rule 6).
			client.sendRaw(RawCampFrames.txChunk(sid, 6, 0, new byte[] { 1 }));
			client.sendRaw(RawCampFrames.txFinish(sid, 2, 6));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 2));
		}
	}

	@Test
	void aNameOver1KiBIsAckedAndCancelled() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedBrowserClient(sid)) {
			byte[] name = new byte[1025];
			Arrays.fill(name, (byte) 'n');
			client.sendRaw(RawCampFrames.txStart(sid, 1, 8, -1, RawCampFrames.PUSH, name));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 1));
			TxCancelFrame cancel = (TxCancelFrame) client.nextIgnoringPings();
			assertThat(cancel.txid()).isEqualTo(8);
			client.send(new AckFrame(sid, cancel.ack()));
			// 1024 bytes is the limit itself: accepted.
			String longest = "m".repeat(1024);
			client.sendRaw(RawCampFrames.txStart(sid, 2, 9, -1, RawCampFrames.PUSH, longest));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 2));
			client.sendRaw(RawCampFrames.txFinish(sid, 3, 9));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 3));
			assertThat(this.streams.await(sid, longest).awaitBytes()).isEmpty();
		}
	}

	@Test
	void invalidBehaviourAndPullOfUnknownSizeAreAckedAndCancelled() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedBrowserClient(sid)) {
			client.sendRaw(RawCampFrames.txStart(sid, 1, 11, 10, 2, "bad-behaviour"));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 1));
			assertThat(((TxCancelFrame) client.nextIgnoringPings()).txid()).isEqualTo(11);
			client.sendRaw(RawCampFrames.txStart(sid, 2, 12, -1, RawCampFrames.PULL, "pull-unknown-size"));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 2));
			assertThat(((TxCancelFrame) client.nextIgnoringPings()).txid()).isEqualTo(12);
			// Not malformed frames: the session is fine.
			RawTransfers.command(client, 3, "still here");
			assertThat(this.streams.started(sid, "bad-behaviour")).isFalse();
		}
	}

	@Test
	void everythingTheClientsWaitForIsAckedWhateverBecomesOfIt() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedNodeClient(sid)) {
			// camp.md §8 rule 6: the clients never time out, so every tracked frame gets its ACK.
			client.sendRaw(RawCampFrames.txFinish(sid, 1, 77));
			assertThat(client.nextIgnoringPings()).as("TX_FINISH for an unknown txid").isEqualTo(new AckFrame(sid, 1));
			client.sendRaw(RawCampFrames.txCancel(sid, 2, 78));
			assertThat(client.nextIgnoringPings()).as("TX_CANCEL for an unknown txid").isEqualTo(new AckFrame(sid, 2));
			client.send(new EndpointInfoFrame(sid, 3, 1, 1));
			assertThat(client.nextIgnoringPings()).as("a repeated ENDPOINT_INFO").isEqualTo(new AckFrame(sid, 3));
			client.sendRaw(RawCampFrames.txStart(sid, 4, 79, -1, RawCampFrames.PUSH, "twice"));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 4));
			client.sendRaw(RawCampFrames.txStart(sid, 5, 79, -1, RawCampFrames.PUSH, "twice"));
			assertThat(client.nextIgnoringPings()).as("a duplicate TX_START").isEqualTo(new AckFrame(sid, 5));
			client.send(new ErrorFrame(sid, 6, "oops"));
			assertThat(client.nextIgnoringPings()).as("an ERROR").isEqualTo(new AckFrame(sid, 6));
			assertThat(client.poll(QUIET)).isNull();
			assertThat(this.events.events(sid, CryoSessionConnectedEvent.class)).hasSize(1);
		}
	}

	// ---- downloads: the server sends (§7, §8 rules 4, 5, 8)

	@Test
	void pushDownloadHasUnknownSizeStartOffsetsAndTheAckOfItsTxStartAsTxid() throws Exception {
		SessionId sid = RawFrames.newSid();
		byte[] data = DialectTestApplication.payload(200_000);
		try (RawCryoClient client = openedBrowserClient(sid)) {
			RawTransfers.command(client, 1, "push:down-push:" + data.length);
			RawTransfers.Download download = receivePush(client, true);
			TxStartFrame start = download.start();
			assertThat(start.layout()).isEqualTo(TransactionLayout.CAMP);
			assertThat(start.behaviour()).isEqualTo(FlowBehaviour.PUSH);
			assertThat(start.size()).isEqualTo(-1);
			assertThat(start.txid()).isEqualTo(start.ack());
			assertThat(download.positions()).containsExactly(0L, 65536L, 131072L, 196608L);
			assertThat(download.bytes()).isEqualTo(data);
			this.commands.result(sid, "down-push").get(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void pullDownloadAnnouncesItsSizeAndServesEachFetchThenFinishes() throws Exception {
		SessionId sid = RawFrames.newSid();
		byte[] data = DialectTestApplication.payload(300_000);
		try (RawCryoClient client = openedNodeClient(sid)) {
			RawTransfers.command(client, 2, "pull:down-pull:" + data.length);
			TxStartFrame start = (TxStartFrame) client.nextIgnoringPings();
			assertThat(start.behaviour()).isEqualTo(FlowBehaviour.PULL);
			assertThat(start.size()).isEqualTo(data.length);
			assertThat(start.txid()).isEqualTo(start.ack());
			client.send(new AckFrame(sid, start.ack()));
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			// Two fetches, as a client with its own window would ask; the second reaches the size.
			received.writeBytes(fetch(client, start.txid(), 3, 0, 100_000, false));
			received.writeBytes(fetch(client, start.txid(), 4, 100_000, 300_000, true));
			assertThat(received.toByteArray()).isEqualTo(data);
			this.commands.result(sid, "down-pull").get(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void campClientNodesCapturedFetchOfTheWholeRangeIsServedAndFinished() throws Exception {
		SessionId sid = RawFrames.newSid();
		byte[] data = DialectTestApplication.payload(300_000);
		try (RawCryoClient client = openedNodeClient(sid)) {
			RawTransfers.command(client, 1, "pull:down-whole:" + data.length);
			TxStartFrame start = (TxStartFrame) client.nextIgnoringPings();
			// Our first tracked frame after ENDPOINT_INFO (ack 0): ack 1, and so txid 1, as in the capture.
			assertThat(start.txid()).isEqualTo(1);
			client.send(new AckFrame(sid, start.ack()));
			// TX_FETCH(ack 16, txid 1, [0, 300000)) as camp-client-node sent it.
			client.sendRaw(ClientCaptures.replay("camp-client-node/tx-fetch-whole", sid));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 16));
			RawTransfers.Download download = RawTransfers.receiveRest(client, start);
			assertThat(download.chunks()).allSatisfy(
					(chunk) -> assertThat(chunk.position()).isEqualTo(chunk.bytesBefore()));
			assertThat(download.bytes()).isEqualTo(data);
			this.commands.result(sid, "down-whole").get(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void clientCancelsAPullDownloadWhichThenNeverFinishes() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedNodeClient(sid)) {
			RawTransfers.command(client, 1, "pull:down-pull-cancelled:1000");
			TxStartFrame start = RawTransfers.acceptStart(client);
			assertThat(fetch(client, start.txid(), 2, 0, 500, false)).hasSize(500);
			client.sendRaw(RawCampFrames.txCancel(sid, 3, start.txid()));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 3));
			assertThat(this.commands.result(sid, "down-pull-cancelled")).failsWithin(Duration.ofSeconds(5))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(CryoTransactionException.class);
			// A fetch for it now names a transaction that is gone: ACK and ERROR (rule 8).
			client.sendRaw(RawCampFrames.txFetch(sid, 4, start.txid(), 500, 1000));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 4));
			assertThat(client.nextIgnoringPings()).isInstanceOf(ErrorFrame.class);
		}
	}

	@Test
	void pullDownloadServesAFetchWhoseEndIsBeyondTheSizeUpToTheEnd() throws Exception {
		SessionId sid = RawFrames.newSid();
		byte[] data = DialectTestApplication.payload(70_000);
		try (RawCryoClient client = openedNodeClient(sid)) {
			RawTransfers.command(client, 2, "pull:down-beyond:" + data.length);
			TxStartFrame start = RawTransfers.acceptStart(client);
			assertThat(fetch(client, start.txid(), 3, 0, Long.MAX_VALUE, true)).isEqualTo(data);
			this.commands.result(sid, "down-beyond").get(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void invalidFetchesAreAckedAndAnsweredWithAnErrorNamingTheTxid() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedNodeClient(sid)) {
			RawTransfers.command(client, 2, "pull:down-invalid:1000");
			TxStartFrame start = RawTransfers.acceptStart(client);
			String txid = Integer.toUnsignedString(start.txid());
			// start >= size, an empty range, an unknown txid (camp.md §8 rule 8): ACK, ERROR, no chunks.
			int ack = 3;
			for (byte[] fetch : List.of(RawCampFrames.txFetch(sid, ack, start.txid(), 1000, 2000),
					RawCampFrames.txFetch(sid, ack + 1, start.txid(), 10, 10),
					RawCampFrames.txFetch(sid, ack + 2, start.txid() + 1000, 0, 10))) {
				client.sendRaw(fetch);
				assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, ack));
				ErrorFrame error = (ErrorFrame) client.nextIgnoringPings();
				assertThat(error.message()).contains(
						(ack == 5) ? Integer.toUnsignedString(start.txid() + 1000) : txid);
				client.send(new AckFrame(sid, error.ack()));
				ack++;
			}
			assertThat(client.poll(QUIET)).isNull();
			// The transaction is still there to be fetched properly.
			assertThat(fetch(client, start.txid(), 10, 0, 1000, true)).isEqualTo(DialectTestApplication.payload(1000));
		}
	}

	@Test
	void clientCancelsAPushDownloadWhichStopsWithoutTxFinish() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedBrowserClient(sid)) {
			// More than the send queue (8 MiB) and the sockets' buffers on both sides hold together.
			RawTransfers.command(client, 1, "push:down-cancelled:" + 48 * 1024 * 1024);
			TxStartFrame start = RawTransfers.acceptStart(client);
			assertThat(client.nextIgnoringPings()).isInstanceOf(TxChunkFrame.class);
			// Read nothing until the server has taken the cancel: a server that pushes faster than
			// the cancel travels could otherwise finish first, which is no cancel at all.
			client.pauseReading();
			client.sendRaw(RawCampFrames.txCancel(sid, 2, start.txid()));
			assertThat(this.commands.result(sid, "down-cancelled")).failsWithin(Duration.ofSeconds(5))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(CryoTransactionException.class);
			client.resumeReading();
			// The ACK may come behind chunks already queued; no TX_FINISH ever does.
			boolean acked = false;
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (System.nanoTime() < deadline) {
				Frame frame = client.poll(Duration.ofMillis(500));
				if (frame == null) {
					break;
				}
				assertThat(frame).isNotInstanceOf(TxFinishFrame.class);
				acked |= frame.equals(new AckFrame(sid, 2));
			}
			assertThat(acked).isTrue();
		}
	}

	@Test
	void campClientBrowsersSpuriousAckOfTheTxidSettlesNothingElse() throws Exception {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedBrowserClient(sid)) {
			CryoSession session = this.server.session(sid).orElseThrow();
			CompletableFuture<Void> download = session.stream(new ByteArrayInputStream(new byte[] { 9 }), "spurious",
					FlowBehaviour.PUSH);
			TxStartFrame start = (TxStartFrame) client.nextIgnoringPings();
			// As captured: ACK(ack), then ACK(txid); with txid = ack the second is a repeat.
			client.send(new AckFrame(sid, start.ack()));
			client.send(new AckFrame(sid, start.txid()));
			CompletableFuture<Void> message = session.sendUtf8("after");
			TxFinishFrame finish = null;
			Utf8DataFrame text = null;
			// The chunk, the finish and the message, the message possibly ahead of the transaction's frames.
			for (int i = 0; i < 3; i++) {
				Frame frame = client.nextIgnoringPings();
				if (frame instanceof TxFinishFrame received) {
					finish = received;
				}
				else if (frame instanceof Utf8DataFrame received) {
					text = received;
				}
				else {
					assertThat(frame).isInstanceOf(TxChunkFrame.class);
				}
			}
			assertThat(finish).isNotNull();
			assertThat(text).isNotNull();
			assertThat(download).isNotDone();
			assertThat(message).isNotDone();
			client.send(new AckFrame(sid, finish.ack()));
			client.send(new AckFrame(sid, text.ack()));
			download.get(5, TimeUnit.SECONDS);
			message.get(5, TimeUnit.SECONDS);
		}
	}

	// ---- messages and limits (§2, §8 rule 10)

	@Test
	void utf8AndBinaryMessagesAreEchoed() throws Exception {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedBrowserClient(sid)) {
			RawTransfers.command(client, 1, "echo:grüße 🌍");
			Utf8DataFrame echo = (Utf8DataFrame) client.nextIgnoringPings();
			assertThat(echo.text()).isEqualTo("grüße 🌍");
			client.send(new AckFrame(sid, echo.ack()));
		}
	}

	@Test
	void aOneMebibytePayloadIsTheLargestAndIsEchoed() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedBrowserClient(sid)) {
			byte[] payload = DialectTestApplication.payload(1024 * 1024);
			client.send(new BinaryDataFrame(sid, 1, ByteBuffer.wrap(payload)));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 1));
			BinaryDataFrame echo = (BinaryDataFrame) client.nextIgnoringPings();
			byte[] echoed = new byte[echo.payload().remaining()];
			echo.payload().get(echoed);
			assertThat(echoed).isEqualTo(payload);
		}
	}

	@Test
	void oneByteMoreClosesWith1009() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedBrowserClient(sid)) {
			client.sendRaw(RawFrames.frame(sid, RawFrames.BINARYDATA, 1, 13 + 1024 * 1024 + 1));
			assertThat(client.awaitClose().code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
		}
	}

	@Test
	void aMessageOverTheLargestCampMessageClosesWith1009() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedBrowserClient(sid)) {
			client.sendRaw(RawCampFrames.txChunk(sid, 1, 0, new byte[1024 * 1024 + 1]));
			assertThat(client.awaitClose().code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
		}
	}

	@Test
	void theApplicationCannotSendMoreThanAMebibyteToACampClient() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedBrowserClient(sid)) {
			CryoSession session = this.server.session(sid).orElseThrow();
			assertThatExceptionOfType(RuntimeException.class)
				.isThrownBy(() -> session.sendBinary(new byte[1024 * 1024 + 1]).join());
			assertThat(client.poll(QUIET)).isNull();
		}
	}

	// ---- closing (§8 rule 9)

	@Test
	void byeIsAckedAndTheConnectionClosedWith4000() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedBrowserClient(sid)) {
			client.send(new ByeFrame(sid, 1, "Client finished."));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 1));
			assertThat(client.awaitClose().code()).isEqualTo(CloseCodes.GRACEFUL);
		}
		CryoClients.awaitGone(this.server, sid);
	}

	@Test
	void serverCloseSendsByeThenCloses4000() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = openedBrowserClient(sid)) {
			this.server.session(sid).orElseThrow().close("Maintenance.");
			ByeFrame bye = (ByeFrame) client.nextIgnoringPings();
			assertThat(bye.reason()).isEqualTo("Maintenance.");
			assertThat(client.awaitClose()).isEqualTo(new RawCryoClient.Close(CloseCodes.GRACEFUL, "Maintenance."));
		}
	}

	// ---- helpers

	/** A camp-client-browser session: the server's ENDPOINT_INFO taken, ACKed, and one message sent. */
	private RawCryoClient openedBrowserClient(SessionId sid) {
		RawCryoClient client = CryoClients.camp(this.port, sid);
		client.next(EndpointInfoFrame.class);
		client.sendRaw(ClientCaptures.replay("camp-client-browser/first-frame-ack", sid));
		// Any data frame opens it at once (§8 rule 2 (a)); this one takes ack 0.
		RawTransfers.command(client, 0, "opening");
		this.events.await(sid, CryoSessionConnectedEvent.class);
		return client;
	}

	/** A camp-client-node session: its ENDPOINT_INFO first, ours ACKed; its data frames start at 1. */
	private RawCryoClient openedNodeClient(SessionId sid) {
		RawCryoClient client = CryoClients.camp(this.port, sid);
		client.sendRaw(ClientCaptures.replay("camp-client-node/endpoint-info", sid));
		client.next(EndpointInfoFrame.class);
		assertThat(client.next()).isEqualTo(new AckFrame(sid, 0));
		client.sendRaw(ClientCaptures.replay("camp-client-node/ack-of-server-endpoint-info", sid));
		this.events.await(sid, CryoSessionConnectedEvent.class);
		return client;
	}

	/**
	 * Receives a pushed transaction as the published clients do: ACK its TX_START (and, as
	 * camp-client-browser, ACK its txid as well), append chunks in arrival order, ACK TX_FINISH;
	 * no chunk is over CAMP's payload limit (camp.md §2).
	 */
	private static RawTransfers.Download receivePush(RawCryoClient client, boolean spuriousAck) {
		RawTransfers.Download download = RawTransfers.receive(client, spuriousAck);
		assertThat(download.chunks())
			.allSatisfy((chunk) -> assertThat(chunk.length()).isLessThanOrEqualTo(1024 * 1024));
		return download;
	}

	/**
	 * Sends a TX_FETCH, expects its ACK, then reads the chunks of the range (each inside it, at
	 * its start offset, in byte order) and, when {@code finishes}, the TX_FINISH, which it ACKs.
	 */
	private static byte[] fetch(RawCryoClient client, int txid, int ack, long start, long end, boolean finishes) {
		SessionId sid = client.sid();
		client.sendRaw(RawCampFrames.txFetch(sid, ack, txid, start, end));
		assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, ack));
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		long position = start;
		while (true) {
			Frame frame = client.poll(finishes ? Duration.ofSeconds(5) : QUIET);
			if (frame == null) {
				assertThat(finishes).as("a fetch short of the size ends without TX_FINISH").isFalse();
				assertThat(position).isEqualTo(end);
				return bytes.toByteArray();
			}
			if (frame instanceof TxFinishFrame finish) {
				assertThat(finishes).isTrue();
				assertThat(finish.txid()).isEqualTo(txid);
				client.send(new AckFrame(sid, finish.ack()));
				return bytes.toByteArray();
			}
			TxChunkFrame chunk = (TxChunkFrame) frame;
			assertThat(chunk.txid()).isEqualTo(txid);
			assertThat(chunk.position()).isEqualTo(position);
			byte[] payload = RawTransfers.payload(chunk);
			position += payload.length;
			assertThat(position).isLessThanOrEqualTo(end);
			bytes.writeBytes(payload);
		}
	}

}
