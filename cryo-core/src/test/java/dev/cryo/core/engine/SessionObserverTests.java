package dev.cryo.core.engine;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;

import static dev.cryo.core.engine.SessionFixture.SID;
import static org.assertj.core.api.Assertions.assertThat;

/** What a session reports to its {@link SessionObserver}: the raw material of the metrics. */
class SessionObserverTests {

	private final CountingObserver observer = new CountingObserver();

	private final SessionFixture fixture = new SessionFixture().observer(this.observer);

	@AfterEach
	void stopTimers() {
		this.fixture.close();
	}

	@Test
	void receivedFramesAreReportedByTypeWithTheirMessageLength() {
		this.fixture.open();
		this.observer.clear();
		ByteBuffer message = FrameCodec.encode(Utf8DataFrame.of(SID, 7, "hello"));
		int length = message.remaining();
		this.fixture.session().receive(message);
		assertThat(this.observer.received).containsExactly(Map.entry(FrameType.UTF8DATA, 1));
		assertThat(this.observer.bytesReceived.get()).isEqualTo(length);
	}

	@Test
	void malformedMessagesAreReportedWithTheirLength() {
		this.fixture.open();
		this.observer.clear();
		this.fixture.receive(new byte[] { 1, 2, 3 });
		assertThat(this.observer.received).isEmpty();
		assertThat(this.observer.malformed.get()).isOne();
		assertThat(this.observer.bytesReceived.get()).isEqualTo(3);
	}

	@Test
	void framesHandedToTheTransportAreReportedByType() {
		ProtocolSession session = this.fixture.open();
		this.observer.clear();
		session.sendUtf8("out");
		this.fixture.receive(Utf8DataFrame.of(SID, 9, "in"));
		// The UTF8DATA we sent and the ACK of the one we received.
		assertThat(this.observer.sent).containsOnly(Map.entry(FrameType.UTF8DATA, 1), Map.entry(FrameType.ACK, 1));
		long expectedBytes = FrameCodec.encode(Utf8DataFrame.of(SID, 0, "out")).remaining()
				+ FrameCodec.encode(new AckFrame(SID, 9)).remaining();
		assertThat(this.observer.bytesSent.get()).isEqualTo(expectedBytes);
	}

	@Test
	void roundTripSamplesAreReportedForEveryAck() {
		ProtocolSession session = this.fixture.open();
		this.observer.clear();
		session.sendUtf8("first");
		session.sendUtf8("second");
		this.fixture.receive(new AckFrame(SID, 1));
		this.fixture.receive(new AckFrame(SID, 2));
		// An ACK for nothing pending is not a sample.
		this.fixture.receive(new AckFrame(SID, 99));
		assertThat(this.observer.roundTrips).hasSize(2).allSatisfy((nanos) -> assertThat(nanos).isNotNegative());
	}

	@Test
	void ackTimeoutsAreReported() {
		this.fixture.options(SessionFixture.options(Duration.ofMillis(100), Duration.ZERO, 16));
		ProtocolSession session = this.fixture.open();
		CompletableFuture<Void> first = session.sendUtf8("one");
		CompletableFuture<Void> second = session.sendUtf8("two");
		Polling.await("both sends timed out", () -> first.isDone() && second.isDone());
		Polling.await("the observer saw both timeouts", () -> this.observer.ackTimeouts.get() == 2);
		assertThat(this.observer.ackTimeouts.get()).isEqualTo(session.statistics().ackTimeouts());
	}

	@Test
	void dropsAreReportedWithThePolicy() {
		this.fixture.options(new SessionOptions(Duration.ofSeconds(30), Duration.ZERO, 16, Duration.ofSeconds(30),
				new BackpressureSettings(Long.MAX_VALUE, 0, Long.MAX_VALUE, 2, DropPolicy.DROP_OLDEST),
				Duration.ZERO));
		ProtocolSession session = this.fixture.open();
		// The writer is busy with the first message, so the next ones queue up behind it.
		this.fixture.transport.hold();
		for (int i = 1; i <= 6; i++) {
			session.sendUtf8("message " + i);
		}
		// One in flight, two queued: three were evicted to make room.
		assertThat(this.observer.dropped).containsExactly(Map.entry(DropPolicy.DROP_OLDEST, 3));
		assertThat(session.statistics().framesDropped()).isEqualTo(3);
		this.fixture.transport.release();
	}

	@Test
	void terminateReportsTheRefusedFrame() {
		this.fixture.options(new SessionOptions(Duration.ofSeconds(30), Duration.ZERO, 16, Duration.ofSeconds(30),
				new BackpressureSettings(Long.MAX_VALUE, 0, Long.MAX_VALUE, 1, DropPolicy.TERMINATE), Duration.ZERO));
		ProtocolSession session = this.fixture.open();
		this.fixture.transport.hold();
		session.sendUtf8("in flight");
		session.sendUtf8("queued");
		session.sendUtf8("one too many");
		assertThat(this.observer.dropped).containsExactly(Map.entry(DropPolicy.TERMINATE, 1));
		this.fixture.transport.release();
	}

	@Test
	void transactionChunkPayloadsAreReported() {
		this.fixture.open();
		this.observer.clear();
		this.fixture.receive(new TxStartFrame(SID, 5, 1, "upload"));
		this.fixture.receive(new TxChunkFrame(SID, 1, ByteBuffer.wrap(new byte[1000])));
		this.fixture.receive(new TxChunkFrame(SID, 1, ByteBuffer.wrap(new byte[24])));
		assertThat(this.observer.transactionBytesReceived.get()).isEqualTo(1024);
	}

	@Test
	void sessionWithoutObserverWritesStraightToItsTransport() {
		SessionFixture plain = new SessionFixture();
		try {
			ProtocolSession session = plain.session();
			assertThat(SessionFixture.read(ProtocolSession.class, "sendQueue", session)).extracting("transport")
				.isSameAs(plain.transport);
		}
		finally {
			plain.close();
		}
	}

	/** Counts what it is told; thread-safe enough for a session's timer and the test thread. */
	private static final class CountingObserver implements SessionObserver {

		final Map<FrameType, Integer> received = new EnumMap<>(FrameType.class);

		final Map<FrameType, Integer> sent = new EnumMap<>(FrameType.class);

		final Map<DropPolicy, Integer> dropped = new EnumMap<>(DropPolicy.class);

		final List<Long> roundTrips = new ArrayList<>();

		final AtomicLong bytesReceived = new AtomicLong();

		final AtomicLong bytesSent = new AtomicLong();

		final AtomicInteger malformed = new AtomicInteger();

		final AtomicLong ackTimeouts = new AtomicLong();

		final AtomicLong transactionBytesReceived = new AtomicLong();

		@Override
		public synchronized void frameReceived(FrameType type, int bytes) {
			this.received.merge(type, 1, Integer::sum);
			this.bytesReceived.addAndGet(bytes);
		}

		@Override
		public void malformedFrameReceived(int bytes) {
			this.malformed.incrementAndGet();
			this.bytesReceived.addAndGet(bytes);
		}

		@Override
		public synchronized void frameSent(FrameType type, int bytes) {
			this.sent.merge(type, 1, Integer::sum);
			this.bytesSent.addAndGet(bytes);
		}

		@Override
		public synchronized void framesDropped(DropPolicy policy, int count) {
			this.dropped.merge(policy, count, Integer::sum);
		}

		@Override
		public void ackTimedOut(int count) {
			this.ackTimeouts.addAndGet(count);
		}

		@Override
		public synchronized void roundTripSampled(long nanos) {
			this.roundTrips.add(nanos);
		}

		@Override
		public void transactionBytesReceived(int bytes) {
			this.transactionBytesReceived.addAndGet(bytes);
		}

		synchronized void clear() {
			this.received.clear();
			this.sent.clear();
			this.dropped.clear();
			this.roundTrips.clear();
			this.bytesReceived.set(0);
			this.bytesSent.set(0);
			this.malformed.set(0);
			this.transactionBytesReceived.set(0);
		}

	}

}
