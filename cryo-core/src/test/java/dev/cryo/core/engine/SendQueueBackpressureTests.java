package dev.cryo.core.engine;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.CryoV1Dialect;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.Utf8DataFrame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The send queue of cryo-v1.md §11.3 behind a peer that stopped reading: which frames survive
 * each drop policy, which futures fail, the counters and the writability reports.
 */
class SendQueueBackpressureTests {

	private static final SessionId SID = SessionId.of(42);

	private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

	private final StallableTransport transport = new StallableTransport();

	private final List<Boolean> writability = new CopyOnWriteArrayList<>();

	@AfterEach
	void shutdown() {
		this.scheduler.shutdownNow();
	}

	/** A ready session whose transport is stalled with one frame (a message numbered -1) in flight. */
	private ProtocolSession stalledSession(BackpressureSettings limits) {
		SessionOptions options = new SessionOptions(Duration.ofSeconds(30), Duration.ZERO, 16, Duration.ofSeconds(5),
				limits, Duration.ZERO);
		ProtocolSession session = new ProtocolSession(SID, ProtocolSession.Role.SERVER, CryoV1Dialect.INSTANCE, this.transport,
				new ProtocolHandler() {
					@Override
					public void onWritabilityChanged(ProtocolSession session, boolean writable) {
						SendQueueBackpressureTests.this.writability.add(writable);
					}
				}, options, this.scheduler);
		session.start();
		session.receive(FrameCodec.encode(new EndpointInfoFrame(SID, 0, 1, 1)));
		this.transport.stall();
		session.sendUtf8("in flight");
		return session;
	}

	/** Four 100-byte slots: count cap 4, byte cap 4 frames of 113 bytes. */
	private static BackpressureSettings fourSlots(DropPolicy policy) {
		return new BackpressureSettings(10_000, 100, 4 * 113, 4, policy);
	}

	private static String text(int n) {
		return String.format("%03d", n).repeat(34).substring(0, 100);
	}

	private List<String> deliveredTexts() {
		return this.transport.written()
			.stream()
			.filter(Utf8DataFrame.class::isInstance)
			.map((frame) -> ((Utf8DataFrame) frame).text())
			.filter((text) -> !text.equals("in flight"))
			.map((text) -> text.substring(0, 3))
			.collect(Collectors.toList());
	}

	private List<CompletableFuture<Void>> offer(ProtocolSession session, int count) {
		List<CompletableFuture<Void>> futures = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			futures.add(session.sendUtf8(text(i)));
		}
		return futures;
	}

	private static List<Integer> droppedIndexes(List<CompletableFuture<Void>> futures) {
		List<Integer> dropped = new ArrayList<>();
		for (int i = 0; i < futures.size(); i++) {
			CompletableFuture<Void> future = futures.get(i);
			if (future.isCompletedExceptionally()) {
				assertThat(future).failsWithin(Duration.ZERO)
					.withThrowableOfType(java.util.concurrent.ExecutionException.class)
					.havingCause()
					.isInstanceOf(CryoFrameDroppedException.class);
				dropped.add(i);
			}
		}
		return dropped;
	}

	@Test
	void dropOldestKeepsTheNewestFramesAndFailsTheEvictedFutures() {
		ProtocolSession session = stalledSession(fourSlots(DropPolicy.DROP_OLDEST));
		List<CompletableFuture<Void>> futures = offer(session, 10);
		assertThat(session.queuedBytes()).isEqualTo(4 * 113);
		assertThat(droppedIndexes(futures)).containsExactly(0, 1, 2, 3, 4, 5);
		assertThat(session.statistics().framesDropped()).isEqualTo(6);
		this.transport.resume();
		assertThat(deliveredTexts()).containsExactly("006", "007", "008", "009");
	}

	@Test
	void dropNewestKeepsTheOldestFrames() {
		ProtocolSession session = stalledSession(fourSlots(DropPolicy.DROP_NEWEST));
		List<CompletableFuture<Void>> futures = offer(session, 10);
		assertThat(droppedIndexes(futures)).containsExactly(4, 5, 6, 7, 8, 9);
		assertThat(session.statistics().framesDropped()).isEqualTo(6);
		this.transport.resume();
		assertThat(deliveredTexts()).containsExactly("000", "001", "002", "003");
	}

	@Test
	void dedupeLatestReplacesAQueuedFrameWithTheSameKey() {
		ProtocolSession session = stalledSession(fourSlots(DropPolicy.DEDUPE_LATEST));
		CompletableFuture<Void> firstQuote = session.sendUtf8(text(1), "ACME");
		CompletableFuture<Void> other = session.sendUtf8(text(2), "INIT");
		CompletableFuture<Void> latestQuote = session.sendUtf8(text(3), "ACME");
		// Without a key, identical payloads are duplicates of each other.
		CompletableFuture<Void> samePayload = session.sendUtf8(text(7));
		CompletableFuture<Void> samePayloadAgain = session.sendUtf8(text(7));
		assertThat(firstQuote).isCompletedExceptionally();
		assertThat(samePayload).isCompletedExceptionally();
		assertThat(other).isNotDone();
		assertThat(latestQuote).isNotDone();
		assertThat(samePayloadAgain).isNotDone();
		assertThat(session.statistics().framesDropped()).isEqualTo(2);
		this.transport.resume();
		assertThat(deliveredTexts()).containsExactly("002", "003", "007");
	}

	@Test
	void dedupeLatestDropsTheNewFrameWhenTheQueueIsStillFull() {
		ProtocolSession session = stalledSession(fourSlots(DropPolicy.DEDUPE_LATEST));
		List<CompletableFuture<Void>> futures = offer(session, 6);
		assertThat(droppedIndexes(futures)).containsExactly(4, 5);
	}

	@Test
	void terminateClosesThePeerThatCannotKeepUp() {
		ProtocolSession session = stalledSession(fourSlots(DropPolicy.TERMINATE));
		List<CompletableFuture<Void>> futures = offer(session, 5);
		assertThat(droppedIndexes(futures)).containsExactly(4);
		assertThat(session.state()).isEqualTo(SessionState.CLOSING);
		// Queued frames are discarded; the close follows the message in flight.
		assertThat(session.queuedBytes()).isZero();
		this.transport.resume();
		assertThat(this.transport.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
		// As the container would, once the close went out: every pending send fails.
		session.transportClosed(CloseCodes.POLICY_VIOLATION, "Send queue limit exceeded.");
		assertThat(futures).allMatch(CompletableFuture::isCompletedExceptionally);
	}

	@Test
	void protectedFramesAreNeverDroppedAndKeepTheirOrder() {
		ProtocolSession session = stalledSession(fourSlots(DropPolicy.DROP_OLDEST));
		List<CompletableFuture<Void>> finishes = new ArrayList<>();
		for (int txid = 0; txid < 10; txid++) {
			finishes.add(session.sendTracked(new TxFinishFrame(SID, 0, txid)));
		}
		List<CompletableFuture<Void>> data = offer(session, 3);
		assertThat(finishes).noneMatch(CompletableFuture::isCompletedExceptionally);
		// The queue is over its caps with protected frames alone: every droppable frame goes.
		assertThat(droppedIndexes(data)).containsExactly(0, 1, 2);
		this.transport.resume();
		List<Integer> txids = this.transport.written()
			.stream()
			.filter(TxFinishFrame.class::isInstance)
			.map((frame) -> ((TxFinishFrame) frame).txid())
			.toList();
		assertThat(txids).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
	}

	@Test
	void expeditedFramesAreNeitherCountedNorDropped() {
		ProtocolSession session = stalledSession(fourSlots(DropPolicy.DROP_NEWEST));
		offer(session, 4);
		for (int ack = 100; ack < 150; ack++) {
			session.receive(FrameCodec.encode(Utf8DataFrame.of(SID, ack, "x")));
		}
		assertThat(session.queuedBytes()).isEqualTo(4 * 113);
		this.transport.resume();
		List<Frame> written = this.transport.written();
		assertThat(written.stream().filter(AckFrame.class::isInstance).count()).isEqualTo(50 + 1);
		// The ACKs overtook the queued data frames.
		int firstQueuedData = written.indexOf(written.stream()
			.filter((frame) -> frame instanceof Utf8DataFrame utf8 && utf8.text().startsWith("000"))
			.findFirst()
			.orElseThrow());
		assertThat(written.subList(3, firstQueuedData)).hasSize(50).allMatch(AckFrame.class::isInstance);
	}

	@Test
	void aPeerThatMakesTheSessionQueueMoreAcksThanTheCapIsClosedWith1008() {
		ProtocolSession session = stalledSession(fourSlots(DropPolicy.DROP_NEWEST).withMaxExpeditedFrames(8));
		for (int ack = 100; ack < 108; ack++) {
			session.receive(FrameCodec.encode(Utf8DataFrame.of(SID, ack, "x")));
		}
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
		assertThat(session.queuedFrames()).isEqualTo(8);
		// The ninth ACK finds the cap reached: the peer sends and does not read.
		session.receive(FrameCodec.encode(Utf8DataFrame.of(SID, 108, "x")));
		assertThat(session.state()).isEqualTo(SessionState.CLOSING);
		assertThat(session.queuedFrames()).isZero();
		// What the peer still sends is ignored and queues nothing.
		session.receive(FrameCodec.encode(Utf8DataFrame.of(SID, 109, "x")));
		assertThat(session.queuedFrames()).isZero();
		this.transport.resume();
		assertThat(this.transport.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
		// The queued ACKs were discarded with the queue.
		assertThat(this.transport.written()).noneMatch((frame) -> frame instanceof AckFrame ack && ack.ack() >= 100);
	}

	@Test
	void aFrameLargerThanTheByteCapFitsOnlyIntoAnEmptyQueue() {
		ProtocolSession session = stalledSession(new BackpressureSettings(10_000_000, 100, 1000, 100,
				DropPolicy.DROP_NEWEST));
		CompletableFuture<Void> big = session.sendBinary(ByteBuffer.allocate(5000));
		CompletableFuture<Void> small = session.sendBinary(ByteBuffer.allocate(10));
		CompletableFuture<Void> secondBig = session.sendBinary(ByteBuffer.allocate(5000));
		assertThat(big).isNotDone();
		assertThat(small).isCompletedExceptionally();
		assertThat(secondBig).isCompletedExceptionally();
		this.transport.resume();
		assertThat(this.transport.written().stream().filter(BinaryDataFrame.class::isInstance).count()).isEqualTo(1);
	}

	@Test
	void writabilityFlipsAtTheHighMarkAndRecoversAtTheLowMark() {
		ProtocolSession session = stalledSession(new BackpressureSettings(1000, 300, 1_000_000, 1000,
				DropPolicy.DROP_NEWEST));
		assertThat(session.isWritable()).isTrue();
		for (int i = 0; i < 9; i++) {
			session.sendUtf8(text(i));
		}
		assertThat(session.isWritable()).isFalse();
		assertThat(this.writability).containsExactly(false);
		this.transport.resume();
		assertThat(session.isWritable()).isTrue();
		assertThat(this.writability).containsExactly(false, true);
		assertThat(session.pendingBytes()).isZero();
	}

	@Test
	void queueAccountingStaysWithinTheCapWhileAGibibyteIsOfferedToAStalledPeer() {
		long maxQueuedBytes = 8L << 20;
		ProtocolSession session = stalledSession(BackpressureSettings.SEED_DEFAULTS);
		ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
		long offered = 0;
		int sends = 0;
		long peakQueued = 0;
		while (offered < (1L << 30)) {
			session.sendBinary(chunk.duplicate());
			offered += chunk.capacity();
			sends++;
			peakQueued = Math.max(peakQueued, session.queuedBytes());
		}
		long queuedFrames = session.queuedBytes() / (64 * 1024 + 13);
		assertThat(peakQueued).isLessThanOrEqualTo(maxQueuedBytes);
		// Every frame offered is either still queued or counted as dropped: nothing vanished.
		assertThat(session.statistics().framesDropped() + queuedFrames).isEqualTo(sends);
	}

}
