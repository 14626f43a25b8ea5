package dev.cryo.boot.autoconfigure.endtoend;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cryo.core.engine.CloseCodes;
import dev.cryo.server.CryoServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backpressure against real slow consumers (cryo-v1.md §11.3): a client that stops reading
 * fills the kernel buffers, then the session's queue; each drop policy decides which messages
 * survive, every drop fails its future and is counted, and nothing is lost silently.
 */
class SlowConsumerTests {

	/** Small caps so that a few hundred messages exceed them: 1 MiB, 64 frames, marks 512 KiB / 128 KiB. */
	static final String CAPS = "cryo.backpressure.max-queued-bytes=1MB";

	private static final int MESSAGE = 64 * 1024;

	@Nested
	@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { CAPS, "cryo.backpressure.max-queue-count=64", "cryo.backpressure.high-water-mark=512KB",
					"cryo.backpressure.low-water-mark=128KB", "cryo.backpressure.drop-policy=drop-oldest",
					"cryo.ack-timeout=60s" })
	class DropOldest {

		@Autowired
		CryoServer server;

		@Autowired
		BackpressureTestApplication.WritabilityEvents writability;

		@LocalServerPort
		int port;

		@Test
		void aStalledPeerOfferedOneGibibyteCostsNoMoreThanTheQueueCapAndEveryDropIsAccounted() {
			assertStalledPeerIsBoundedByTheQueueCap(this.server, this.writability, this.port);
		}

	}

	/**
	 * Offers 1 GiB to a peer that reads nothing, on a server with {@link #CAPS} and drop-oldest:
	 * the queue never holds more than its cap, the oldest go, every drop is accounted, and the
	 * rest arrives once the peer reads.
	 */
	static void assertStalledPeerIsBoundedByTheQueueCap(CryoServer server,
			BackpressureTestApplication.WritabilityEvents writability, int port) {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		try (SlowConsumerScenario scenario = new SlowConsumerScenario(server, port)) {
			System.gc();
			long heapBefore = memory.getHeapMemoryUsage().getUsed();
			int count = (int) ((1L << 30) / MESSAGE);
			scenario.offer(count, MESSAGE);
			System.gc();
			long heapStalled = memory.getHeapMemoryUsage().getUsed();
			System.out.printf("Stalled peer offered %d MiB: peak queued %d bytes (cap %d), dropped %d of %d, "
					+ "heap growth after GC %d KiB%n", scenario.offeredBytes >> 20, scenario.peakQueuedBytes, 1 << 20,
					scenario.dropped().size(), count, (heapStalled - heapBefore) >> 10);
			assertThat(scenario.peakQueuedBytes).isLessThanOrEqualTo(1 << 20);
			assertThat(scenario.dropped()).isNotEmpty();
			assertThat(scenario.session.statistics().framesDropped()).isEqualTo(scenario.dropped().size());
			assertThat(writability.of(scenario.session.id())).startsWith(false);
			// The oldest go: the newest message is always admitted.
			assertThat(scenario.notDropped()).endsWith(count - 1);
			assertThat(scenario.resumeAndReceive(scenario.notDropped().size()))
				.containsExactlyElementsOf(scenario.notDropped());
			scenario.assertEveryKeptFutureCompletes();
			assertAlternatingAndWritableAgain(writability.of(scenario.session.id()));
		}
	}

	/** Writability reports alternate, start with "throttled" and end with "writable" once the peer reads. */
	static void assertAlternatingAndWritableAgain(java.util.List<Boolean> events) {
		assertThat(events).isNotEmpty().startsWith(false).endsWith(true);
		for (int i = 1; i < events.size(); i++) {
			assertThat(events.get(i)).as("event %d", i).isNotEqualTo(events.get(i - 1));
		}
	}

	@Nested
	@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { CAPS, "cryo.backpressure.max-queue-count=64", "cryo.backpressure.drop-policy=drop-newest",
					"cryo.ack-timeout=60s" })
	class DropNewest {

		@Autowired
		CryoServer server;

		@LocalServerPort
		int port;

		@Test
		void theNewestMessagesAreDroppedOnceTheQueueIsFull() {
			try (SlowConsumerScenario scenario = new SlowConsumerScenario(this.server, this.port)) {
				scenario.offer(2000, MESSAGE);
				assertThat(scenario.peakQueuedBytes).isLessThanOrEqualTo(1 << 20);
				assertThat(scenario.dropped()).isNotEmpty();
				// Nothing is evicted: everything before the first drop is still delivered.
				int firstDropped = scenario.dropped().get(0);
				assertThat(scenario.notDropped()).startsWith(java.util.stream.IntStream.range(0, firstDropped)
					.boxed()
					.toArray(Integer[]::new));
				assertThat(scenario.resumeAndReceive(scenario.notDropped().size()))
					.containsExactlyElementsOf(scenario.notDropped());
				scenario.assertEveryKeptFutureCompletes();
			}
		}

	}

	@Nested
	@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { CAPS, "cryo.backpressure.max-queue-count=64", "cryo.backpressure.drop-policy=dedupe-latest",
					"cryo.ack-timeout=60s" })
	class DedupeLatest {

		@Autowired
		CryoServer server;

		@LocalServerPort
		int port;

		@Test
		void onlyTheLatestQueuedMessagePerKeySurvives() {
			try (SlowConsumerScenario scenario = new SlowConsumerScenario(this.server, this.port)) {
				// Ten "symbols", each updated 200 times while the peer is stalled.
				scenario.offer(2000, MESSAGE, (index) -> "symbol-" + (index % 10));
				assertThat(scenario.peakQueuedBytes).isLessThanOrEqualTo(1 << 20);
				// The last update of every symbol is kept.
				assertThat(scenario.notDropped()).contains(1990, 1991, 1992, 1993, 1994, 1995, 1996, 1997, 1998, 1999);
				assertThat(scenario.resumeAndReceive(scenario.notDropped().size()))
					.containsExactlyElementsOf(scenario.notDropped());
				scenario.assertEveryKeptFutureCompletes();
			}
		}

	}

	@Nested
	@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { CAPS, "cryo.backpressure.max-queue-count=64", "cryo.backpressure.drop-policy=terminate" })
	class Terminate {

		@Autowired
		CryoServer server;

		@LocalServerPort
		int port;

		@Test
		void aPeerThatCannotKeepUpIsClosedAndEveryPendingSendFails() {
			try (SlowConsumerScenario scenario = new SlowConsumerScenario(this.server, this.port)) {
				scenario.offer(2000, MESSAGE);
				scenario.client.resumeReading();
				assertThat(scenario.client.awaitClose(Duration.ofSeconds(10)).code())
					.isEqualTo(CloseCodes.POLICY_VIOLATION);
				for (var future : scenario.futures) {
					assertThat(future).failsWithin(Duration.ofSeconds(10));
				}
			}
		}

	}

}
