package dev.cryo.core.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.cryo.core.dialect.v1.CryoV1Codec;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.engine.TestTransport.CloseCall;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.Utf8DataFrame;

import static dev.cryo.core.engine.SessionFixture.SID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The send queue and its writer (cryo-v1.md §11.3, {@link CryoTransport}): one send at a time,
 * no recursion on inline completions, expedited frames first, and write failures.
 */
class SendQueueTests {

	private final SessionFixture fixture = new SessionFixture();

	private final List<ExecutorService> executors = new ArrayList<>();

	@AfterEach
	void stopThreads() {
		this.executors.forEach(ExecutorService::shutdownNow);
		this.fixture.close();
	}

	@Test
	void neverMoreThanOneSendIsOutstandingWithEightConcurrentSenders() throws Exception {
		int senders = 8;
		int perSender = 1_000;
		int received = 1_000;
		ExecutorService completions = executor(3);
		ProtocolSession session = this.fixture.options(SessionFixture.UNBOUNDED).open();
		// Each send completes either inline or on a "container" thread, so both writer paths race.
		// Switched on only now: a handshake frame still completing on the executor would send its
		// ACK after "before" is read.
		this.fixture.transport.completeOn((completion) -> {
			if (ThreadLocalRandom.current().nextBoolean()) {
				completion.run();
			}
			else {
				completions.execute(completion);
			}
		});
		int before = this.fixture.transport.sendCount();
		ExecutorService producers = executor(senders + 1);
		CountDownLatch go = new CountDownLatch(1);
		List<Future<?>> running = new ArrayList<>();
		for (int sender = 0; sender < senders; sender++) {
			int id = sender;
			running.add(producers.submit(() -> {
				go.await();
				for (int i = 0; i < perSender; i++) {
					session.sendUtf8(id + ":" + i);
				}
				return null;
			}));
		}
		// Meanwhile the receiving thread queues expedited ACKs.
		running.add(producers.submit(() -> {
			go.await();
			for (int i = 0; i < received; i++) {
				this.fixture.receive(Utf8DataFrame.of(SID, 1_000_000 + i, "in"));
			}
			return null;
		}));
		go.countDown();
		for (Future<?> producer : running) {
			producer.get(Polling.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
		}
		int expected = before + senders * perSender + received;
		Polling.await("every frame reached the transport", () -> this.fixture.transport.sendCount() == expected);
		assertThat(this.fixture.transport.maxInFlight()).isEqualTo(1);
		List<Utf8DataFrame> data = this.fixture.transport.sent(Utf8DataFrame.class);
		assertThat(data).hasSize(senders * perSender);
		assertThat(this.fixture.transport.sent(AckFrame.class)).hasSize(received);
		// Distinct ack numbers 1..8000, and each sender's frames in the order it sent them.
		assertThat(data).extracting(Utf8DataFrame::ack).doesNotHaveDuplicates().allMatch((ack) -> ack >= 1 && ack <= 8_000);
		Map<String, Integer> nextPerSender = new HashMap<>();
		for (Utf8DataFrame frame : data) {
			String[] parts = frame.text().split(":");
			int expectedIndex = nextPerSender.getOrDefault(parts[0], 0);
			assertThat(Integer.parseInt(parts[1])).as("frame of sender " + parts[0]).isEqualTo(expectedIndex);
			nextPerSender.put(parts[0], expectedIndex + 1);
		}
		assertThat(session.queuedFrames()).isZero();
		assertThat(this.fixture.transport.isClosed()).isFalse();
	}

	@Test
	void inlineCompletionsOfALongBacklogDoNotRecurse() {
		List<Throwable> failures = new ArrayList<>();
		TestTransport transport = this.fixture.transport.hold();
		SendQueue queue = unbounded(transport, failures::add);
		int frames = 100_000;
		for (int i = 0; i < frames; i++) {
			assertThat(queue.enqueue(outbound(Utf8DataFrame.of(SID, i, "")))).isEqualTo(SendQueue.Admission.QUEUED);
		}
		assertThat(queue.queuedCount()).isEqualTo(frames - 1);
		// The first completion drains the whole backlog through a transport that completes inline:
		// a recursive writer would need 100 000 stack frames here.
		transport.release();
		assertThat(transport.sendCount()).isEqualTo(frames);
		assertThat(transport.sent(Utf8DataFrame.class)).extracting(Utf8DataFrame::ack)
			.startsWith(0, 1, 2)
			.endsWith(frames - 2, frames - 1)
			.isSorted();
		assertThat(failures).isEmpty();
		assertThat(transport.maxInFlight()).isEqualTo(1);
	}

	@Test
	void sessionSurvivesABacklogOfInlineCompletions() {
		ProtocolSession session = this.fixture.options(SessionFixture.UNBOUNDED).open();
		this.fixture.transport.countOnly().hold();
		for (int i = 0; i < 100_000; i++) {
			session.sendUtf8("x");
		}
		this.fixture.transport.release();
		assertThat(this.fixture.transport.sendCount()).isEqualTo(2 + 100_000);
		assertThat(session.queuedFrames()).isZero();
		assertThat(this.fixture.transport.isClosed()).isFalse();
	}

	@Test
	void expeditedFramesOvertakeQueuedDataOnASlowTransport() {
		ProtocolSession session = this.fixture.open();
		this.fixture.transport.hold();
		session.sendUtf8("in flight");
		session.sendUtf8("queued 1");
		session.sendError("queued 2");
		this.fixture.receive(Utf8DataFrame.of(SID, 70, "needs an ACK"));
		this.fixture.receive(PingPongFrame.ping(SID, 0));
		session.ping();
		assertThat(session.queuedFrames()).isEqualTo(5);
		this.fixture.transport.release();
		// Expedited frames keep their own order among themselves.
		assertThat(this.fixture.log.events()).filteredOn((event) -> event.startsWith("send"))
			.containsExactly("send UTF8DATA 1 in flight", "send ACK 70", "send PONG 0", "send PING 4",
					"send UTF8DATA 2 queued 1", "send ERROR 3 queued 2");
	}

	@Test
	void expeditedFramesOvertakeOnlyWhatIsQueuedNotWhatIsInFlight() {
		List<Throwable> failures = new ArrayList<>();
		TestTransport transport = this.fixture.transport.hold();
		SendQueue queue = unbounded(transport, failures::add);
		queue.enqueue(outbound(Utf8DataFrame.of(SID, 1, "a")));
		queue.enqueue(outbound(new ByeFrame(SID, 2, "b")));
		queue.enqueue(outbound(new AckFrame(SID, 9)));
		assertThat(queue.queuedBytes()).isEqualTo(14);
		transport.release();
		assertThat(transport.sentTypes()).containsExactly(FrameType.UTF8DATA, FrameType.ACK, FrameType.BYE);
		assertThat(queue.queuedBytes()).isZero();
	}

	@Test
	void failingSendClosesTheSession() throws Exception {
		ProtocolSession session = this.fixture.open();
		this.fixture.transport.failNextSend(new IOException("broken pipe"));
		CompletableFuture<Void> send = session.sendUtf8("lost");
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4002, "Write failed."));
		assertThat(session.state()).isEqualTo(SessionState.CLOSING);
		// The owner reports the close that follows; only then does the send fail.
		session.transportClosed(4002, "Write failed.");
		assertThat(send).failsWithin(Duration.ZERO)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(CryoSessionClosedException.class);
		assertThat(this.fixture.handler.closes())
			.containsExactly(new CloseInfo(1006, "Connection lost.", CloseInfo.Initiator.PEER));
	}

	@Test
	void sendThatFailsLaterClosesTheSessionAndDropsTheQueue() {
		ProtocolSession session = this.fixture.open();
		this.fixture.transport.hold();
		session.sendUtf8("in flight");
		session.sendUtf8("queued");
		this.fixture.transport.failHeld(new IOException("reset by peer"));
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4002, "Write failed."));
		assertThat(session.queuedFrames()).isZero();
		this.fixture.transport.release();
		assertThat(this.fixture.transport.sent(Utf8DataFrame.class)).extracting(Utf8DataFrame::text)
			.containsExactly("in flight");
	}

	@Test
	void transportThatThrowsClosesTheSession() {
		ProtocolSession session = this.fixture.open();
		this.fixture.transport.throwOnNextSend(new UncheckedIOException(new IOException("closed channel")));
		session.sendUtf8("refused");
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4002, "Write failed."));
		assertThat(session.state()).isEqualTo(SessionState.CLOSING);
	}

	@Test
	void asyncFailureIsReportedOnceAndStopsTheWriter() {
		List<Throwable> failures = new ArrayList<>();
		TestTransport transport = this.fixture.transport.hold();
		SendQueue queue = unbounded(transport, failures::add);
		queue.enqueue(outbound(Utf8DataFrame.of(SID, 1, "a")));
		queue.enqueue(outbound(Utf8DataFrame.of(SID, 2, "b")));
		IOException failure = new IOException("gone");
		transport.failHeld(failure);
		assertThat(failures).containsExactly(failure);
		// The queue leaves it to its owner to close; the writer stopped and sent nothing more.
		assertThat(transport.sendCount()).isOne();
		assertThat(queue.queuedCount()).isOne();
	}

	@Test
	void closeWhenFlushedRunsAtOnceOnAnIdleQueue() {
		SendQueue queue = unbounded(this.fixture.transport, (failure) -> {
		});
		AtomicInteger runs = new AtomicInteger();
		queue.closeWhenFlushed(runs::incrementAndGet);
		assertThat(runs).hasValue(1);
		assertThat(queue.enqueue(outbound(new AckFrame(SID, 1)))).isEqualTo(SendQueue.Admission.CLOSED);
		queue.closeWhenFlushed(runs::incrementAndGet);
		assertThat(runs).hasValue(1);
	}

	@Test
	void closeWhenFlushedWaitsForEverythingQueued() {
		TestTransport transport = this.fixture.transport.hold();
		SendQueue queue = unbounded(transport, (failure) -> {
		});
		AtomicBoolean flushed = new AtomicBoolean();
		queue.enqueue(outbound(Utf8DataFrame.of(SID, 1, "a")));
		queue.enqueue(outbound(Utf8DataFrame.of(SID, 2, "b")));
		queue.closeWhenFlushed(() -> flushed.set(true));
		transport.completeNext();
		assertThat(flushed).isFalse();
		transport.completeNext();
		assertThat(flushed).isTrue();
		assertThat(transport.sentTypes()).hasSize(2);
		assertThat(queue.enqueue(outbound(Utf8DataFrame.of(SID, 3, "c")))).isEqualTo(SendQueue.Admission.CLOSED);
	}

	@Test
	void closeDiscardsAndReturnsWhatIsQueued() {
		TestTransport transport = this.fixture.transport.hold();
		SendQueue queue = unbounded(transport, (failure) -> {
		});
		queue.enqueue(outbound(Utf8DataFrame.of(SID, 1, "in flight")));
		OutboundFrame queued = outbound(Utf8DataFrame.of(SID, 2, "queued"));
		OutboundFrame ack = outbound(new AckFrame(SID, 3));
		queue.enqueue(queued);
		queue.enqueue(ack);
		assertThat(queue.close(IllegalStateException::new)).containsExactly(ack, queued);
		assertThat(queue.queuedCount()).isZero();
		assertThat(queue.queuedBytes()).isZero();
		transport.release();
		assertThat(transport.sendCount()).isOne();
		assertThat(queue.enqueue(outbound(new AckFrame(SID, 4)))).isEqualTo(SendQueue.Admission.CLOSED);
	}

	@Test
	void producerWaitingForRoomIsWokenOnceTheQueueHasDrainedToHalfItsCapsNotAtEachWrite() {
		TestTransport transport = this.fixture.transport.hold();
		OutboundFrame chunk = outbound(Utf8DataFrame.of(SID, 1, "a chunk"));
		int length = chunk.length();
		SendQueue queue = capped(transport, 8L * length, 8);
		queue.enqueue(chunk);
		for (int i = 0; i < 8; i++) {
			assertThat(queue.enqueue(outbound(Utf8DataFrame.of(SID, 2 + i, "a chunk")))).isEqualTo(SendQueue.Admission.QUEUED);
		}
		CompletableFuture<Void> room = queue.awaitRoom(length);
		assertThat(room).isNotDone();
		// Three writes: one frame in flight, five queued; room for one more since the first.
		for (int written = 1; written <= 3; written++) {
			transport.completeNext();
			assertThat(room).as("after " + written + " writes").isNotDone();
		}
		transport.completeNext();
		assertThat(queue.queuedCount()).isEqualTo(4);
		assertThat(room).isCompleted();
		// A producer that is not waiting may still fill the queue to its caps.
		assertThat(queue.awaitRoom(length)).isCompleted();
	}

	/** A queue without caps, reporting write failures to the given consumer. */
	private static SendQueue unbounded(CryoTransport transport, java.util.function.Consumer<Throwable> writeFailures) {
		return queue(transport, Long.MAX_VALUE, Integer.MAX_VALUE, writeFailures);
	}

	/** A queue with the given caps on queued bytes and frames, dropping the newest frame beyond them. */
	private static SendQueue capped(CryoTransport transport, long maxQueuedBytes, int maxQueueCount) {
		return queue(transport, maxQueuedBytes, maxQueueCount, (failure) -> {
			throw new AssertionError("write failed", failure);
		});
	}

	private static SendQueue queue(CryoTransport transport, long maxQueuedBytes, int maxQueueCount,
			java.util.function.Consumer<Throwable> writeFailures) {
		BackpressureSettings limits = new BackpressureSettings(Long.MAX_VALUE, 0, maxQueuedBytes, maxQueueCount,
				DropPolicy.DROP_NEWEST);
		return new SendQueue(transport, limits, new SendQueue.Listener() {
			@Override
			public void dropped(List<OutboundFrame> frames) {
				throw new AssertionError("the queue dropped " + frames);
			}

			@Override
			public void writabilityChanged(boolean writable) {
			}

			@Override
			public void writeFailed(Throwable failure) {
				writeFailures.accept(failure);
			}
		});
	}

	private ExecutorService executor(int threads) {
		ExecutorService executor = Executors.newFixedThreadPool(threads, (task) -> {
			Thread thread = new Thread(task, "send-queue-test");
			thread.setDaemon(true);
			return thread;
		});
		this.executors.add(executor);
		return executor;
	}

	private static OutboundFrame outbound(Frame frame) {
		ByteBuffer message = FrameCodec.encode(frame);
		return new OutboundFrame(frame.type(), message, message.getInt(9), frame.type().isTracked(), CryoV1Codec.INSTANCE);
	}

}
