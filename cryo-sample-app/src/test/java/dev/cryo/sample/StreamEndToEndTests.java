package dev.cryo.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TxCancelFrame;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.test.RawCryoClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Transactions (cryo-v1.md §10) between a hand-driven client and the real sample app, through its
 * stream contract ({@link StreamContract}): every incoming stream is answered with
 * {@code stream <name> <bytes> <sha256>}, and {@code download <bytes> <name>} is answered with a
 * transaction of that many bytes, byte i being i mod 251, in the mode the client asked for with
 * TX_FLOW. The client side is written frame by frame: it ACKs the tracked frames the server
 * sends and answers pings, nothing more.
 *
 * <p>The server's spill files go to a directory of their own (inside {@code java.io.tmpdir}), so
 * that the checks for leftover {@code cryo-tx-*} files cannot be disturbed by other JVMs sharing
 * the machine's temporary directory.
 *
 * <p>The big-transfer test moves 64 MiB each way, or 1 GiB with {@code -Dcryo.test.full=true}.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DisplayName("Cryo v1 §10 — transactions end to end through the sample app")
@Timeout(30)
class StreamEndToEndTests {

	private static final String TOKEN = "dev-token";

	private static final int CHUNK = 64 * 1024;

	private static final Duration WAIT = Duration.ofSeconds(5);

	/** How long "nothing arrives" is watched for. */
	private static final Duration QUIET = Duration.ofMillis(300);

	/** The server's default {@code max-queued-bytes} (§11.1). */
	private static final long MAX_QUEUED_BYTES = 8L << 20;

	private static final SpillDirectory SPILL_DIRECTORY = new SpillDirectory("cryo-e2e-spill-");

	@DynamicPropertySource
	static void spillDirectory(DynamicPropertyRegistry registry) {
		SPILL_DIRECTORY.register(registry);
	}

	@AfterAll
	static void removeSpillDirectory() throws IOException {
		SPILL_DIRECTORY.delete();
	}

	@LocalServerPort
	int port;

	@Autowired
	CryoServer server;

	// ---- 1, 2: uploads (client → server, push)

	@ParameterizedTest(name = "upload of {0} bytes in 64 KiB chunks")
	@ValueSource(longs = { 0, 1, CHUNK, (3L << 20) + 7 })
	@DisplayName("§10.2 push upload: TX_START, ACK, chunks, TX_FINISH, ACK, then the sample's size and SHA-256")
	void uploadIsReportedWithSizeAndSha256(long size) {
		try (Peer peer = connect()) {
			Upload upload = new Upload(peer, 1, "up-" + size, size, CHUNK, new Random(size));
			upload.run();
			assertThat(peer.awaitText("stream up-" + size + " ")).isEqualTo(upload.expectedReply());
		}
		awaitNoSpillFiles();
	}

	@Test
	@DisplayName("§4.3 TX_START with an empty name is reported as 'anonymous'")
	void emptyNameIsAnonymous() {
		try (Peer peer = connect()) {
			Upload upload = new Upload(peer, 7, "", 5, CHUNK, new Random(5));
			upload.run();
			assertThat(peer.awaitText("stream ")).isEqualTo("stream anonymous 5 " + upload.sha256());
		}
	}

	// ---- 3: push download (server → client)

	@Test
	@DisplayName("§10.2 push download: TX_START (ACKed), chunks of i mod 251 totalling the size, TX_FINISH (ACKed)")
	void pushDownload() {
		try (Peer peer = connect()) {
			int command = peer.text("download 200000 dl");
			peer.awaitAck(command);
			int txid = peer.awaitStart("dl").txid();
			byte[] data = peer.receiveBytes(txid, 200_000);
			assertPattern(data, 0);
			assertThat(peer.nextOf(txid)).as("after 200000 bytes").isInstanceOf(TxFinishFrame.class);
			// The sample echoes every text, the command included.
			assertThat(peer.awaitText("download ")).isEqualTo("download 200000 dl");
			peer.assertNothingFor(txid, QUIET);
		}
	}

	// ---- 4: big transfers

	@Test
	@Timeout(900)
	@DisplayName("big upload and push download (64 MiB, 1 GiB with -Dcryo.test.full=true): SHA-256 match, "
			+ "server queue within max-queued-bytes, no spill file left")
	void bigTransfersBothWays() throws Exception {
		long size = Boolean.getBoolean("cryo.test.full") ? 1L << 30 : 64L << 20;
		long heapBefore = usedHeapAfterGc();
		try (Peer peer = connect()) {
			// Upload: chunks generated on the fly, digest computed as they are sent.
			long uploadStart = System.nanoTime();
			Upload upload = new Upload(peer, 1, "big-up", size, CHUNK, new Random(42));
			upload.run();
			String reply = peer.awaitText("stream big-up ", transferTimeout(size));
			double uploadSeconds = (System.nanoTime() - uploadStart) / 1e9;
			assertThat(reply).isEqualTo(upload.expectedReply());
			awaitNoSpillFiles();
			long heapAfterUpload = usedHeapAfterGc();

			// Download: every frame goes to a handler that checks and digests it, nothing is kept.
			CryoSession serverSession = this.server.session(peer.sid).orElseThrow();
			DownloadSink sink = new DownloadSink(peer, "big-down");
			AtomicLong maxQueued = new AtomicLong();
			ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
			sampler.scheduleAtFixedRate(() -> maxQueued.accumulateAndGet(serverSession.queuedBytes(), Math::max), 0,
					1, TimeUnit.MILLISECONDS);
			long downloadStart = System.nanoTime();
			long received;
			double downloadSeconds;
			try {
				peer.raw.onFrame(sink);
				int command = peer.text("download " + size + " big-down");
				try {
					received = sink.finished.get(transferTimeout(size).toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (TimeoutException ex) {
					throw new AssertionError("Download incomplete after " + transferTimeout(size).toSeconds()
							+ " s: " + sink.received + " of " + size + " bytes", ex);
				}
				downloadSeconds = (System.nanoTime() - downloadStart) / 1e9;
				assertThat(sink.acks).as("ACK of the download command").contains(command);
				String echo = "download " + size + " big-down";
				awaitCondition("the echo '" + echo + "'", () -> sink.texts.contains(echo));
			}
			finally {
				sampler.shutdownNow();
				peer.raw.onFrame(null);
			}
			assertThat(peer.raw.handlerFailure()).isNull();
			assertThat(received).isEqualTo(size);
			assertThat(sink.firstMismatch).as("first byte differing from i mod 251").isEqualTo(-1);
			assertThat(sink.largestChunk).isLessThanOrEqualTo(CHUNK);
			assertThat(sink.sha256()).as("SHA-256 of the download").isEqualTo(patternSha256(size));
			assertThat(maxQueued.get()).as("server send queue (queuedBytes), at most max-queued-bytes")
				.isLessThanOrEqualTo(MAX_QUEUED_BYTES);
			awaitNoSpillFiles();
			long heapAfterDownload = usedHeapAfterGc();

			System.out.printf("[StreamEndToEndTests] upload   %5d MiB in %6.2f s: %7.1f MiB/s%n", size >> 20,
					uploadSeconds, (size / 1048576.0) / uploadSeconds);
			System.out.printf("[StreamEndToEndTests] download %5d MiB in %6.2f s: %7.1f MiB/s, "
					+ "largest server queue %.2f MiB%n", size >> 20, downloadSeconds,
					(size / 1048576.0) / downloadSeconds, maxQueued.get() / 1048576.0);
			System.out.printf("[StreamEndToEndTests] heap used after GC (client and server share the JVM): "
					+ "before %.1f MiB, after upload %.1f MiB, after download %.1f MiB%n", heapBefore / 1048576.0,
					heapAfterUpload / 1048576.0, heapAfterDownload / 1048576.0);
		}
	}

	// ---- 5, 6: pull downloads

	@Test
	@DisplayName("§10.4 pull download: nothing before TX_PULL (rule 1), windows served exactly (rule 2), "
			+ "TX_FINISH after the last (rule 4)")
	void pullDownloadInWindows() {
		try (Peer peer = connect()) {
			peer.awaitAck(peer.flow(FlowBehaviour.PULL));
			peer.awaitAck(peer.text("download 300000 pulled"));
			int txid = peer.awaitStart("pulled").txid();
			peer.assertNothingFor(txid, QUIET);
			for (long start = 0; start < 300_000; start += 100_000) {
				peer.awaitAck(peer.pull(txid, start, start + 100_000));
				assertPattern(peer.receiveBytes(txid, 100_000), start);
				if (start + 100_000 < 300_000) {
					peer.assertNothingFor(txid, Duration.ofMillis(50));
				}
			}
			assertThat(peer.nextOf(txid)).as("after the last window").isInstanceOf(TxFinishFrame.class);
			peer.assertNothingFor(txid, QUIET);
		}
	}

	@Test
	@DisplayName("§10.4 pull: re-requested and skipped ranges are served in order (rules 2, 3, 5), "
			+ "start > end and unknown txids get ERROR frames (rules 6, 7)")
	void pullRangesAndBadPulls() {
		try (Peer peer = connect()) {
			peer.awaitAck(peer.flow(FlowBehaviour.PULL));
			peer.awaitAck(peer.text("download 1000 ranges"));
			int txid = peer.awaitStart("ranges").txid();
			String id = Integer.toUnsignedString(txid);

			// Sent back to back: served strictly one after the other (rule 3).
			List<Integer> pulls = List.of(peer.pull(txid, 100, 200), peer.pull(txid, 100, 200),
					peer.pull(txid, 500, 600));
			pulls.forEach(peer::awaitAck);
			byte[] served = peer.receiveBytes(txid, 300);
			assertThat(served).isEqualTo(concat(pattern(100, 100), pattern(100, 100), pattern(500, 100)));

			// Rule 6: ACK, ERROR naming the txid, no chunk; the transaction goes on.
			peer.awaitAck(peer.pull(txid, 300, 200));
			assertThat(peer.awaitError().message()).isEqualTo("TX_PULL for txid " + id + " has start 300 after end 200");
			peer.assertNothingFor(txid, QUIET);

			// The data ends inside this range: bytes [900, 1000), then TX_FINISH (rules 2, 4).
			peer.awaitAck(peer.pull(txid, 900, 5000));
			assertThat(peer.receiveBytes(txid, 100)).isEqualTo(pattern(900, 100));
			assertThat(peer.nextOf(txid)).as("after [900, 1000)").isInstanceOf(TxFinishFrame.class);

			// Rule 7: unknown txids and finished transactions.
			int unknown = txid + 1000;
			peer.awaitAck(peer.pull(unknown, 0, 10));
			assertThat(peer.awaitError().message())
				.isEqualTo("TX_PULL for unknown txid " + Integer.toUnsignedString(unknown));
			peer.awaitAck(peer.pull(txid, 0, 10));
			assertThat(peer.awaitError().message()).isEqualTo("TX_PULL for unknown txid " + id);
			peer.assertNothingFor(txid, QUIET);
		}
	}

	@Test
	@DisplayName("§10.4 pull: a TX_PULL queued behind the range that ends the data gets no chunk and no "
			+ "second TX_FINISH after TX_FINISH (rules 4, 7)")
	void pullQueuedBehindTheLastRange() {
		int size = 8 << 20;
		try (Peer peer = connect()) {
			peer.awaitAck(peer.flow(FlowBehaviour.PULL));
			peer.awaitAck(peer.text("download " + size + " queued"));
			int txid = peer.awaitStart("queued").txid();
			// Back to back: the second is queued while the 8 MiB of the first are being sent (rule 3).
			int all = peer.pull(txid, 0, size + 1000);
			int again = peer.pull(txid, size - 5, size + 5);
			peer.awaitAck(all);
			peer.awaitAck(again);
			assertPattern(peer.receiveBytes(txid, size), 0);
			assertThat(peer.nextOf(txid)).as("after all %d bytes", size).isInstanceOf(TxFinishFrame.class);
			// The transaction is closed: the queued pull may be refused with ERROR (rule 7), never served.
			peer.assertNothingFor(txid, QUIET);
		}
	}

	// ---- 7: cancel

	@Test
	@DisplayName("TX_CANCEL of a running pull download: ACKed, no TX_FINISH, later TX_PULL gets ERROR, "
			+ "its spill file is deleted")
	void cancelRunningDownload() {
		long size = 3L << 20;
		try (Peer peer = connect()) {
			peer.awaitAck(peer.flow(FlowBehaviour.PULL));
			peer.awaitAck(peer.text("download " + size + " cancelled"));
			int txid = peer.awaitStart("cancelled").txid();
			peer.awaitAck(peer.pull(txid, 0, 100_000));
			assertPattern(peer.receiveBytes(txid, 100_000), 0);
			// A pull transaction keeps its data addressable: 3 MiB is beyond the 1 MiB in memory (rule 5).
			awaitCondition("a spill file for the pull transaction", () -> !spillFiles().isEmpty());

			peer.awaitAck(peer.cancel(txid));
			peer.assertNothingFor(txid, QUIET);
			peer.awaitAck(peer.pull(txid, 100_000, 200_000));
			assertThat(peer.awaitError().message())
				.isEqualTo("TX_PULL for unknown txid " + Integer.toUnsignedString(txid));
			peer.assertNothingFor(txid, QUIET);
			awaitNoSpillFiles();

			// The session itself goes on.
			peer.awaitAck(peer.text("still here"));
			assertThat(peer.awaitText("still")).isEqualTo("still here");
		}
	}

	// ---- 8: client killed mid-upload

	@Test
	@DisplayName("client killed mid-upload: no spill file is left and the session is gone")
	void clientKilledMidUpload() {
		Peer peer = connect();
		try {
			SessionId sid = peer.sid;
			peer.awaitAck(peer.txStart(1, "killed"));
			// 2 MiB of a 3 MiB upload: beyond the 1 MiB kept in memory if the sample's reader
			// lags (a reader that keeps up never needs the file; either way none may remain).
			Random random = new Random(8);
			byte[] chunk = new byte[CHUNK];
			for (int i = 0; i < 32; i++) {
				random.nextBytes(chunk);
				peer.chunk(1, chunk, CHUNK);
			}
			awaitCondition("the server to receive the 2 MiB",
					() -> this.server.session(sid).map((session) -> session.statistics().bytesReceived()).orElse(0L)
							>= 32L * CHUNK);
			assertThat(this.server.session(sid)).isPresent();

			peer.raw.abort();
			awaitCondition("the spill file to be deleted", () -> spillFiles().isEmpty());
			awaitCondition("the session to leave CryoServer", () -> this.server.session(sid).isEmpty());
		}
		finally {
			peer.close();
		}
	}

	// ---- 9: interleaved uploads

	@Test
	@DisplayName("§10.1 two uploads with interleaved chunks: both reported with their own size and SHA-256")
	void interleavedUploads() {
		try (Peer peer = connect()) {
			Upload alpha = new Upload(peer, 11, "alpha", (3L << 19) + 5, 32 * 1024, new Random(11));
			Upload beta = new Upload(peer, 12, "beta", 1_000_003, 20_000, new Random(12));
			alpha.begin();
			beta.begin();
			while (!alpha.allSent() || !beta.allSent()) {
				alpha.sendChunk();
				beta.sendChunk();
			}
			beta.end();
			alpha.end();
			List<String> replies = List.of(peer.awaitText("stream "), peer.awaitText("stream "));
			assertThat(replies).containsExactlyInAnyOrder(alpha.expectedReply(), beta.expectedReply());
		}
		awaitNoSpillFiles();
	}

	// ---- helpers

	private Peer connect() {
		return new Peer(this.port);
	}

	/**
	 * The server's spill files: {@code cryo-tx-*} in its temporary directory, and, where the JVM's
	 * open files can be listed (Linux), those it still holds open. The files are opened with
	 * {@code DELETE_ON_CLOSE}, which on Linux unlinks them at once: only the open descriptor shows
	 * that one exists, and its space is only freed when it is closed.
	 */
	private static List<String> spillFiles() {
		List<String> found = new ArrayList<>();
		SPILL_DIRECTORY.files().stream().filter(StreamEndToEndTests::isSpillFile)
			.forEach((file) -> found.add(file.toString()));
		List<SpillDirectory.OpenFile> open = SPILL_DIRECTORY.openFiles();
		if (open != null) {
			open.stream().filter((file) -> isSpillFile(file.target()))
				.forEach((file) -> found.add("open " + file.link() + " -> " + file.target()));
		}
		return found;
	}

	private static boolean isSpillFile(Path file) {
		return file.getFileName().toString().startsWith("cryo-tx-");
	}

	private static void assertNoSpillFiles() {
		assertThat(spillFiles()).as("cryo-tx-* files in (or held open from) " + SPILL_DIRECTORY.path()).isEmpty();
	}

	/** Spill files are deleted by the thread that finishes reading or failing a stream: allow it a moment. */
	private static void awaitNoSpillFiles() {
		awaitCondition("no cryo-tx-* file in (or held open from) " + SPILL_DIRECTORY.path(), () -> spillFiles().isEmpty());
		assertNoSpillFiles();
	}

	private static void awaitCondition(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				fail("Timed out after " + WAIT.toMillis() + " ms waiting for " + what
						+ " (spill files now: " + spillFiles() + ")");
			}
			sleep(10);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** Generous: 30 s plus 4 MiB/s. */
	private static Duration transferTimeout(long size) {
		return Duration.ofSeconds(30 + size / (4L << 20));
	}

	private static long usedHeapAfterGc() {
		Runtime runtime = Runtime.getRuntime();
		System.gc();
		return runtime.totalMemory() - runtime.freeMemory();
	}

	static long randomSid() {
		long sid;
		do {
			sid = ThreadLocalRandom.current().nextLong();
		}
		while (Long.compareUnsigned(sid, 1_000_000) < 0);
		return sid;
	}

	/** Bytes [offset, offset + length) of the sample's download pattern, byte i being i mod 251. */
	static byte[] pattern(long offset, int length) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = (byte) ((offset + i) % 251);
		}
		return bytes;
	}

	static void assertPattern(byte[] data, long offset) {
		for (int i = 0; i < data.length; i++) {
			if (data[i] != (byte) ((offset + i) % 251)) {
				fail("Byte " + (offset + i) + " is " + (data[i] & 0xFF) + ", expected " + ((offset + i) % 251));
			}
		}
	}

	/** SHA-256 of the first {@code size} bytes of the pattern, computed in blocks that start at phase 0. */
	static String patternSha256(long size) {
		MessageDigest digest = sha256Digest();
		byte[] block = pattern(0, 251 * 256);
		long left = size;
		while (left > 0) {
			int count = (int) Math.min(block.length, left);
			digest.update(block, 0, count);
			left -= count;
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	static MessageDigest sha256Digest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A client connection with the protocol chores done by hand: its own ack numbers, ACKs for the
	 * tracked frames it receives, pongs for pings, and an inbox so that tests can wait for a frame
	 * while others (an echo, an ACK) arrive around it.
	 */
	static final class Peer implements AutoCloseable {

		final SessionId sid;

		final RawCryoClient raw;

		/** ENDPOINT_INFO took ack 0. */
		private int nextAck = 1;

		private final LinkedList<Frame> inbox = new LinkedList<>();

		Peer(int port) {
			this.sid = SessionId.of(randomSid());
			this.raw = RawCryoClient.connect(port, "/cryo", TOKEN, this.sid);
			try {
				this.raw.handshake();
			}
			catch (RuntimeException | AssertionError ex) {
				this.raw.close();
				throw ex;
			}
		}

		/** Sends a tracked frame with the next ack number and returns that number. */
		int send(IntFunction<Frame> frame) {
			int ack = this.nextAck++;
			this.raw.send(frame.apply(ack));
			return ack;
		}

		int text(String text) {
			return send((ack) -> Utf8DataFrame.of(this.sid, ack, text));
		}

		int txStart(int txid, String name) {
			return send((ack) -> new TxStartFrame(this.sid, ack, txid, name));
		}

		void chunk(int txid, byte[] data, int length) {
			this.raw.send(new TxChunkFrame(this.sid, txid, ByteBuffer.wrap(data, 0, length)));
		}

		int txFinish(int txid) {
			return send((ack) -> new TxFinishFrame(this.sid, ack, txid));
		}

		int flow(FlowBehaviour behaviour) {
			return send((ack) -> new TxFlowFrame(this.sid, ack, behaviour));
		}

		int pull(int txid, long start, long end) {
			return send((ack) -> new TxPullFrame(this.sid, ack, txid, start, end));
		}

		int cancel(int txid) {
			return send((ack) -> new TxCancelFrame(this.sid, ack, txid));
		}

		void awaitAck(int ack) {
			expect(AckFrame.class, (frame) -> frame.ack() == ack, "ACK " + Integer.toUnsignedString(ack), WAIT);
		}

		String awaitText(String prefix) {
			return awaitText(prefix, WAIT);
		}

		String awaitText(String prefix, Duration wait) {
			return expect(Utf8DataFrame.class, (frame) -> frame.text().startsWith(prefix),
					"UTF8DATA starting with '" + prefix + "'", wait)
				.text();
		}

		ErrorFrame awaitError() {
			return expect(ErrorFrame.class, (frame) -> true, "ERROR", WAIT);
		}

		TxStartFrame awaitStart(String name) {
			return expect(TxStartFrame.class, (frame) -> frame.name().equals(name), "TX_START '" + name + "'", WAIT);
		}

		/** The next TX_CHUNK or TX_FINISH of a transaction the server started. */
		Frame nextOf(int txid) {
			return expect(Frame.class, (frame) -> isDataOf(frame, txid), "TX_CHUNK/TX_FINISH of txid " + txid, WAIT);
		}

		/** Collects exactly {@code count} bytes of the transaction's chunks; TX_FINISH must not come first. */
		byte[] receiveBytes(int txid, int count) {
			ByteArrayOutputStream out = new ByteArrayOutputStream(count);
			while (out.size() < count) {
				Frame frame = nextOf(txid);
				if (!(frame instanceof TxChunkFrame chunk)) {
					throw new AssertionError("Expected a chunk of txid " + txid + " after " + out.size() + " of " + count
							+ " bytes, received " + frame);
				}
				assertThat(chunk.payloadLength()).as("chunk payload").isBetween(1, CHUNK);
				ByteBuffer payload = chunk.payload();
				byte[] bytes = new byte[payload.remaining()];
				payload.get(bytes);
				out.writeBytes(bytes);
			}
			assertThat(out.size()).as("bytes of txid %d (a chunk must not go beyond the range)", txid).isEqualTo(count);
			return out.toByteArray();
		}

		/** Watches the connection for a while: no chunk and no TX_FINISH of the transaction may arrive. */
		void assertNothingFor(int txid, Duration wait) {
			long deadline = System.nanoTime() + wait.toNanos();
			long left;
			while ((left = deadline - System.nanoTime()) > 0) {
				pump(Duration.ofNanos(left));
			}
			List<Frame> unexpected = this.inbox.stream().filter((frame) -> isDataOf(frame, txid)).toList();
			assertThat(unexpected).as("frames of txid %d", txid).isEmpty();
		}

		private static boolean isDataOf(Frame frame, int txid) {
			return (frame instanceof TxChunkFrame chunk && chunk.txid() == txid)
					|| (frame instanceof TxFinishFrame finish && finish.txid() == txid);
		}

		/** Takes the first received frame that matches, in arrival order, reading more as needed. */
		<T extends Frame> T expect(Class<T> type, Predicate<? super T> match, String what, Duration wait) {
			long deadline = System.nanoTime() + wait.toNanos();
			while (true) {
				for (Iterator<Frame> frames = this.inbox.iterator(); frames.hasNext();) {
					Frame frame = frames.next();
					if (type.isInstance(frame) && match.test(type.cast(frame))) {
						frames.remove();
						return type.cast(frame);
					}
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new AssertionError("No " + what + " within " + wait.toMillis() + " ms; unclaimed frames: "
							+ this.inbox + (this.raw.isClosed() ? "; connection closed: " + this.raw.awaitClose() : ""));
				}
				pump(Duration.ofNanos(left));
			}
		}

		/** Takes what has arrived without waiting (answering pings, ACKing), e.g. while uploading. */
		void drain() {
			while (pump(Duration.ZERO)) {
				// keep going
			}
		}

		/** Reads one frame: answers a ping, ACKs a tracked frame and keeps it in the inbox. */
		private boolean pump(Duration wait) {
			Frame frame = this.raw.poll(wait.isZero() ? Duration.ZERO : Duration.ofMillis(Math.max(1, wait.toMillis())));
			if (frame == null) {
				return false;
			}
			if (frame instanceof PingPongFrame ping) {
				if (ping.isPing()) {
					this.raw.send(PingPongFrame.pong(this.sid, ping.ack()));
				}
				return true;
			}
			acknowledge(this.raw, this.sid, frame);
			this.inbox.add(frame);
			return true;
		}

		/** ACKs a tracked frame (§6.2) with the ack value it carries in bytes 9–12. */
		static void acknowledge(RawCryoClient raw, SessionId sid, Frame frame) {
			if (frame.type().isTracked()) {
				raw.send(new AckFrame(sid, FrameCodec.encode(frame).getInt(9)));
			}
		}

		@Override
		public void close() {
			this.raw.close();
		}

	}

	/** A client → server push transaction whose data is generated chunk by chunk and digested as it is sent. */
	static final class Upload {

		private final Peer peer;

		private final int txid;

		private final String name;

		private final long size;

		private final Random random;

		private final MessageDigest digest = sha256Digest();

		private final byte[] chunk;

		private long sent;

		private String sha256;

		Upload(Peer peer, int txid, String name, long size, int chunkSize, Random random) {
			this.peer = peer;
			this.txid = txid;
			this.name = name;
			this.size = size;
			this.random = random;
			this.chunk = new byte[chunkSize];
		}

		/** TX_START, ACK, every chunk, TX_FINISH, ACK. */
		void run() {
			begin();
			while (!allSent()) {
				sendChunk();
			}
			end();
		}

		void begin() {
			this.peer.awaitAck(this.peer.txStart(this.txid, this.name));
		}

		boolean allSent() {
			return this.sent == this.size;
		}

		void sendChunk() {
			if (allSent()) {
				return;
			}
			int length = (int) Math.min(this.chunk.length, this.size - this.sent);
			byte[] data = (length == this.chunk.length) ? this.chunk : new byte[length];
			this.random.nextBytes(data);
			this.digest.update(data, 0, length);
			this.peer.chunk(this.txid, data, length);
			this.sent += length;
			// Answer pings and take ACKs while a long upload runs.
			this.peer.drain();
		}

		void end() {
			this.peer.awaitAck(this.peer.txFinish(this.txid));
		}

		String sha256() {
			if (this.sha256 == null) {
				this.sha256 = HexFormat.of().formatHex(this.digest.digest());
			}
			return this.sha256;
		}

		String expectedReply() {
			return "stream " + this.name + " " + this.size + " " + sha256();
		}

	}

	/**
	 * Receives a download frame by frame on the WebSocket's thread, checking every byte against
	 * the pattern and digesting it, and keeping nothing; answers pings and ACKs tracked frames.
	 */
	static final class DownloadSink implements Consumer<Frame> {

		private final Peer peer;

		private final String name;

		private final MessageDigest digest = sha256Digest();

		final CompletableFuture<Long> finished = new CompletableFuture<>();

		final Set<Integer> acks = ConcurrentHashMap.newKeySet();

		final ConcurrentLinkedQueue<String> texts = new ConcurrentLinkedQueue<>();

		private volatile Integer txid;

		private volatile long received;

		private int expected;

		/** Reused for every chunk (the payload views are read-only). */
		private byte[] buffer = new byte[CHUNK];

		volatile long firstMismatch = -1;

		volatile int largestChunk;

		DownloadSink(Peer peer, String name) {
			this.peer = peer;
			this.name = name;
		}

		@Override
		public void accept(Frame frame) {
			try {
				handle(frame);
			}
			catch (RuntimeException | Error ex) {
				this.finished.completeExceptionally(ex);
			}
		}

		private void handle(Frame frame) {
			if (frame instanceof PingPongFrame ping) {
				if (ping.isPing()) {
					this.peer.raw.send(PingPongFrame.pong(this.peer.sid, ping.ack()));
				}
				return;
			}
			Peer.acknowledge(this.peer.raw, this.peer.sid, frame);
			if (frame instanceof AckFrame ack) {
				this.acks.add(ack.ack());
			}
			else if (frame instanceof Utf8DataFrame text) {
				this.texts.add(text.text());
			}
			else if (frame instanceof ErrorFrame error) {
				this.finished.completeExceptionally(new AssertionError("ERROR during the download: " + error));
			}
			else if (frame instanceof TxStartFrame start && start.name().equals(this.name)) {
				this.txid = start.txid();
			}
			else if (frame instanceof TxChunkFrame chunk && isOurs(chunk.txid())) {
				ByteBuffer payload = chunk.payload();
				int length = payload.remaining();
				if (this.buffer.length < length) {
					this.buffer = new byte[length];
				}
				byte[] bytes = this.buffer;
				payload.get(bytes, 0, length);
				this.largestChunk = Math.max(this.largestChunk, length);
				if (this.firstMismatch < 0) {
					int value = this.expected;
					for (int i = 0; i < length; i++) {
						if (bytes[i] != (byte) value) {
							this.firstMismatch = this.received + i;
							break;
						}
						value = (value == 250) ? 0 : value + 1;
					}
				}
				this.expected = (int) ((this.expected + (long) length) % 251);
				this.digest.update(bytes, 0, length);
				this.received += length;
			}
			else if (frame instanceof TxFinishFrame finish && isOurs(finish.txid())) {
				this.finished.complete(this.received);
			}
			else if (frame instanceof TxChunkFrame || frame instanceof TxFinishFrame) {
				this.finished.completeExceptionally(new AssertionError("Transaction data before TX_START: " + frame));
			}
		}

		private boolean isOurs(int txid) {
			Integer ours = this.txid;
			return ours != null && ours == txid;
		}

		String sha256() {
			return HexFormat.of().formatHex(this.digest.digest());
		}

	}

}
