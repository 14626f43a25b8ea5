package dev.cryo.core.transaction;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.cryo.core.engine.ProtocolHandler;
import dev.cryo.core.engine.SessionOptions;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.TxCancelFrame;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transactions (cryo-v1.md §10) between a server-role and a client-role session of the shared
 * engine: push of every size class, pull windows, each pull sender rule, cancel, limits,
 * replacement and the end of the session.
 */
class TransactionTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@TempDir
	Path temporary;

	private SessionPair pair;

	@AfterEach
	void close() {
		if (this.pair != null) {
			this.pair.close();
		}
	}

	private SessionPair pair(TransactionOptions transactions) {
		SessionOptions options = new SessionOptions(Duration.ofSeconds(10), Duration.ZERO, 16, Duration.ofSeconds(5),
				dev.cryo.core.engine.BackpressureSettings.SEED_DEFAULTS, Duration.ZERO, transactions);
		this.pair = new SessionPair(options, new ProtocolHandler() {
		}, new ProtocolHandler() {
		});
		return this.pair;
	}

	private TransactionOptions options(long memoryThreshold, long maxSize, int maxConcurrent, long pullWindow) {
		return new TransactionOptions(64 * 1024, memoryThreshold, maxSize, maxConcurrent, pullWindow, this.temporary);
	}

	private TransactionOptions defaults() {
		return options(1L << 20, 0, 8, 1L << 20);
	}

	/** Byte i is i mod 251, as the sample app's download contract has it. */
	static byte[] data(int size) {
		byte[] data = new byte[size];
		for (int i = 0; i < size; i++) {
			data[i] = (byte) (i % 251);
		}
		return data;
	}

	static String sha256(byte[] data) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
	}

	static byte[] readAll(IncomingStream stream) throws IOException {
		try (InputStream in = stream.inputStream()) {
			return in.readAllBytes();
		}
	}

	private List<TxChunkFrame> chunksFromServer(int txid) {
		List<TxChunkFrame> chunks = new ArrayList<>();
		for (Frame frame : this.pair.serverSent) {
			if (frame instanceof TxChunkFrame chunk && chunk.txid() == txid) {
				chunks.add(chunk);
			}
		}
		return chunks;
	}

	private static byte[] concat(List<TxChunkFrame> chunks) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (TxChunkFrame chunk : chunks) {
			ByteBuffer payload = chunk.payload();
			byte[] bytes = new byte[payload.remaining()];
			payload.get(bytes);
			out.writeBytes(bytes);
		}
		return out.toByteArray();
	}

	@ParameterizedTest(name = "{0} bytes")
	@ValueSource(ints = { 0, 1, 65_536, 65_537, 3 * 1024 * 1024 + 7 })
	void pushDeliversEverySizeByteExact(int size) throws Exception {
		SessionPair pair = pair(defaults());
		byte[] data = data(size);
		CompletableFuture<Void> sent = pair.server.stream(StreamSource.of(new ByteArrayInputStream(data)), "file");
		IncomingStream stream = pair.client.awaitStream("file", WAIT).get(20, TimeUnit.SECONDS);
		assertThat(sha256(readAll(stream))).isEqualTo(sha256(data));
		assertThat(sent).succeedsWithin(WAIT);
		assertThat(stream.completion()).succeedsWithin(WAIT).isEqualTo((long) size);
		int expectedChunks = (size + 65_535) / 65_536;
		assertThat(chunksFromServer(stream.txid())).hasSize(expectedChunks);
		// Read to the end: the spill file, if there was one, is gone.
		assertThat(stream.spillFile()).isNull();
		assertThat(Files.list(this.temporary)).isEmpty();
	}

	@Test
	void anEmptyNameBecomesAnonymous() throws Exception {
		SessionPair pair = pair(defaults());
		pair.server.stream(StreamSource.of(new ByteArrayInputStream(data(10))), "");
		IncomingStream stream = pair.client.awaitStream("anonymous", WAIT).get(20, TimeUnit.SECONDS);
		assertThat(stream.name()).isEqualTo("anonymous");
		assertThat(pair.serverSent).filteredOn(TxStartFrame.class::isInstance)
			.singleElement()
			.satisfies((frame) -> assertThat(((TxStartFrame) frame).name()).isEqualTo("anonymous"));
	}

	@Test
	void pathsAndPublishersAreSourcesToo() throws Exception {
		SessionPair pair = pair(defaults());
		byte[] data = data(200_000);
		Path file = Files.write(this.temporary.resolve("source.bin"), data);
		pair.server.stream(StreamSource.of(file), "from-file");
		assertThat(sha256(readAll(pair.client.awaitStream("from-file", WAIT).get(20, TimeUnit.SECONDS))))
			.isEqualTo(sha256(data));
		java.util.concurrent.SubmissionPublisher<ByteBuffer> publisher = new java.util.concurrent.SubmissionPublisher<>();
		pair.server.stream(StreamSource.of(publisher), "from-publisher");
		IncomingStream stream = pair.client.awaitStream("from-publisher", WAIT).get(20, TimeUnit.SECONDS);
		for (int offset = 0; offset < data.length; offset += 30_000) {
			publisher.submit(ByteBuffer.wrap(data, offset, Math.min(30_000, data.length - offset)));
		}
		publisher.close();
		assertThat(sha256(readAll(stream))).isEqualTo(sha256(data));
	}

	@Test
	void interleavedConcurrentTransactionsStayApart() throws Exception {
		SessionPair pair = pair(defaults());
		List<byte[]> payloads = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			byte[] data = data(500_000 + i * 70_001);
			data[0] = (byte) i;
			payloads.add(data);
			pair.server.stream(StreamSource.of(new ByteArrayInputStream(data)), "part-" + i);
		}
		for (int i = 0; i < 4; i++) {
			IncomingStream stream = pair.client.awaitStream("part-" + i, WAIT).get(20, TimeUnit.SECONDS);
			assertThat(sha256(readAll(stream))).isEqualTo(sha256(payloads.get(i)));
		}
	}

	@Test
	void pullModeRequestsWindowsSmallerThanTheData() throws Exception {
		SessionPair pair = pair(options(1L << 20, 0, 8, 100_000));
		assertThat(pair.client.setIncomingFlow(FlowBehaviour.PULL)).succeedsWithin(WAIT);
		// The data ends inside the tenth window, so TX_FINISH completes it (receiver rule 3).
		byte[] data = data(999_999);
		CompletableFuture<Void> sent = pair.server.stream(StreamSource.of(new ByteArrayInputStream(data)), "pulled");
		IncomingStream stream = pair.client.awaitStream("pulled", WAIT).get(20, TimeUnit.SECONDS);
		assertThat(sha256(readAll(stream))).isEqualTo(sha256(data));
		assertThat(sent).succeedsWithin(WAIT);
		// Receiver rule 2: each window starts where the previous one ended.
		List<TxPullFrame> pulls = pair.clientSent.stream()
			.filter(TxPullFrame.class::isInstance)
			.map(TxPullFrame.class::cast)
			.toList();
		assertThat(pulls).hasSize(10);
		for (int i = 0; i < pulls.size(); i++) {
			assertThat(pulls.get(i).start()).isEqualTo(i * 100_000L);
			assertThat(pulls.get(i).end()).isEqualTo((i + 1) * 100_000L);
		}
		// Sender rule 4: TX_FINISH once a request reaching the end was served.
		assertThat(pair.serverSent).filteredOn(TxFinishFrame.class::isInstance).hasSize(1);
	}

	/** A pull-mode transaction driven by hand: the client asks for pull but sends its own TX_PULLs. */
	private int manualPullTransaction(SessionPair pair, byte[] data) throws Exception {
		pair.client.sendTracked(new TxFlowFrame(SessionPair.SID, 0, FlowBehaviour.PULL)).get(20, TimeUnit.SECONDS);
		pair.server.stream(StreamSource.of(new ByteArrayInputStream(data)), "manual");
		return pair.client.awaitStream("manual", WAIT).get(20, TimeUnit.SECONDS).txid();
	}

	private void pull(int txid, long start, long end) throws Exception {
		this.pair.client.sendTracked(new TxPullFrame(SessionPair.SID, 0, txid, start, end)).get(20, TimeUnit.SECONDS);
	}

	@Test
	void pullSenderRulesOneToFiveServeExactlyTheRequestedRangesInOrder() throws Exception {
		SessionPair pair = pair(defaults());
		byte[] data = data(1000);
		int txid = manualPullTransaction(pair, data);
		Thread.sleep(200);
		// Rule 1: no chunk before the first TX_PULL.
		assertThat(chunksFromServer(txid)).isEmpty();
		pull(txid, 100, 200);
		SessionPair.await(() -> concat(chunksFromServer(txid)).length == 100, "the first range arrived");
		// Rule 5: ranges may repeat and skip.
		pull(txid, 100, 200);
		pull(txid, 500, 600);
		// Rule 2 and 4: the data ends inside the last range; TX_FINISH follows its chunks.
		pull(txid, 900, 5000);
		SessionPair.await(() -> pair.serverSent.stream().anyMatch(TxFinishFrame.class::isInstance), "TX_FINISH");
		byte[] expected = new byte[400];
		System.arraycopy(data, 100, expected, 0, 100);
		System.arraycopy(data, 100, expected, 100, 100);
		System.arraycopy(data, 500, expected, 200, 100);
		System.arraycopy(data, 900, expected, 300, 100);
		// Rule 3: requests are served in arrival order, never interleaved.
		assertThat(concat(chunksFromServer(txid))).isEqualTo(expected);
		int finishIndex = indexOf(pair.serverSent, TxFinishFrame.class);
		assertThat(pair.serverSent.subList(finishIndex, pair.serverSent.size()))
			.noneMatch(TxChunkFrame.class::isInstance);
	}

	@Test
	void pullSenderRulesSixAndSevenAnswerWithErrorFrames() throws Exception {
		SessionPair pair = pair(defaults());
		int txid = manualPullTransaction(pair, data(1000));
		// Rule 6: start > end.
		pull(txid, 300, 200);
		// Rule 7: unknown txid.
		pull(txid + 1000, 0, 10);
		SessionPair.await(() -> errorsFromServer().size() == 2, "two ERROR frames");
		assertThat(errorsFromServer()).containsExactly(
				"TX_PULL for txid " + txid + " has start 300 after end 200",
				"TX_PULL for unknown txid " + (txid + 1000));
		assertThat(chunksFromServer(txid)).isEmpty();
		// Finished transactions are unknown too.
		pull(txid, 0, 1000);
		SessionPair.await(() -> pair.serverSent.stream().anyMatch(TxFinishFrame.class::isInstance), "TX_FINISH");
		pull(txid, 0, 10);
		SessionPair.await(() -> errorsFromServer().size() == 3, "a third ERROR frame");
		assertThat(errorsFromServer().get(2)).isEqualTo("TX_PULL for unknown txid " + txid);
	}

	@Test
	void pullSenderRuleEightCancelStopsWithoutFinish() throws Exception {
		SessionPair pair = pair(defaults());
		byte[] data = data(1000);
		pair.client.sendTracked(new TxFlowFrame(SessionPair.SID, 0, FlowBehaviour.PULL)).get(20, TimeUnit.SECONDS);
		CompletableFuture<Void> sent = pair.server.stream(StreamSource.of(new ByteArrayInputStream(data)), "doomed");
		int txid = pair.client.awaitStream("doomed", WAIT).get(20, TimeUnit.SECONDS).txid();
		pair.client.sendTracked(new TxCancelFrame(SessionPair.SID, 0, txid)).get(20, TimeUnit.SECONDS);
		assertThat(sent).failsWithin(WAIT);
		pull(txid, 0, 1000);
		SessionPair.await(() -> errorsFromServer().size() == 1, "an ERROR for the cancelled txid");
		assertThat(pair.serverSent).noneMatch(TxFinishFrame.class::isInstance);
		assertThat(chunksFromServer(txid)).isEmpty();
	}

	@Test
	void cancelStopsAPushTransactionMidWay() throws Exception {
		SessionPair pair = pair(defaults());
		CountDownLatch proceed = new CountDownLatch(1);
		CompletableFuture<Void> sent = pair.server.stream(blockingSource(100_000, proceed), "slow");
		IncomingStream stream = pair.client.awaitStream("slow", WAIT).get(20, TimeUnit.SECONDS);
		SessionPair.await(() -> stream.received() > 0, "the first chunk");
		pair.client.sendTracked(new TxCancelFrame(SessionPair.SID, 0, stream.txid())).get(20, TimeUnit.SECONDS);
		assertThat(sent).failsWithin(WAIT);
		proceed.countDown();
		Thread.sleep(100);
		assertThat(pair.serverSent).noneMatch(TxFinishFrame.class::isInstance);
	}

	@Test
	void theEndOfTheSessionFailsStreamsAndDeletesTheirTemporaryFiles() throws Exception {
		SessionPair pair = pair(options(64 * 1024, 0, 8, 1L << 20));
		CountDownLatch never = new CountDownLatch(1);
		CompletableFuture<Void> sent = pair.server.stream(blockingSource(1_000_000, never), "interrupted");
		IncomingStream stream = pair.client.awaitStream("interrupted", WAIT).get(20, TimeUnit.SECONDS);
		SessionPair.await(() -> stream.spillFile() != null, "the stream spilled to a file");
		// The spill file is opened DELETE_ON_CLOSE: on Linux it has no name in the directory at
		// all, so not even a crash can leave it behind.
		assertThat(Files.list(this.temporary)).isEmpty();
		pair.disconnect();
		assertThat(stream.completion()).failsWithin(WAIT);
		assertThat(sent).failsWithin(WAIT);
		assertThat(stream.spillFile()).isNull();
		assertThat(Files.list(this.temporary)).isEmpty();
		never.countDown();
	}

	@Test
	void anIncomingTransactionOverMaxSizeFailsWithAnErrorNamingItsTxid() throws Exception {
		SessionPair pair = pair(options(1L << 20, 100_000, 8, 1L << 20));
		pair.server.stream(StreamSource.of(new ByteArrayInputStream(data(300_000))), "too-big");
		IncomingStream stream = pair.client.awaitStream("too-big", WAIT).get(20, TimeUnit.SECONDS);
		assertThat(stream.completion()).failsWithin(WAIT);
		SessionPair.await(() -> errorsFromClient().size() == 1, "the client's ERROR");
		assertThat(errorsFromClient().get(0))
			.isEqualTo("Transaction " + stream.txid() + " exceeds the maximum size of 100000 bytes");
	}

	@Test
	void transactionsBeyondMaxConcurrentAreRefusedWithAnErrorNamingTheTxid() throws Exception {
		SessionPair pair = pair(options(1L << 20, 0, 1, 1L << 20));
		CountDownLatch hold = new CountDownLatch(1);
		pair.server.stream(blockingSource(1000, hold), "first");
		pair.client.awaitStream("first", WAIT).get(20, TimeUnit.SECONDS);
		pair.server.stream(StreamSource.of(new ByteArrayInputStream(data(10))), "second");
		SessionPair.await(() -> errorsFromClient().size() == 1, "the client's ERROR");
		assertThat(errorsFromClient().get(0)).isEqualTo("TX_START for txid 1 refused: more than 1 concurrent transactions");
		hold.countDown();
	}

	@Test
	void aSecondTxStartWithALiveTxidFailsTheOldStream() throws Exception {
		SessionPair pair = pair(defaults());
		pair.server.sendTracked(new TxStartFrame(SessionPair.SID, 0, 5, "old")).get(20, TimeUnit.SECONDS);
		IncomingStream old = pair.client.awaitStream("old", WAIT).get(20, TimeUnit.SECONDS);
		pair.server.sendTracked(new TxStartFrame(SessionPair.SID, 0, 5, "new")).get(20, TimeUnit.SECONDS);
		assertThat(old.completion()).failsWithin(WAIT);
		assertThat(pair.client.awaitStream("new", WAIT)).succeedsWithin(WAIT);
	}

	@Test
	void chunksAndFinishesForUnknownTxidsAreDroppedButFinishesAreAcked() throws Exception {
		SessionPair pair = pair(defaults());
		pair.server.sendTracked(new TxFinishFrame(SessionPair.SID, 0, 77)).get(20, TimeUnit.SECONDS);
		assertThat(errorsFromClient()).isEmpty();
	}

	// ---- issue 13: bounded disk, memory and threads

	private TransactionOptions limits(long memoryThreshold, int maxConcurrentOutgoing, long readAhead, long retention,
			long spillQuota, long minFreeSpace) {
		return new TransactionOptions(64 * 1024, memoryThreshold, 0, 8, 1L << 20, this.temporary, maxConcurrentOutgoing,
				readAhead, retention, spillQuota, minFreeSpace, 4);
	}

	@Test
	void aPullTransactionReadsItsSourceOnlyAsFarAsPulledPlusTheReadAhead() throws Exception {
		SessionPair pair = pair(limits(64 * 1024, 8, 256 * 1024, 1L << 20, 0, 0));
		CountingSource source = new CountingSource(1L << 40);
		int txid = manualPullTransaction(pair, source);
		// Before any TX_PULL: the read-ahead, nothing more, however long the source and the wait.
		SessionPair.await(() -> source.read.get() >= 256 * 1024, "the read-ahead");
		Thread.sleep(300);
		assertThat(source.read.get()).isLessThanOrEqualTo(256 * 1024 + 64 * 1024);
		pull(txid, 0, 1000);
		SessionPair.await(() -> concat(chunksFromServer(txid)).length == 1000, "the first range");
		Thread.sleep(100);
		assertThat(source.read.get()).isLessThanOrEqualTo(1000 + 256 * 1024 + 64 * 1024);
		assertThat(chunksFromServer(txid)).hasSize(1);
	}

	@Test
	void aPullForBytesBeyondTheRetentionIsAnsweredWithAnErrorAndTheTransactionGoesOn() throws Exception {
		SessionPair pair = pair(limits(64 * 1024, 8, 64 * 1024, 100_000, 0, 0));
		byte[] data = data(2_000_000);
		int txid = manualPullTransaction(pair, StreamSource.of(new ByteArrayInputStream(data)));
		pull(txid, 0, 100);
		pull(txid, 1_000_000, 1_000_100);
		// Bytes [0, 100) are far more than the retention behind the furthest byte served.
		pull(txid, 0, 100);
		SessionPair.await(() -> errorsFromServer().size() == 1, "an ERROR for the released range");
		assertThat(errorsFromServer().get(0)).startsWith("TX_PULL for txid " + txid + " asks for bytes before ")
			.endsWith(", which are no longer kept");
		// Within the retention, and onwards to the end: served, then TX_FINISH.
		pull(txid, 950_000, 950_100);
		pull(txid, 1_999_900, 3_000_000);
		SessionPair.await(() -> pair.serverSent.stream().anyMatch(TxFinishFrame.class::isInstance), "TX_FINISH");
		byte[] expected = new byte[400];
		System.arraycopy(data, 0, expected, 0, 100);
		System.arraycopy(data, 1_000_000, expected, 100, 100);
		System.arraycopy(data, 950_000, expected, 200, 100);
		System.arraycopy(data, 1_999_900, expected, 300, 100);
		assertThat(concat(chunksFromServer(txid))).isEqualTo(expected);
	}

	@Test
	void outgoingTransactionsBeyondTheSessionLimitFailAtOnceAndNeedNoThread() throws Exception {
		SessionPair pair = pair(limits(64 * 1024, 2, 64 * 1024, 1L << 20, 0, 0));
		pair.client.sendTracked(new TxFlowFrame(SessionPair.SID, 0, FlowBehaviour.PULL)).get(20, TimeUnit.SECONDS);
		CompletableFuture<Void> first = pair.server.stream(new CountingSource(1L << 40), "first");
		CompletableFuture<Void> second = pair.server.stream(new CountingSource(1L << 40), "second");
		CountingSource refusedSource = new CountingSource(10);
		CompletableFuture<Void> third = pair.server.stream(refusedSource, "third");
		assertThat(third).failsWithin(WAIT)
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withMessageContaining("more than 2 concurrent outgoing transactions");
		assertThat(refusedSource.closed).isTrue();
		assertThat(first).isNotDone();
		assertThat(second).isNotDone();
		// A slot frees when a transaction ends.
		int txid = pair.client.awaitStream("first", WAIT).get(20, TimeUnit.SECONDS).txid();
		pair.client.sendTracked(new TxCancelFrame(SessionPair.SID, 0, txid)).get(20, TimeUnit.SECONDS);
		assertThat(first).failsWithin(WAIT);
		SessionPair.await(() -> !pair.server.stream(new CountingSource(10), "fourth").isCompletedExceptionally(),
				"a fourth transaction to be accepted");
		assertThat(pair.serverSent).filteredOn(TxStartFrame.class::isInstance).hasSizeLessThanOrEqualTo(3);
	}

	@Test
	void aStreamReadToTheEndByItsListenerIsNotKeptForLaterClaims() throws Exception {
		SessionOptions options = new SessionOptions(Duration.ofSeconds(10), Duration.ZERO, 16, Duration.ofSeconds(5),
				dev.cryo.core.engine.BackpressureSettings.SEED_DEFAULTS, Duration.ZERO, defaults());
		java.util.concurrent.atomic.AtomicInteger read = new java.util.concurrent.atomic.AtomicInteger();
		// As the sample app does: every stream is read to the end by the listener it is announced to.
		this.pair = new SessionPair(options, new ProtocolHandler() {
		}, new ProtocolHandler() {

			@Override
			public void onStreamStarted(dev.cryo.core.engine.ProtocolSession session, IncomingStream stream) {
				new Thread(() -> {
					try {
						readAll(stream);
						read.incrementAndGet();
					}
					catch (IOException ex) {
						throw new java.io.UncheckedIOException(ex);
					}
				}).start();
			}

		});
		for (int i = 0; i < 50; i++) {
			assertThat(this.pair.server.stream(StreamSource.of(new ByteArrayInputStream(data(10))), "tiny"))
				.succeedsWithin(WAIT);
		}
		SessionPair.await(() -> read.get() == 50, "the listener to read 50 streams");
		// Taken and read: nothing of them is kept for a claim.
		assertThat(this.pair.client.awaitStream("tiny", Duration.ofMillis(100))).failsWithin(WAIT);
	}

	@Test
	void aStreamOpenedByItsListenerIsLetGoAtOnce() throws Exception {
		StreamClaims claims = new StreamClaims(this.scheduler());
		IncomingStream stream = new IncomingStream(1, "file", new ReceiveBuffer(1024, this.temporary));
		claims.offer(stream);
		stream.finish();
		readAll(stream);
		assertThat(claims.claim("file", Duration.ofMillis(50))).failsWithin(WAIT);
	}

	private java.util.concurrent.ScheduledExecutorService scheduler() {
		return pair(defaults()).scheduler;
	}

	@Test
	void incomingTransactionsAreRefusedWithAnErrorNamingTheTxidWhenTheDiskIsBelowTheFloor() throws Exception {
		SessionPair pair = pair(limits(0, 8, 64 * 1024, 1L << 20, 0, Long.MAX_VALUE / 2));
		pair.server.stream(StreamSource.of(new ByteArrayInputStream(data(10))), "refused");
		SessionPair.await(() -> errorsFromClient().size() == 1, "the client's ERROR");
		assertThat(errorsFromClient().get(0)).isEqualTo("TX_START for txid 0 refused: no spill space left");
		assertThat(Files.list(this.temporary)).isEmpty();
	}

	@Test
	void anIncomingTransactionThatNeedsMoreThanTheSpillQuotaFailsWithAnErrorNamingItsTxid() throws Exception {
		// Nothing in memory: every byte the reader has not taken yet waits on disk, within 200 KB.
		SessionPair pair = pair(limits(0, 8, 64 * 1024, 1L << 20, 200_000, 0));
		pair.server.stream(StreamSource.of(new ByteArrayInputStream(data(1_000_000))), "too-much");
		IncomingStream stream = pair.client.awaitStream("too-much", WAIT).get(20, TimeUnit.SECONDS);
		assertThat(stream.completion()).failsWithin(WAIT);
		SessionPair.await(() -> errorsFromClient().size() == 1, "the client's ERROR");
		assertThat(errorsFromClient().get(0))
			.isEqualTo("Transaction " + stream.txid() + " could not be stored: no spill space left");
		// Its file is gone and its bytes are given back: the next transaction may spill again.
		pair.server.stream(StreamSource.of(new ByteArrayInputStream(data(100_000))), "fits");
		IncomingStream fits = pair.client.awaitStream("fits", WAIT).get(20, TimeUnit.SECONDS);
		assertThat(fits.completion()).succeedsWithin(WAIT);
		assertThat(readAll(fits)).isEqualTo(data(100_000));
	}

	private int manualPullTransaction(SessionPair pair, StreamSource source) throws Exception {
		pair.client.sendTracked(new TxFlowFrame(SessionPair.SID, 0, FlowBehaviour.PULL)).get(20, TimeUnit.SECONDS);
		pair.server.stream(source, "manual");
		return pair.client.awaitStream("manual", WAIT).get(20, TimeUnit.SECONDS).txid();
	}

	/** A source of {@code size} zero bytes that counts what is read from it. */
	private static final class CountingSource implements StreamSource {

		final java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();

		private final long size;

		volatile boolean closed;

		CountingSource(long size) {
			this.size = size;
		}

		@Override
		public int read(ByteBuffer target) {
			long left = this.size - this.read.get();
			if (left <= 0) {
				return -1;
			}
			int count = (int) Math.min(target.remaining(), left);
			target.position(target.position() + count);
			this.read.addAndGet(count);
			return count;
		}

		@Override
		public void close() {
			this.closed = true;
		}

	}

	private List<String> errorsFromServer() {
		return this.pair.serverSent.stream()
			.filter(ErrorFrame.class::isInstance)
			.map((frame) -> ((ErrorFrame) frame).message())
			.toList();
	}

	private List<String> errorsFromClient() {
		return this.pair.clientSent.stream()
			.filter(ErrorFrame.class::isInstance)
			.map((frame) -> ((ErrorFrame) frame).message())
			.toList();
	}

	private static int indexOf(List<Frame> frames, Class<?> type) {
		for (int i = 0; i < frames.size(); i++) {
			if (type.isInstance(frames.get(i))) {
				return i;
			}
		}
		return -1;
	}

	/** Produces {@code size} bytes in 64 KiB steps, then blocks until released before ending. */
	private static StreamSource blockingSource(int size, CountDownLatch release) {
		return new StreamSource() {

			private int produced;

			@Override
			public int read(ByteBuffer target) throws IOException {
				if (this.produced >= size) {
					try {
						release.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new java.io.InterruptedIOException();
					}
					return -1;
				}
				int count = Math.min(target.remaining(), size - this.produced);
				target.position(target.position() + count);
				this.produced += count;
				return count;
			}

			@Override
			public void close() {
			}

		};
	}

}
