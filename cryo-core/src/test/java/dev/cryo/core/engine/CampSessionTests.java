package dev.cryo.core.engine;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.cryo.core.dialect.camp.CampDialect;
import dev.cryo.core.dialect.v1.CryoV1Dispatcher;
import dev.cryo.core.engine.TestTransport.CloseCall;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxCancelFrame;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.core.transaction.CryoTransactionException;
import dev.cryo.core.transaction.IncomingStream;
import dev.cryo.core.transaction.StreamSource;
import dev.cryo.core.transaction.TransactionOptions;

import static dev.cryo.core.engine.SessionFixture.SID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A CAMP session on the shared engine (camp.md §4, §7, §8): the 13-byte ping, readiness without
 * the peer's ENDPOINT_INFO, the ACK of everything the published clients wait for, refusals with
 * TX_CANCEL, invalid fetches, push and pull in both directions, ranges, cancels and the 1 MiB
 * limit. Transactions run on the test's thread (or on a queue the test drains), so every frame
 * is on the wire when the call that caused it returns.
 */
class CampSessionTests {

	private static final int ONE_MIB = 1024 * 1024;

	private static final TransactionLayout CAMP = TransactionLayout.CAMP;

	@TempDir
	Path temporary;

	private final SessionFixture fixture = new SessionFixture().dialect(CampDialect.INSTANCE)
		.streamExecutor(Runnable::run);

	@AfterEach
	void stopTimers() {
		this.fixture.close();
	}

	/** Chunks of 4 bytes, windows of 4 bytes, at most 100 bytes and 8 transactions, one malformed frame. */
	private SessionFixture limited() {
		return limited(8);
	}

	private SessionFixture limited(int maxConcurrent) {
		TransactionOptions transactions = new TransactionOptions(4, ONE_MIB, 100, maxConcurrent, 4, this.temporary);
		return this.fixture.options(new SessionOptions(Duration.ofSeconds(30), Duration.ZERO, 1, Duration.ofSeconds(30),
				BackpressureSettings.SEED_DEFAULTS, Duration.ofSeconds(30), transactions)
			.withFirstFrameDelay(Duration.ZERO));
	}

	// ---- heartbeat (§4, §8 rule 9)

	@Test
	void pingIsThirteenBytesAndTakesNoAckNumber() {
		ProtocolSession session = this.fixture.open();
		session.heartbeatTick();
		session.sendUtf8("next");
		byte[] ping = this.fixture.transport.messages().get(0);
		assertThat(ping).hasSize(13);
		assertThat(Arrays.copyOfRange(ping, 9, 13)).isEqualTo(bytes("ping"));
		// ENDPOINT_INFO took 0; the ping took nothing.
		assertThat(this.fixture.transport.sent()).containsExactly(PingPongFrame.ping(SID, 0),
				Utf8DataFrame.of(SID, 1, "next"));
	}

	@Test
	void peersPingGetsAThirteenBytePongAndItsPongNoAnswer() {
		this.fixture.open();
		this.fixture.receive(PingPongFrame.ping(SID, 0));
		this.fixture.receive(PingPongFrame.pong(SID, 0));
		assertThat(this.fixture.transport.messages()).singleElement().satisfies((pong) -> {
			assertThat(pong).hasSize(13);
			assertThat(Arrays.copyOfRange(pong, 9, 13)).isEqualTo(bytes("pong"));
		});
	}

	// ---- readiness without ENDPOINT_INFO (§8 rule 2)

	@Test
	void browserClientsUploadIsHandledInAReadySession() {
		ProtocolSession session = this.fixture.start();
		// camp-client-browser: its ACK of our ENDPOINT_INFO comes first, then its data frames from ack 0.
		this.fixture.receive(new AckFrame(SID, 0));
		assertThat(session.state()).isEqualTo(SessionState.HANDSHAKING);
		this.fixture.log.clear();
		this.fixture.receive(push(0, 0, "upload"));
		assertThat(this.fixture.log.events()).containsExactly("onReady", "send ACK 0", "onStreamStarted upload");
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
		assertThat(session.peerVersion()).isEqualTo(1);
		assertThat(session.transactionLayout()).isEqualTo(CAMP);
	}

	@Test
	void idleBrowserClientIsReadyAGraceAfterItsAckAndCanBeStreamedTo() {
		ProtocolSession session = this.fixture.manualClock().start();
		this.fixture.receive(new AckFrame(SID, 0));
		this.fixture.clock.advance(SessionOptions.DEFAULT_ENDPOINT_INFO_GRACE);
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
		assertThat(session.transactionLayout()).isEqualTo(CAMP);
		session.stream(source("abc"), "download");
		assertThat(this.fixture.transport.sent(TxStartFrame.class)).singleElement()
			.satisfies((start) -> assertThat(start.layout()).isEqualTo(CAMP));
	}

	@Test
	void silentPeerIsClosedWith4001() {
		this.fixture.manualClock()
			.options(SessionFixture.options(Duration.ofSeconds(30), Duration.ofSeconds(10), 16))
			.start();
		this.fixture.clock.advance(Duration.ofSeconds(10));
		assertThat(this.fixture.transport.closes())
			.containsExactly(new CloseCall(4001, CryoV1Dispatcher.NO_ENDPOINT_INFO_REASON));
	}

	@Test
	void nodeClientsEndpointInfoOpensTheSessionAsInCryoV1() {
		ProtocolSession session = this.fixture.start();
		this.fixture.receive(new EndpointInfoFrame(SID, 0, 1, 1));
		assertThat(this.fixture.transport.sent()).endsWith(new AckFrame(SID, 0));
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
		assertThat(this.fixture.handler.readyCount()).isOne();
	}

	// ---- transaction ids (§8 rule 5)

	@Test
	void txidOfOurTransactionIsTheAckOfItsTxStartSoTheSpuriousAckIsHarmless() {
		ProtocolSession session = limited().open();
		CompletableFuture<Void> text = session.sendUtf8("pending");
		CompletableFuture<Void> sent = session.stream(source("abcdef"), "down");
		TxStartFrame start = this.fixture.transport.sent(TxStartFrame.class).get(0);
		assertThat(start.ack()).isEqualTo(2);
		assertThat(start.txid()).isEqualTo(2);
		this.fixture.receive(new AckFrame(SID, 2));
		// camp-client-browser's second ACK, with the txid: a number no longer pending.
		this.fixture.receive(new AckFrame(SID, 2));
		assertThat(text).isNotDone();
		assertThat(this.fixture.transport.sent(TxChunkFrame.class)).extracting(TxChunkFrame::txid).containsOnly(2);
		TxFinishFrame finish = this.fixture.transport.sent(TxFinishFrame.class).get(0);
		assertThat(finish.txid()).isEqualTo(2);
		this.fixture.receive(new AckFrame(SID, finish.ack()));
		assertThat(sent).isCompleted();
		assertThat(session.pendingAcks()).isOne();
		session.stream(source("x"), "again");
		TxStartFrame second = this.fixture.transport.sent(TxStartFrame.class).get(1);
		assertThat(second.txid()).isEqualTo(second.ack()).isEqualTo(finish.ack() + 1);
	}

	// ---- everything the clients wait for is ACKed (§8 rule 6)

	@Test
	void everyFrameWithAnAckIsAckedWhateverHappensToIt() {
		limited().open();
		this.fixture.receive(push(1, 7, "a"));
		// The same txid again: the first stream is replaced, and both are ACKed.
		this.fixture.receive(push(2, 7, "a"));
		this.fixture.receive(new TxFinishFrame(SID, 3, 99));
		this.fixture.receive(new TxCancelFrame(SID, 4, 99));
		this.fixture.receive(new TxFinishFrame(SID, 5, 7));
		this.fixture.receive(fetch(6, 99, 0, 10));
		assertThat(this.fixture.transport.sent(AckFrame.class)).extracting(AckFrame::ack)
			.containsExactly(1, 2, 3, 4, 5, 6);
		List<IncomingStream> streams = this.fixture.handler.streams();
		assertThat(streams.get(0).completion()).isCompletedExceptionally();
		assertThat(streams.get(1).completion()).isCompletedWithValue(0L);
	}

	// ---- refusals (§8 rule 7)

	@ParameterizedTest(name = "{0}")
	@MethodSource("refusedStarts")
	void refusedTransactionIsAckedThenCancelledAndNotCountedAsMalformed(String why, byte[] message) {
		ProtocolSession session = limited().open();
		this.fixture.receive(message);
		assertThat(this.fixture.transport.sent()).containsExactly(new AckFrame(SID, 5), new TxCancelFrame(SID, 1, 9));
		// The TX_CANCEL is tracked: the clients ACK it when they know the transaction.
		assertThat(session.pendingAcks()).isOne();
		this.fixture.receive(new AckFrame(SID, 1));
		assertThat(session.pendingAcks()).isZero();
		// One malformed frame would have closed this session.
		assertThat(this.fixture.transport.isClosed()).isFalse();
		assertThat(this.fixture.handler.streams()).isEmpty();
	}

	static Stream<Arguments> refusedStarts() {
		return Stream.of(Arguments.of("name over 1 KiB", rawStart(5, 9, -1, 0, new byte[1025])),
				Arguments.of("behaviour 2", rawStart(5, 9, -1, 2, bytes("x"))),
				Arguments.of("pull of unknown size", rawStart(5, 9, -1, 1, bytes("x"))),
				Arguments.of("size below -1", rawStart(5, 9, -2, 0, bytes("x"))),
				Arguments.of("announced size over the maximum", rawStart(5, 9, 101, 0, bytes("x"))));
	}

	@Test
	void refusedTransactionOfAPeerWithoutEndpointInfoOpensTheSessionFirst() {
		ProtocolSession session = limited().start();
		this.fixture.receive(new AckFrame(SID, 0));
		this.fixture.log.clear();
		this.fixture.receive(rawStart(0, 9, -1, 2, bytes("x")));
		assertThat(this.fixture.log.events()).containsExactly("onReady", "send ACK 0", "send TX_CANCEL");
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
	}

	@Test
	void transactionBeyondTheConcurrencyLimitIsAckedThenCancelled() {
		limited(1).open();
		this.fixture.receive(push(1, 1, "first"));
		this.fixture.receive(push(2, 2, "second"));
		assertThat(this.fixture.transport.sent()).containsExactly(new AckFrame(SID, 1), new AckFrame(SID, 2),
				new TxCancelFrame(SID, 1, 2));
		assertThat(this.fixture.handler.streams()).extracting(IncomingStream::name).containsExactly("first");
	}

	@Test
	void transactionThatGrowsOverTheMaximumIsCancelledNotAnsweredWithAnError() {
		limited().open();
		this.fixture.receive(push(1, 4, "big"));
		this.fixture.receive(chunk(4, 0, "x".repeat(60)));
		this.fixture.receive(chunk(4, 60, "x".repeat(41)));
		assertThat(this.fixture.transport.sent()).containsExactly(new AckFrame(SID, 1), new TxCancelFrame(SID, 1, 4));
		assertThat(this.fixture.handler.streams().get(0).completion()).isCompletedExceptionally();
	}

	@Test
	void refusedTransactionFromAPeerWithoutTransactionsEndsTheSession() {
		limited().open(0);
		this.fixture.receive(rawStart(5, 9, -1, 2, bytes("x")));
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4001,
				"PROTOCOL FEATURE MISMATCH - The connected client does not support features in the namespace "
						+ "'CAMP.Transaction' !"));
		assertThat(this.fixture.transport.sent()).isEmpty();
	}

	// ---- invalid fetches (§8 rule 8)

	@Test
	void invalidFetchIsAckedThenAnsweredWithAnErrorNamingTheTxidAndNoChunks() {
		ProtocolSession session = limited().open();
		session.stream(source("0123456789"), "file", FlowBehaviour.PULL);
		TxStartFrame start = this.fixture.transport.sent(TxStartFrame.class).get(0);
		int txid = start.txid();
		this.fixture.receive(new AckFrame(SID, start.ack()));
		this.fixture.transport.clear();
		this.fixture.receive(fetch(10, 99, 0, 4));
		this.fixture.receive(rawFetch(11, txid, 5, 5));
		this.fixture.receive(rawFetch(12, txid, 6, 2));
		this.fixture.receive(fetch(13, txid, 10, 20));
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.ACK, FrameType.ERROR, FrameType.ACK,
				FrameType.ERROR, FrameType.ACK, FrameType.ERROR, FrameType.ACK, FrameType.ERROR);
		assertThat(this.fixture.transport.sent(AckFrame.class)).extracting(AckFrame::ack).containsExactly(10, 11, 12, 13);
		List<String> errors = this.fixture.transport.sent(ErrorFrame.class).stream().map(ErrorFrame::message).toList();
		assertThat(errors.get(0)).contains("txid 99");
		assertThat(errors.subList(1, 4)).allSatisfy((error) -> assertThat(error).contains("txid " + txid));
		assertThat(this.fixture.transport.isClosed()).isFalse();
	}

	// ---- push, both ways (§7.1, §8 rules 3 and 4)

	@Test
	void ourPushAnnouncesNoSizeAndWritesStartOffsets() {
		ProtocolSession session = limited().open();
		CompletableFuture<Void> sent = session.stream(source("0123456789"), "down");
		byte[] start = this.fixture.transport.messages().get(0);
		assertThat(start).hasSize(26 + 4);
		assertThat(ByteBuffer.wrap(start).getLong(17)).isEqualTo(-1);
		assertThat(start[25]).isZero();
		assertThat(Arrays.copyOfRange(start, 26, 30)).isEqualTo(bytes("down"));
		TxStartFrame frame = this.fixture.transport.sent(TxStartFrame.class).get(0);
		this.fixture.receive(new AckFrame(SID, frame.ack()));
		List<TxChunkFrame> chunks = this.fixture.transport.sent(TxChunkFrame.class);
		assertThat(chunks).extracting(TxChunkFrame::position).containsExactly(0L, 4L, 8L);
		assertThat(chunks).extracting(TxChunkFrame::payloadLength).containsExactly(4, 4, 2);
		this.fixture.receive(new AckFrame(SID, this.fixture.transport.sent(TxFinishFrame.class).get(0).ack()));
		assertThat(sent).isCompleted();
	}

	@ParameterizedTest(name = "offsets {1}, {2}, {3}")
	@MethodSource("offsetStyles")
	void offsetsWeReadAreIgnoredAndChunksAppendedInArrivalOrder(String sender, long first, long second, long third)
			throws Exception {
		limited().open();
		this.fixture.receive(push(1, 3, "upload"));
		this.fixture.receive(chunk(3, first, "abcd"));
		this.fixture.receive(chunk(3, second, "efgh"));
		this.fixture.receive(chunk(3, third, "ij"));
		this.fixture.receive(new TxFinishFrame(SID, 2, 3));
		IncomingStream stream = this.fixture.handler.streams().get(0);
		assertThat(stream.completion()).isCompletedWithValue(10L);
		assertThat(stream.inputStream().readAllBytes()).isEqualTo(bytes("abcdefghij"));
	}

	static Stream<Arguments> offsetStyles() {
		return Stream.of(Arguments.of("camp-client-node: start offsets", 0, 4, 8),
				Arguments.of("camp-client-browser: end offsets", 4, 8, 10),
				Arguments.of("camp-server: one more per chunk", 0, 5, 10));
	}

	// ---- pull, we offer (§7.2, §7.4)

	@Test
	void ourPullOfferAnnouncesItsSizeAndServesFetchesInArrivalOrder() {
		TaskQueue tasks = new TaskQueue();
		ProtocolSession session = limited().streamExecutor(tasks).open();
		CompletableFuture<Void> sent = session.stream(source("0123456789"), "file", FlowBehaviour.PULL);
		tasks.runAll();
		TxStartFrame start = this.fixture.transport.sent(TxStartFrame.class).get(0);
		assertThat(start.size()).isEqualTo(10);
		assertThat(start.behaviour()).isEqualTo(FlowBehaviour.PULL);
		assertThat(this.fixture.transport.messages().get(0)[25]).isEqualTo((byte) 1);
		int txid = start.txid();
		this.fixture.receive(new AckFrame(SID, start.ack()));
		tasks.runAll();
		// Nothing before the first fetch.
		assertThat(this.fixture.transport.sent(TxChunkFrame.class)).isEmpty();

		// Three fetches before any is served: an overlap, and a range past the end.
		this.fixture.receive(fetch(1, txid, 0, 4));
		this.fixture.receive(fetch(2, txid, 2, 5));
		this.fixture.receive(fetch(3, txid, 7, 100));
		assertThat(this.fixture.transport.sent(AckFrame.class)).extracting(AckFrame::ack).containsExactly(1, 2, 3);
		tasks.runAll();
		List<TxChunkFrame> chunks = this.fixture.transport.sent(TxChunkFrame.class);
		assertThat(chunks).extracting(TxChunkFrame::position).containsExactly(0L, 2L, 7L);
		assertThat(chunks).extracting((chunk) -> text(chunk.payload())).containsExactly("0123", "234", "789");
		// TX_FINISH right after the fetch whose end reached the size.
		assertThat(this.fixture.transport.sentTypes()).endsWith(FrameType.TX_CHUNK, FrameType.TX_FINISH);
		this.fixture.receive(new AckFrame(SID, this.fixture.transport.sent(TxFinishFrame.class).get(0).ack()));
		assertThat(sent).isCompleted();
		// The transaction is over: a fetch for it is one for an unknown txid.
		this.fixture.transport.clear();
		this.fixture.receive(fetch(4, txid, 0, 1));
		tasks.runAll();
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.ACK, FrameType.ERROR);
	}

	@Test
	void emptyPullOfferFinishesAtTheFetchOfItsFirstByte() {
		ProtocolSession session = limited().open();
		session.stream(source(""), "empty", FlowBehaviour.PULL);
		TxStartFrame start = this.fixture.transport.sent(TxStartFrame.class).get(0);
		assertThat(start.size()).isZero();
		this.fixture.receive(new AckFrame(SID, start.ack()));
		this.fixture.receive(fetch(1, start.txid(), 0, 1));
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.TX_START, FrameType.ACK,
				FrameType.TX_FINISH);
	}

	// ---- pull, we receive (§8 rule 3)

	@Test
	void offeredTransactionIsFetchedOneWindowAtATimeClippedToItsSize() throws Exception {
		limited().open();
		this.fixture.receive(pull(1, 3, "offer", 10));
		assertThat(this.fixture.transport.sent()).containsExactly(new AckFrame(SID, 1), fetch(1, 3, 0, 4));
		this.fixture.receive(chunk(3, 0, "ab"));
		// Half a window: nothing more is asked for yet.
		assertThat(fetches()).hasSize(1);
		this.fixture.receive(chunk(3, 2, "cd"));
		assertThat(fetches()).last().isEqualTo(fetch(2, 3, 4, 8));
		this.fixture.receive(chunk(3, 4, "efgh"));
		assertThat(fetches()).last().isEqualTo(fetch(3, 3, 8, 10));
		this.fixture.receive(chunk(3, 8, "ij"));
		assertThat(fetches()).hasSize(3);
		this.fixture.receive(new TxFinishFrame(SID, 2, 3));
		IncomingStream stream = this.fixture.handler.streams().get(0);
		assertThat(stream.behaviour()).isEqualTo(FlowBehaviour.PULL);
		assertThat(stream.announcedSize()).isEqualTo(10);
		assertThat(stream.inputStream().readAllBytes()).isEqualTo(bytes("abcdefghij"));
	}

	@Test
	void emptyOfferedTransactionIsAskedForItsFirstByte() {
		limited().open();
		this.fixture.receive(pull(1, 3, "empty", 0));
		assertThat(fetches()).containsExactly(fetch(1, 3, 0, 1));
		this.fixture.receive(new TxFinishFrame(SID, 2, 3));
		assertThat(this.fixture.handler.streams().get(0).completion()).isCompletedWithValue(0L);
	}

	@Test
	void rangesAskedForByTheListenerAreFetchedInOrder() {
		AtomicReference<CompletableFuture<Void>> first = new AtomicReference<>();
		AtomicReference<CompletableFuture<Void>> last = new AtomicReference<>();
		this.fixture.handler.whenStreamStarted((stream) -> {
			first.set(stream.requestRange(0, 3));
			last.set(stream.requestRange(8, 12));
		});
		limited().open();
		this.fixture.receive(pull(1, 3, "offer", 10));
		// One at a time, and the listener's instead of the whole.
		assertThat(fetches()).containsExactly(fetch(1, 3, 0, 3));
		this.fixture.receive(chunk(3, 0, "abc"));
		assertThat(first.get()).isCompleted();
		assertThat(last.get()).isNotDone();
		assertThat(fetches()).last().isEqualTo(fetch(2, 3, 8, 12));
		this.fixture.receive(chunk(3, 8, "ij"));
		assertThat(last.get()).isCompleted();
		assertThat(fetches()).hasSize(2);
		this.fixture.receive(new TxFinishFrame(SID, 2, 3));
		assertThat(this.fixture.handler.streams().get(0).completion()).isCompletedWithValue(5L);
	}

	@Test
	void rangePastTheAnnouncedSizeFailsAtOnceAndDoesNotHoldUpTheNext() {
		AtomicReference<CompletableFuture<Void>> past = new AtomicReference<>();
		AtomicReference<CompletableFuture<Void>> next = new AtomicReference<>();
		this.fixture.handler.whenStreamStarted((stream) -> {
			past.set(stream.requestRange(10, 20));
			next.set(stream.requestRange(0, 2));
		});
		limited().open();
		this.fixture.receive(pull(1, 3, "offer", 10));
		// The peer would answer such a fetch with an ERROR and no chunks (camp.md §8 rule 8).
		assertThat(past.get()).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(IllegalArgumentException.class);
		assertThat(fetches()).containsExactly(fetch(1, 3, 0, 2));
		this.fixture.receive(chunk(3, 0, "ab"));
		assertThat(next.get()).isCompleted();
	}

	@Test
	void streamFetchedWholeRefusesRanges() {
		limited().open();
		this.fixture.receive(pull(1, 3, "offer", 10));
		this.fixture.receive(push(2, 4, "pushed"));
		for (IncomingStream stream : this.fixture.handler.streams()) {
			assertThat(stream.requestRange(0, 1)).failsWithin(Duration.ZERO)
				.withThrowableOfType(Exception.class)
				.withCauseInstanceOf(IllegalStateException.class);
		}
		assertThat(fetches()).hasSize(1);
	}

	// ---- cancel, both ways (§7.2)

	@Test
	void cancellingAnIncomingStreamSendsTxCancelForItsTxid() {
		ProtocolSession session = limited().open();
		this.fixture.receive(push(1, 5, "upload"));
		IncomingStream stream = this.fixture.handler.streams().get(0);
		CompletableFuture<Void> cancelled = stream.cancel();
		assertThat(this.fixture.transport.sent()).endsWith(new TxCancelFrame(SID, 1, 5));
		assertThat(stream.completion()).isCompletedExceptionally();
		// Chunks already under way are dropped as unknown; the TX_FINISH is still ACKed.
		this.fixture.receive(chunk(5, 0, "late"));
		this.fixture.receive(new TxFinishFrame(SID, 2, 5));
		assertThat(this.fixture.transport.sent()).endsWith(new AckFrame(SID, 2));
		this.fixture.receive(new AckFrame(SID, 1));
		assertThat(cancelled).isCompleted();
		assertThat(session.pendingAcks()).isZero();
	}

	@Test
	void peersTxCancelStopsOurTransactionWithoutTxFinish() {
		ProtocolSession session = limited().open();
		CompletableFuture<Void> sent = session.stream(source("abcdef"), "down");
		TxStartFrame start = this.fixture.transport.sent(TxStartFrame.class).get(0);
		this.fixture.receive(new TxCancelFrame(SID, 1, start.txid()));
		this.fixture.receive(new AckFrame(SID, start.ack()));
		assertThat(sent).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(CryoTransactionException.class);
		assertThat(this.fixture.transport.sentTypes()).containsExactly(FrameType.TX_START, FrameType.ACK);
	}

	@Test
	void peersTxCancelStopsOurPullOfferWithoutTxFinish() {
		ProtocolSession session = limited().open();
		CompletableFuture<Void> sent = session.stream(source("0123456789"), "file", FlowBehaviour.PULL);
		TxStartFrame start = this.fixture.transport.sent(TxStartFrame.class).get(0);
		this.fixture.receive(new AckFrame(SID, start.ack()));
		this.fixture.receive(fetch(1, start.txid(), 0, 4));
		this.fixture.receive(new TxCancelFrame(SID, 2, start.txid()));
		assertThat(sent).isCompletedExceptionally();
		this.fixture.receive(fetch(3, start.txid(), 4, 10));
		assertThat(this.fixture.transport.sentTypes()).doesNotContain(FrameType.TX_FINISH);
		assertThat(this.fixture.transport.sent(TxChunkFrame.class)).hasSize(1);
	}

	// ---- limits (§2, §8 rule 10)

	@Test
	void oversizedSendsThrowBeforeAnythingIsQueued() {
		ProtocolSession session = this.fixture.open();
		String text = "x".repeat(ONE_MIB + 1);
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> session.sendUtf8(text));
		assertThatExceptionOfType(CryoFrameException.class)
			.isThrownBy(() -> session.sendBinary(ByteBuffer.allocate(ONE_MIB + 1)));
		assertThatExceptionOfType(CryoFrameException.class).isThrownBy(() -> session.sendError(text));
		assertThat(session.pendingAcks()).isZero();
		assertThat(session.queuedFrames()).isZero();
		assertThat(this.fixture.transport.messages()).isEmpty();
		session.sendUtf8("x".repeat(ONE_MIB));
		assertThat(this.fixture.transport.messages()).singleElement()
			.satisfies((message) -> assertThat(message).hasSize(13 + ONE_MIB));
	}

	@Test
	void transactionNameOverOneKibFailsTheStreamAndNothingGoesOut() {
		ProtocolSession session = limited().open();
		CompletableFuture<Void> sent = session.stream(source("abc"), "n".repeat(1025));
		assertThat(sent).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.havingRootCause()
			.isInstanceOf(CryoFrameException.class);
		// No TX_START left, so no ERROR about it either.
		assertThat(this.fixture.transport.messages()).isEmpty();
		assertThat(session.pendingAcks()).isZero();
	}

	@Test
	void campHasNoTxFlow() {
		ProtocolSession session = this.fixture.open();
		assertThat(session.setIncomingFlow(FlowBehaviour.PULL)).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(IllegalStateException.class);
		assertThat(this.fixture.transport.messages()).isEmpty();
	}

	// ---- helpers

	private List<TxPullFrame> fetches() {
		return this.fixture.transport.sent(TxPullFrame.class);
	}

	private static TxStartFrame push(int ack, int txid, String name) {
		return new TxStartFrame(SID, ack, txid, name, TxStartFrame.UNKNOWN_SIZE, FlowBehaviour.PUSH, CAMP);
	}

	private static TxStartFrame pull(int ack, int txid, String name, long size) {
		return new TxStartFrame(SID, ack, txid, name, size, FlowBehaviour.PULL, CAMP);
	}

	private static TxChunkFrame chunk(int txid, long offset, String text) {
		return new TxChunkFrame(SID, txid, ByteBuffer.wrap(bytes(text)), offset, CAMP);
	}

	private static TxPullFrame fetch(int ack, int txid, long start, long end) {
		return new TxPullFrame(SID, ack, txid, start, end, CAMP);
	}

	/** A CAMP TX_START byte for byte, fields the codec would refuse included (camp.md §4). */
	private static byte[] rawStart(int ack, int txid, long size, int behaviour, byte[] name) {
		return ByteBuffer.allocate(26 + name.length)
			.putLong(SID.asLong())
			.put((byte) 0x00)
			.putInt(ack)
			.putInt(txid)
			.putLong(size)
			.put((byte) behaviour)
			.put(name)
			.array();
	}

	/** A CAMP TX_FETCH byte for byte, an empty or reversed range included. */
	private static byte[] rawFetch(int ack, int txid, long start, long end) {
		return ByteBuffer.allocate(33)
			.putLong(SID.asLong())
			.put((byte) 0x03)
			.putInt(ack)
			.putInt(txid)
			.putLong(start)
			.putLong(end)
			.array();
	}

	private static StreamSource source(String text) {
		return StreamSource.of(new ByteArrayInputStream(bytes(text)));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(ByteBuffer payload) {
		return StandardCharsets.UTF_8.decode(payload).toString();
	}

	/** Holds the work of transactions until the test runs it, so that frames can pile up first. */
	private static final class TaskQueue implements Executor {

		private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

		@Override
		public synchronized void execute(Runnable task) {
			this.tasks.add(task);
		}

		void runAll() {
			Runnable next;
			while ((next = poll()) != null) {
				next.run();
			}
		}

		private synchronized Runnable poll() {
			return this.tasks.poll();
		}

	}

}
