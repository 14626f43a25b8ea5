package dev.cryo.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.sample.StreamEndToEndTests.Peer;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transaction attacks of issue 13 against the real sample app, at a CI-friendly size; with
 * {@code -Dcryo.test.full=true} at the size they were measured with: a pull download of 4 GiB
 * nobody pulls, 300,000 tiny uploads on one session, 500 downloads on one session. Each runs
 * with the default limits and checks what the limit promises: the temporary files stay within
 * the read-ahead, a stream read to the end is not kept, the outgoing transactions of a session
 * and the {@code cryo-stream-} threads stay within their limits, and a bystander session keeps
 * echoing.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DisplayName("Issue 13 — transactions cost a bounded amount of disk, memory and threads")
@Timeout(600)
class TransactionLimitsEndToEndTests {

	private static final boolean FULL = Boolean.getBoolean("cryo.test.full");

	private static final SpillDirectory SPILL_DIRECTORY = new SpillDirectory("cryo-limits-spill-");

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

	@Test
	@DisplayName("defect 3: a pull download nobody pulls reads its source only as far as the read-ahead; "
			+ "bytes beyond the retention are answered with an ERROR naming the txid")
	void aPullDownloadNobodyPullsReadsOnlyTheReadAhead() {
		long size = FULL ? 4L << 30 : 1L << 30;
		try (Peer peer = new Peer(this.port); Peer bystander = new Peer(this.port)) {
			peer.awaitAck(peer.flow(FlowBehaviour.PULL));
			peer.awaitAck(peer.text("download " + size + " x"));
			int txid = peer.awaitStart("x").txid();
			long largest = 0;
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
			while (System.nanoTime() < deadline) {
				largest = Math.max(largest, spillBytes());
				sleep(20);
			}
			System.out.printf("[TransactionLimitsEndToEndTests] pull download of %d MiB, no TX_PULL: "
					+ "largest temporary file %d bytes%n", size >> 20, largest);
			// The 1 MiB read-ahead fits in the 1 MiB kept in memory: no file at all.
			assertThat(largest).as("bytes in temporary files").isLessThanOrEqualTo(2L << 20);
			assertEchoes(bystander, "still there");

			// Pulled ranges are served; 20 MiB on, the first bytes are beyond the 16 MiB retention.
			peer.awaitAck(peer.pull(txid, 0, 100_000));
			StreamEndToEndTests.assertPattern(peer.receiveBytes(txid, 100_000), 0);
			peer.awaitAck(peer.pull(txid, 20L << 20, (20L << 20) + 1000));
			StreamEndToEndTests.assertPattern(peer.receiveBytes(txid, 1000), 20L << 20);
			assertThat(spillBytes()).as("bytes in temporary files after 20 MiB").isLessThanOrEqualTo(24L << 20);
			peer.awaitAck(peer.pull(txid, 0, 100));
			assertThat(peer.awaitError().message()).startsWith("TX_PULL for txid " + txid + " asks for bytes before ");
			peer.assertNothingFor(txid, Duration.ofMillis(200));
			peer.awaitAck(peer.cancel(txid));
		}
		awaitCondition("no temporary file left", () -> spillBytes() == 0 && spillFiles().isEmpty());
	}

	@Test
	@DisplayName("defect 4: tiny uploads read to the end by the sample are let go at once, not kept until "
			+ "the session ends")
	void tinyUploadsAreLetGoOnceRead() throws Exception {
		int count = FULL ? 300_000 : 2_000;
		try (Peer peer = new Peer(this.port); Peer bystander = new Peer(this.port)) {
			long heapBefore = usedHeapAfterGc();
			// Each stream is answered once read to the end; under this flood the send queue may drop a
			// few answers (droppable UTF8DATA, drop-oldest), and the session counts those.
			CryoSession session = this.server.session(peer.sid).orElseThrow();
			// Replies are counted as they arrive (pings answered, tracked frames ACKed), not kept.
			AtomicInteger replies = new AtomicInteger();
			peer.raw.onFrame((frame) -> {
				if (answered(peer, frame)) {
					return;
				}
				if (frame instanceof Utf8DataFrame text && text.text().startsWith("stream tiny 1 ")) {
					replies.incrementAndGet();
				}
			});
			bystander.raw.onFrame((frame) -> answered(bystander, frame));
			byte[] one = { 42 };
			for (int i = 0; i < count; i++) {
				int txid = i + 1;
				peer.txStart(txid, "tiny");
				peer.chunk(txid, one, 1);
				peer.txFinish(txid);
				if (i % 1000 == 999) {
					// At most a few thousand in flight: the attack is the number kept, not a flood.
					int sent = i + 1;
					awaitCondition("answers to " + (sent - 5000) + " uploads",
							() -> replies.get() + session.statistics().framesDropped() >= sent - 5000,
							() -> replies.get() + " replies, " + session.statistics().framesDropped() + " dropped");
				}
			}
			awaitCondition("the answers to " + count + " uploads",
					() -> replies.get() + session.statistics().framesDropped() >= count,
					() -> replies.get() + " replies, " + session.statistics().framesDropped() + " dropped");
			long heapAfter = usedHeapAfterGc();
			System.out.printf("[TransactionLimitsEndToEndTests] %d tiny uploads on one session: heap used after GC "
					+ "%.1f MiB before, %.1f MiB after (client and server share the JVM), %d answers dropped%n", count,
					heapBefore / 1048576.0, heapAfter / 1048576.0, session.statistics().framesDropped());
			// Every one of them was opened and read by the sample: none may still be handed out.
			assertThat(session.awaitStream("tiny", Duration.ofMillis(200)))
				.failsWithin(Duration.ofSeconds(5))
				.withThrowableOfType(java.util.concurrent.ExecutionException.class)
				.withCauseInstanceOf(TimeoutException.class);
			assertThat(peer.raw.handlerFailure()).isNull();
			bystander.raw.onFrame(null);
			assertEchoes(bystander, "still there");
		}
	}

	/** Answers a ping and ACKs a tracked frame; returns whether the frame was a ping or pong. */
	private static boolean answered(Peer peer, Frame frame) {
		if (frame instanceof PingPongFrame ping) {
			if (ping.isPing()) {
				peer.raw.send(PingPongFrame.pong(peer.sid, ping.ack()));
			}
			return true;
		}
		Peer.acknowledge(peer.raw, peer.sid, frame);
		return false;
	}

	@Test
	@DisplayName("defect 5: many downloads on one session start at most max-concurrent-outgoing transactions "
			+ "and use at most max-threads cryo-stream threads")
	void manyDownloadsAreBoundedInTransactionsAndThreads() {
		int count = FULL ? 500 : 50;
		// Other test contexts of this JVM have pools of their own: count the threads this one starts.
		java.util.Set<Thread> before = streamThreads();
		try (Peer peer = new Peer(this.port); Peer bystander = new Peer(this.port)) {
			peer.awaitAck(peer.flow(FlowBehaviour.PULL));
			for (int i = 0; i < count; i++) {
				peer.text("download 10000000 dl-" + i);
			}
			for (int i = 0; i < count; i++) {
				peer.awaitText("download 10000000 dl-");
			}
			peer.assertNothingFor(-1, Duration.ofMillis(500));
			java.util.Set<Thread> started = streamThreads();
			started.removeAll(before);
			int threads = started.size();
			List<TxStartFrame> starts = new ArrayList<>();
			try {
				while (true) {
					starts.add(peer.expect(TxStartFrame.class, (frame) -> true, "TX_START", Duration.ofMillis(100)));
				}
			}
			catch (AssertionError ex) {
				// No more.
			}
			System.out.printf("[TransactionLimitsEndToEndTests] %d downloads on one session: %d started, "
					+ "%d cryo-stream threads started during the test, %d in the JVM (all test contexts)%n", count,
					starts.size(), threads, streamThreads().size());
			assertThat(starts).as("transactions started").hasSize(8);
			assertThat(threads).as("cryo-stream threads").isLessThanOrEqualTo(8);
			assertEchoes(bystander, "still there");
		}
	}

	private static void assertEchoes(Peer bystander, String text) {
		bystander.awaitAck(bystander.text(text));
		assertThat(bystander.awaitText(text)).isEqualTo(text);
	}

	private static java.util.Set<Thread> streamThreads() {
		java.util.Set<Thread> threads = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
		threads.removeIf((thread) -> !thread.getName().startsWith("cryo-stream-"));
		return threads;
	}

	private static List<Path> spillFiles() {
		return SPILL_DIRECTORY.files();
	}

	/** Bytes of the server's temporary files, named or unlinked. */
	static long spillBytes() {
		return SPILL_DIRECTORY.bytes();
	}

	private static long usedHeapAfterGc() {
		Runtime runtime = Runtime.getRuntime();
		System.gc();
		return runtime.totalMemory() - runtime.freeMemory();
	}

	private static void awaitCondition(String what, java.util.function.BooleanSupplier condition) {
		awaitCondition(what, condition, () -> "");
	}

	private static void awaitCondition(String what, java.util.function.BooleanSupplier condition,
			java.util.function.Supplier<String> state) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("Gave up waiting for " + what + ": " + state.get());
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

}
