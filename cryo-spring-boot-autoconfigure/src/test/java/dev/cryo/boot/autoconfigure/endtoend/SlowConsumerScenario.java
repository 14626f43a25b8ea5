package dev.cryo.boot.autoconfigure.endtoend;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.CryoFrameDroppedException;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.test.RawCryoClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real slow consumer: a client that stops reading while the server offers it numbered binary
 * messages, then reads and ACKs what arrives. Records what the server's own accounting said
 * along the way.
 */
final class SlowConsumerScenario implements AutoCloseable {

	final RawCryoClient client;

	final CryoSession session;

	final List<CompletableFuture<Void>> futures = new ArrayList<>();

	long peakQueuedBytes;

	long offeredBytes;

	SlowConsumerScenario(CryoServer server, int port) {
		SessionId sid = SessionId.of(ThreadLocalRandom.current().nextLong());
		this.client = RawCryoClient.connect(port, "/cryo", BackpressureTestApplication.TOKEN, sid);
		this.client.handshake();
		this.session = (CryoSession) awaitSession(server, sid);
		this.client.pauseReading();
	}

	private static Object awaitSession(CryoServer server, SessionId sid) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (System.nanoTime() < deadline) {
			if (server.session(sid).isPresent()) {
				return server.session(sid).get();
			}
			Thread.onSpinWait();
		}
		throw new AssertionError("session " + sid + " never became live");
	}

	/** Offers {@code count} messages of {@code size} bytes whose first four bytes are their index. */
	void offer(int count, int size) {
		offer(count, size, (index) -> null);
	}

	void offer(int count, int size, IntFunction<Object> dedupeKey) {
		ByteBuffer payload = ByteBuffer.allocate(size);
		for (int i = 0; i < count; i++) {
			payload.putInt(0, i);
			Object key = dedupeKey.apply(i);
			this.futures.add((key != null) ? this.session.sendBinary(payload.duplicate(), key)
					: this.session.sendBinary(payload.duplicate()));
			this.offeredBytes += size;
			this.peakQueuedBytes = Math.max(this.peakQueuedBytes, this.session.queuedBytes());
		}
	}

	/** The indexes whose futures failed because backpressure dropped them. */
	List<Integer> dropped() {
		List<Integer> dropped = new ArrayList<>();
		for (int i = 0; i < this.futures.size(); i++) {
			if (isDropped(this.futures.get(i))) {
				dropped.add(i);
			}
		}
		return dropped;
	}

	List<Integer> notDropped() {
		List<Integer> kept = new ArrayList<>();
		for (int i = 0; i < this.futures.size(); i++) {
			if (!isDropped(this.futures.get(i))) {
				kept.add(i);
			}
		}
		return kept;
	}

	private static boolean isDropped(CompletableFuture<Void> future) {
		if (!future.isCompletedExceptionally()) {
			return false;
		}
		try {
			future.get();
			return false;
		}
		catch (ExecutionException ex) {
			return ex.getCause() instanceof CryoFrameDroppedException;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** Resumes reading and ACKs every binary message until {@code expected} have arrived. */
	List<Integer> resumeAndReceive(int expected) {
		this.client.resumeReading();
		List<Integer> received = new ArrayList<>();
		while (received.size() < expected) {
			Frame frame = this.client.nextIgnoringPings();
			if (frame instanceof BinaryDataFrame data) {
				received.add(data.payload().getInt(0));
				this.client.send(new AckFrame(this.client.sid(), data.ack()));
			}
		}
		return received;
	}

	void assertEveryKeptFutureCompletes() {
		for (int index : notDropped()) {
			assertThat(this.futures.get(index)).as("future of message %d", index)
				.succeedsWithin(Duration.ofSeconds(10));
		}
	}

	@Override
	public void close() {
		this.client.close();
	}

}
