package dev.cryo.boot.autoconfigure.endtoend;

import java.io.ByteArrayInputStream;
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
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published Cryo v1 client generation (cryo-v1.md §16) on a real server: raw clients that
 * behave as cryo-client-node 1.3.0 (no ENDPOINT_INFO, the cryo-protocol 1.4 layouts, no waiting for
 * ACKs; frames replayed from vectors/cryo-v1.json {@code clientCaptures}) and as the later builds
 * that send ENDPOINT_INFO, with §3 rules 7 and 9 and §10.5. The ENDPOINT_INFO timeout is 1 s and
 * the grace of rule 9 (b) 300 ms, so that staying connected past both is quick to show.
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.endpoint-info-timeout=1s", "cryo.endpoint-info-grace=300ms" })
@Timeout(60)
class CryoProtocol14EndToEndTests {

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

	// ---- §3 rule 9: a peer that never sends ENDPOINT_INFO

	@Test
	void firstFrameUtf8DataWithAck0OpensTheSessionInThe14Layouts() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.cryoProtocol14(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			// Its first frame may be a message, numbered 0: rule 9 (a).
			client.sendRaw(ClientCaptures.replay("cryo-client-node-1.3.0/first-frame-utf8data", sid));
			assertThat(client.next()).isEqualTo(new AckFrame(sid, 0));
			client.sendRaw(ClientCaptures.replay("cryo-client-node-1.3.0/ack-of-server-endpoint-info", sid));
			CryoUtf8MessageEvent message = this.events.await(sid, CryoUtf8MessageEvent.class);
			assertThat(message.text()).isEqualTo("hello from cryo-client-node 1.3.0");
			assertThat(this.events.events(sid, CryoSessionConnectedEvent.class)).hasSize(1);
			CryoSession session = message.getSession();
			assertThat(session.dialect()).isEqualTo("cryo-v1");
			assertThat(session.transactionLayout()).isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4);
			assertThat(session.peerFlags()).isEqualTo(1);
		}
	}

	@Test
	void aClientThatOnlyAckedIsOpenedAfterTheGraceAndStaysConnectedPastTheTimeout() throws Exception {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.cryoProtocol14(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			long start = System.nanoTime();
			client.sendRaw(ClientCaptures.replay("cryo-client-node-1.3.0/first-frame-ack", sid));
			// Rule 9 (b): opened the grace after its ACK, before the 1 s timeout.
			this.events.await(sid, CryoSessionConnectedEvent.class);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250),
					Duration.ofMillis(1000));
			// Rule 7: never closed for the missing ENDPOINT_INFO.
			assertThat(client.poll(Duration.ofMillis(1500))).isNull();
			assertThat(client.isClosed()).isFalse();
			// And the application can stream to it, in the 1.4 layouts.
			CryoSession session = this.server.session(sid).orElseThrow();
			assertThat(session.transactionLayout()).isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4);
			CompletableFuture<Void> sent = session
				.stream(new ByteArrayInputStream("after the timeout".getBytes(StandardCharsets.UTF_8)), "late");
			RawTransfers.Download download = receive(client);
			assertThat(download.start().name()).isEqualTo("late");
			assertThat(new String(download.bytes(), StandardCharsets.UTF_8)).isEqualTo("after the timeout");
			sent.get(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void aClientThatSentNothingIsStillClosedByTheTimeout() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.cryoProtocol14(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			RawCryoClient.Close close = client.awaitClose(Duration.ofSeconds(5));
			assertThat(close.code()).isEqualTo(4001);
			assertThat(close.reason()).isEqualTo("No ENDPOINT_INFO received.");
		}
	}

	// ---- uploads in the 1.4 layouts (§10.5, §16.2)

	@Test
	void smallUploadAsCaptured14LayoutsWithoutWaitingForAcksArrivesByteExact() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.cryoProtocol14(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			client.sendRaw(ClientCaptures.replay("cryo-client-node-1.3.0/first-frame-ack", sid));
			// TX_START (size -1), chunks seq 0, 1, 2 and TX_FINISH back to back: no ACK is awaited.
			for (String capture : List.of("small-upload-tx-start", "small-upload-tx-chunk-seq0",
					"small-upload-tx-chunk-seq1", "small-upload-tx-chunk-seq2", "small-upload-tx-finish")) {
				client.sendRaw(ClientCaptures.replay("cryo-client-node-1.3.0/" + capture, sid));
			}
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 1));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 2));
			assertThat(this.streams.await(sid, "up-push").awaitBytes())
				.isEqualTo("abcdefghij".getBytes(StandardCharsets.US_ASCII));
			assertThat(this.server.session(sid).orElseThrow().transactionLayout())
				.isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4);
		}
	}

	@Test
	void largeUploadIn14LayoutsArrivesByteExact() {
		SessionId sid = RawFrames.newSid();
		byte[] data = DialectTestApplication.payload(3 * 100_000 + 17);
		try (RawCryoClient client = CryoClients.cryoProtocol14(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			client.send(Utf8DataFrame.of(sid, 0, "hello"));
			client.sendRaw(RawFrames.v14TxStart(sid, 1, 0, -1, "large"));
			int seq = 0;
			for (int offset = 0; offset < data.length; offset += 100_000) {
				client.sendRaw(RawFrames.v14TxChunk(sid, 0, seq++,
						Arrays.copyOfRange(data, offset, Math.min(data.length, offset + 100_000))));
			}
			client.sendRaw(finish(sid, 2, 0));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 0));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 1));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 2));
			assertThat(this.streams.await(sid, "large").awaitBytes()).isEqualTo(data);
		}
	}

	@Test
	void theSecondCapturedSessionUploadsWithoutEverBeingDropped() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.cryoProtocol14(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			client.sendRaw(ClientCaptures.replay("cryo-client-node-1.3.0/first-frame-utf8data", sid));
			// The reference server dropped this TX_START without ACK (§16.3); ours ACKs it.
			client.sendRaw(ClientCaptures.replay("cryo-client-node-1.3.0/tx-start", sid));
			client.sendRaw(RawFrames.v14TxChunk(sid, 0, 0, "xyz".getBytes(StandardCharsets.US_ASCII)));
			client.sendRaw(ClientCaptures.replay("cryo-client-node-1.3.0/tx-finish", sid));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 0));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 9));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 10));
			assertThat(this.streams.await(sid, "up-push").awaitBytes()).isEqualTo("xyz".getBytes(StandardCharsets.US_ASCII));
		}
	}

	// ---- downloads in the 1.4 layouts (§10.5)

	@Test
	void downloadIsSentInThe14LayoutsWithSizeMinus1AndSequenceNumbers() throws Exception {
		SessionId sid = RawFrames.newSid();
		byte[] data = DialectTestApplication.payload(200_000);
		try (RawCryoClient client = CryoClients.cryoProtocol14(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			RawTransfers.command(client, 0, "stream:down:" + data.length);
			RawTransfers.Download download = receive(client);
			TxStartFrame start = download.start();
			// Read in the 1.4 layout: size FF FF FF FF at 17, the name at 21.
			assertThat(start.layout()).isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4);
			assertThat(start.size()).isEqualTo(-1);
			assertThat(start.name()).isEqualTo("down");
			assertThat(download.positions()).containsExactly(0L, 1L, 2L, 3L);
			assertThat(download.bytes()).isEqualTo(data);
			this.commands.result(sid, "down").get(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void pullModeIsNeverUsedWithThe14Generation() throws Exception {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.cryoProtocol14(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			// TX_FLOW(TX_PULL) is ACKed and otherwise ignored; a chunk-index TX_FETCH is ACKed only.
			client.send(new TxFlowFrame(sid, 0, FlowBehaviour.PULL));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 0));
			client.sendRaw(RawFrames.v14TxFetch(sid, 1, 0, 0, 2));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 1));
			assertThat(client.poll(QUIET)).isNull();
			// The application cannot ask for pull either; its transactions stay pushed.
			RawTransfers.command(client, 2, "pull:refused:10");
			assertThat(this.commands.result(sid, "refused")).failsWithin(Duration.ofSeconds(5))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(IllegalArgumentException.class);
			RawTransfers.command(client, 3, "stream:pushed:10");
			assertThat(receive(client).bytes()).isEqualTo(DialectTestApplication.payload(10));
			this.commands.result(sid, "pushed").get(5, TimeUnit.SECONDS);
		}
	}

	// ---- the later builds that send ENDPOINT_INFO (§10.5 rules 2-3)

	@Test
	void anEndpointInfoSendingClientUploadingIn14LayoutsSwitchesTheSession() throws Exception {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.cryoProtocol14(this.port, sid)) {
			client.handshake();
			CryoSession session = CryoClients.session(this.server, sid);
			assertThat(session.transactionLayout()).isEqualTo(TransactionLayout.SEED);
			// Bytes 17-20 FF FF FF FF: a 1.4 TX_START, whatever the session's layout (rule 3).
			client.sendRaw(RawFrames.v14TxStart(sid, 1, 0, -1, "switch"));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 1));
			client.sendRaw(RawFrames.v14TxChunk(sid, 0, 0, new byte[] { 4, 5, 6 }));
			client.sendRaw(finish(sid, 2, 0));
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(sid, 2));
			assertThat(this.streams.await(sid, "switch").awaitBytes()).containsExactly(4, 5, 6);
			assertThat(session.transactionLayout()).isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4);
			// Downloads from now on are in the 1.4 layouts too.
			RawTransfers.command(client, 3, "stream:after-switch:5");
			RawTransfers.Download download = receive(client);
			assertThat(download.start().layout()).isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4);
			assertThat(download.bytes()).isEqualTo(DialectTestApplication.payload(5));
			this.commands.result(sid, "after-switch").get(5, TimeUnit.SECONDS);
		}
	}

	// ---- helpers

	/** TX_FINISH, the same 17 bytes in every layout. */
	private static byte[] finish(SessionId sid, int ack, int txid) {
		return ByteBuffer.wrap(RawFrames.frame(sid, 0x02, ack, 17)).putInt(13, txid).array();
	}

	/** Receives a pushed transaction in the 1.4 layouts, ACKing its TX_START and TX_FINISH. */
	private static RawTransfers.Download receive(RawCryoClient client) {
		RawTransfers.Download download = RawTransfers.receive(client, false);
		assertThat(download.chunks()).allSatisfy(
				(chunk) -> assertThat(chunk.layout()).isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4));
		return download;
	}

}
