package dev.cryo.boot.autoconfigure.camp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cryo.boot.autoconfigure.endtoend.CryoEventRecorder;
import dev.cryo.client.CryoClient;
import dev.cryo.client.CryoClientDialect;
import dev.cryo.client.CryoClientListener;
import dev.cryo.client.CryoClientSession;
import dev.cryo.client.ReconnectPolicy;
import dev.cryo.core.dialect.camp.CampCodec;
import dev.cryo.core.dialect.camp.CampDialect;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.transaction.CryoTransactionException;
import dev.cryo.core.transaction.IncomingStream;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoBinaryMessageEvent;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Java client in CAMP against our server on a real Tomcat (camp.md): the subprotocol
 * answered, messages up to the 1 MiB limit both ways, pings, transactions in both modes and both
 * directions with TX_FETCH ranges and TX_CANCEL, and the clean close.
 */
@SpringBootTest(classes = CampTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.keep-alive-interval=500ms")
@Timeout(60)
class CampClientEndToEndTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	/** The default chunk size of both ends. */
	private static final int CHUNK = 64 * 1024;

	@LocalServerPort
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

	private final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();

	private final List<CryoClientSession> sessions = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeSessions() {
		this.sessions.forEach(CryoClientSession::close);
	}

	private CryoClient.Builder client() {
		return CryoClient.builder(URI.create("ws://localhost:" + this.port + CampTestApplication.PATH))
			.token(CampTestApplication.TOKEN)
			.dialect(CryoClientDialect.CAMP)
			.reconnect(ReconnectPolicy.DISABLED)
			.listener(new CryoClientListener() {

				@Override
				public void onUtf8Message(CryoClientSession session, String text) {
					CampClientEndToEndTests.this.texts.add(text);
				}

				@Override
				public void onBinaryMessage(CryoClientSession session, ByteBuffer payload) {
					byte[] bytes = new byte[payload.remaining()];
					payload.get(bytes);
					CampClientEndToEndTests.this.binaries.add(bytes);
				}

			});
	}

	private CryoClientSession connect() {
		return connect(client());
	}

	private CryoClientSession connect(CryoClient.Builder builder) {
		CryoClientSession session = builder.build().connect();
		this.sessions.add(session);
		return session;
	}

	/** The server side of a client's session, once it is connected there. */
	private CryoSession serverSide(CryoClientSession session) {
		return this.events.await(session.id(), CryoSessionConnectedEvent.class).getSession();
	}

	private static byte[] data(int length, long seed) {
		byte[] bytes = new byte[length];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			all.writeBytes(part);
		}
		return all.toByteArray();
	}

	/**
	 * A transaction arrived whole: in the mode it was sent in, with the size it announced (-1 when
	 * pushed, the size is not announced), byte for byte, and the sender saw it complete.
	 */
	private static void assertTransferred(CompletableFuture<IncomingStream> arriving, FlowBehaviour behaviour,
			long announcedSize, byte[] bytes, CompletableFuture<Void> sent) throws Exception {
		IncomingStream incoming = arriving.get(10, TimeUnit.SECONDS);
		assertThat(incoming.behaviour()).isEqualTo(behaviour);
		assertThat(incoming.announcedSize()).isEqualTo(announcedSize);
		assertThat(incoming.inputStream().readAllBytes()).isEqualTo(bytes);
		assertThat(sent).succeedsWithin(WAIT);
	}

	/** The sender's side of a transaction the other end cancelled. */
	private static void assertCancelledByThePeer(CompletableFuture<Void> sent) {
		assertThat(sent).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(CryoTransactionException.class)
			.withMessageContaining("cancelled by the peer");
	}

	@Test
	void connectsInCampWithTheSubprotocolAnswered() {
		CryoClientSession session = connect();
		assertThat(session.isConnected()).isTrue();
		assertThat(session.dialect()).isEqualTo("camp");
		assertThat(session.transactionLayout()).isEqualTo(TransactionLayout.CAMP);
		assertThat(session.peerFlags()).isEqualTo(1);
		CryoSession serverSide = serverSide(session);
		assertThat(serverSide.id()).isEqualTo(session.id());
		assertThat(serverSide.dialect()).isEqualTo("camp");
		assertThat(serverSide.transactionLayout()).isEqualTo(TransactionLayout.CAMP);
		assertThat(serverSide.peerFlags()).isEqualTo(1);
	}

	@Test
	void referenceSpellingOfTheSidParameterIsServedAsCampToo() {
		CryoClientSession session = connect(
				client().dialect(CryoClientDialect.CAMP.withSessionIdParameter(CampDialect.REFERENCE_SID_PARAMETER)));
		assertThat(serverSide(session).dialect()).isEqualTo("camp");
	}

	@Test
	void utf8WithMultiByteCharactersAndBinaryAreEchoed() throws Exception {
		CryoClientSession session = connect();
		String text = "Grüße, 世界 — 🧊 ❄";
		session.sendUtf8(text).get(5, TimeUnit.SECONDS);
		assertThat(this.texts.poll(5, TimeUnit.SECONDS)).isEqualTo(text);
		byte[] binary = data(70_000, 1);
		session.sendBinary(ByteBuffer.wrap(binary)).get(5, TimeUnit.SECONDS);
		assertThat(this.binaries.poll(5, TimeUnit.SECONDS)).isEqualTo(binary);
		session.sendBinary(ByteBuffer.allocate(0)).get(5, TimeUnit.SECONDS);
		assertThat(this.binaries.poll(5, TimeUnit.SECONDS)).isEmpty();
	}

	@Test
	void messagesOfExactlyOneMebibyteAreEchoedAndOneByteMoreIsRefusedBeforeAnythingIsQueued() throws Exception {
		CryoClientSession session = connect();
		byte[] largest = data(CampCodec.MAX_PAYLOAD, 2);
		session.sendBinary(ByteBuffer.wrap(largest)).get(5, TimeUnit.SECONDS);
		assertThat(this.binaries.poll(5, TimeUnit.SECONDS)).isEqualTo(largest);
		// 2-byte characters up to exactly 1 MiB of UTF-8.
		String largestText = "é".repeat(CampCodec.MAX_PAYLOAD / 2);
		session.sendUtf8(largestText).get(5, TimeUnit.SECONDS);
		assertThat(this.texts.poll(5, TimeUnit.SECONDS)).isEqualTo(largestText);

		assertThatExceptionOfType(CryoFrameException.class)
			.isThrownBy(() -> session.sendBinary(ByteBuffer.allocate(CampCodec.MAX_PAYLOAD + 1)));
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> session.sendUtf8(largestText + "x"));
		// Nothing reached the server: the next message is the next echo, and the session is intact.
		session.sendUtf8("after").get(5, TimeUnit.SECONDS);
		assertThat(this.texts.poll(5, TimeUnit.SECONDS)).isEqualTo("after");
		assertThat(this.binaries).isEmpty();
		assertThat(this.events.events(session.id(), CryoBinaryMessageEvent.class)).hasSize(1);
		assertThat(this.events.events(session.id(), CryoUtf8MessageEvent.class)).hasSize(2);
		assertThat(session.isConnected()).isTrue();
	}

	@Test
	void pingsAreAnsweredBothWays() {
		// The server pings every 500 ms and closes a peer that left one unanswered; the client closes
		// when the server's pings stop for 2 s. Both stay open over many intervals.
		CryoClientSession session = connect(client().pingTimeout(Duration.ofSeconds(2)));
		CryoSession serverSide = serverSide(session);
		long receivedBefore = session.statistics().bytesReceived();
		Awaitility.await()
			.atMost(WAIT)
			.until(() -> session.statistics().bytesReceived() >= receivedBefore + 8 * 13);
		assertThat(session.isConnected()).isTrue();
		assertThat(serverSide.isOpen()).isTrue();
		assertThat(this.events.events(session.id(), CryoSessionClosedEvent.class)).isEmpty();
	}

	@Test
	void pushUpload() throws Exception {
		CryoClientSession session = connect();
		CryoSession serverSide = serverSide(session);
		byte[] upload = data(3 * 1024 * 1024 + 17, 3);
		CompletableFuture<Void> sent = session.stream(new ByteArrayInputStream(upload), "push-up", FlowBehaviour.PUSH);
		assertTransferred(serverSide.awaitStream("push-up", WAIT), FlowBehaviour.PUSH, -1, upload, sent);
	}

	@Test
	void pullUploadIsFetchedByTheServer() throws Exception {
		CryoClientSession session = connect();
		CryoSession serverSide = serverSide(session);
		byte[] upload = data(2 * 1024 * 1024 + 5, 4);
		CompletableFuture<Void> sent = session.stream(new ByteArrayInputStream(upload), "pull-up", FlowBehaviour.PULL);
		assertTransferred(serverSide.awaitStream("pull-up", WAIT), FlowBehaviour.PULL, upload.length, upload, sent);
	}

	@Test
	void emptyPullUploadFinishes() throws Exception {
		CryoClientSession session = connect();
		CryoSession serverSide = serverSide(session);
		CompletableFuture<Void> sent = session.stream(new ByteArrayInputStream(new byte[0]), "empty",
				FlowBehaviour.PULL);
		assertTransferred(serverSide.awaitStream("empty", WAIT), FlowBehaviour.PULL, 0, new byte[0], sent);
	}

	@Test
	void pushDownload() throws Exception {
		CryoClientSession session = connect();
		CryoSession serverSide = serverSide(session);
		byte[] download = data(3 * 1024 * 1024 + 1, 5);
		CompletableFuture<Void> sent = serverSide.stream(new ByteArrayInputStream(download), "push-down");
		assertTransferred(session.awaitStream("push-down", WAIT), FlowBehaviour.PUSH, -1, download, sent);
	}

	@Test
	void pullDownloadIsFetchedWholeByTheClient() throws Exception {
		CryoClientSession session = connect();
		CryoSession serverSide = serverSide(session);
		byte[] download = data(2 * 1024 * 1024 + 3, 6);
		CompletableFuture<Void> sent = serverSide.stream(new ByteArrayInputStream(download), "pull-down",
				FlowBehaviour.PULL);
		assertTransferred(session.awaitStream("pull-down", WAIT), FlowBehaviour.PULL, download.length, download, sent);
	}

	@Test
	void pullDownloadInRangesTheClientRequests() throws Exception {
		CryoClientSession session = connect();
		CryoSession serverSide = serverSide(session);
		byte[] download = data(300_000, 7);
		List<CompletableFuture<Void>> ranges = new CopyOnWriteArrayList<>();
		CompletableFuture<IncomingStream> started = new CompletableFuture<>();
		session.addListener(new CryoClientListener() {

			@Override
			public void onStreamStarted(CryoClientSession session, IncomingStream stream) {
				// Asked from the listener, before the client would fetch the whole transaction.
				ranges.add(stream.requestRange(1000, 2000));
				ranges.add(stream.requestRange(100_000, 170_000));
				ranges.add(stream.requestRange(download.length - 500, download.length + 100));
				started.complete(stream);
			}

		});
		CompletableFuture<Void> sent = serverSide.stream(new ByteArrayInputStream(download), "ranged", FlowBehaviour.PULL);
		IncomingStream incoming = started.get(10, TimeUnit.SECONDS);
		byte[] expected = concat(Arrays.copyOfRange(download, 1000, 2000),
				Arrays.copyOfRange(download, 100_000, 170_000),
				Arrays.copyOfRange(download, download.length - 500, download.length));
		assertThat(incoming.inputStream().readAllBytes()).isEqualTo(expected);
		assertThat(ranges).hasSize(3).allSatisfy((range) -> assertThat(range).succeedsWithin(WAIT));
		// The last range reached the size: the server finished the transaction.
		assertThat(incoming.completion()).succeedsWithin(WAIT).isEqualTo((long) expected.length);
		assertThat(sent).succeedsWithin(WAIT);
	}

	@Test
	void rangesOfAPushedTransactionAreRefused() throws Exception {
		CryoClientSession session = connect();
		CryoSession serverSide = serverSide(session);
		CompletableFuture<CompletableFuture<Void>> range = new CompletableFuture<>();
		session.addListener(new CryoClientListener() {

			@Override
			public void onStreamStarted(CryoClientSession session, IncomingStream stream) {
				range.complete(stream.requestRange(0, 10));
			}

		});
		serverSide.stream(new ByteArrayInputStream(data(100, 8)), "pushed");
		assertThat(range.get(10, TimeUnit.SECONDS)).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(IllegalStateException.class);
		assertThat(session.awaitStream("pushed", WAIT).get(10, TimeUnit.SECONDS).inputStream().readAllBytes())
			.hasSize(100);
	}

	@Test
	void clientCancelsAPushedDownload() throws Exception {
		CryoClientSession session = connect();
		CryoSession serverSide = serverSide(session);
		try (SubmissionPublisher<ByteBuffer> endless = new SubmissionPublisher<>()) {
			CompletableFuture<Void> sent = serverSide.stream(endless, "endless-down");
			// One whole chunk: a sender reads its source until a chunk is full.
			endless.submit(ByteBuffer.wrap(data(CHUNK, 9)));
			IncomingStream incoming = session.awaitStream("endless-down", WAIT).get(10, TimeUnit.SECONDS);
			Awaitility.await().atMost(WAIT).until(() -> incoming.received() == CHUNK);
			assertThat(incoming.cancel()).succeedsWithin(WAIT);
			assertThat(incoming.completion()).failsWithin(WAIT)
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(CryoTransactionException.class);
			assertCancelledByThePeer(sent);
		}
		assertThat(session.isConnected()).isTrue();
	}

	@Test
	void clientCancelsAnOfferedPullDownloadBeforeFetching() throws Exception {
		CryoClientSession session = connect();
		CryoSession serverSide = serverSide(session);
		CompletableFuture<CompletableFuture<Void>> cancelled = new CompletableFuture<>();
		session.addListener(new CryoClientListener() {

			@Override
			public void onStreamStarted(CryoClientSession session, IncomingStream stream) {
				cancelled.complete(stream.cancel());
			}

		});
		CompletableFuture<Void> sent = serverSide.stream(new ByteArrayInputStream(data(500_000, 10)), "unwanted",
				FlowBehaviour.PULL);
		assertThat(cancelled.get(10, TimeUnit.SECONDS)).succeedsWithin(WAIT);
		assertCancelledByThePeer(sent);
	}

	@Test
	void serverCancelsAnUpload() throws Exception {
		CryoClientSession session = connect();
		CryoSession serverSide = serverSide(session);
		try (SubmissionPublisher<ByteBuffer> endless = new SubmissionPublisher<>()) {
			CompletableFuture<Void> sent = session.stream(endless, "endless-up", FlowBehaviour.PUSH);
			// One whole chunk: a sender reads its source until a chunk is full.
			endless.submit(ByteBuffer.wrap(data(CHUNK, 11)));
			IncomingStream incoming = serverSide.awaitStream("endless-up", WAIT).get(10, TimeUnit.SECONDS);
			Awaitility.await().atMost(WAIT).until(() -> incoming.received() == CHUNK);
			assertThat(incoming.cancel()).succeedsWithin(WAIT);
			assertCancelledByThePeer(sent);
		}
		// The session goes on: another upload works.
		byte[] after = data(10_000, 12);
		CompletableFuture<Void> sent = session.stream(new ByteArrayInputStream(after), "after", FlowBehaviour.PUSH);
		assertThat(serverSide.awaitStream("after", WAIT).get(10, TimeUnit.SECONDS).inputStream().readAllBytes())
			.isEqualTo(after);
		assertThat(sent).succeedsWithin(WAIT);
	}

	@Test
	void campSessionHasNoTxFlow() {
		CryoClientSession session = connect();
		assertThat(session.setIncomingFlow(FlowBehaviour.PULL)).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(IllegalStateException.class);
		assertThat(serverSide(session).setIncomingFlow(FlowBehaviour.PULL)).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(IllegalStateException.class);
	}

	@Test
	void clientClosesCleanlyWithByeAnd4000() {
		CryoClientSession session = connect();
		serverSide(session);
		session.close("Done here.");
		assertThat(session.closeFuture()).succeedsWithin(WAIT)
			.satisfies((info) -> assertThat(info.code()).isEqualTo(CloseCodes.GRACEFUL));
		CryoSessionClosedEvent closed = this.events.await(session.id(), CryoSessionClosedEvent.class);
		assertThat(closed.code()).isEqualTo(CloseCodes.GRACEFUL);
		assertThat(closed.reason()).isEqualTo("Done here.");
		assertThat(closed.initiator()).isEqualTo(CloseInfo.Initiator.PEER);
	}

	@Test
	void serverClosesCleanlyWithByeAnd4000() {
		CryoClientSession session = connect();
		serverSide(session).close("Server says bye.");
		assertThat(session.closeFuture()).succeedsWithin(WAIT).satisfies((info) -> {
			assertThat(info.code()).isEqualTo(CloseCodes.GRACEFUL);
			assertThat(info.reason()).isEqualTo("Server says bye.");
			assertThat(info.initiator()).isEqualTo(CloseInfo.Initiator.PEER);
		});
		assertThat(this.events.await(session.id(), CryoSessionClosedEvent.class).code())
			.isEqualTo(CloseCodes.GRACEFUL);
	}

	@Test
	void cryoV1ClientIsServedOnTheSameEndpoint() throws Exception {
		CryoClientSession camp = connect();
		CryoClientSession v1 = connect(client().dialect(CryoClientDialect.CRYO_V1));
		assertThat(serverSide(v1).dialect()).isEqualTo("cryo-v1");
		assertThat(v1.dialect()).isEqualTo("cryo-v1");
		v1.sendUtf8("v1").get(5, TimeUnit.SECONDS);
		assertThat(this.texts.poll(5, TimeUnit.SECONDS)).isEqualTo("v1");
		camp.sendUtf8("camp").get(5, TimeUnit.SECONDS);
		assertThat(this.texts.poll(5, TimeUnit.SECONDS)).isEqualTo("camp");
	}

}
