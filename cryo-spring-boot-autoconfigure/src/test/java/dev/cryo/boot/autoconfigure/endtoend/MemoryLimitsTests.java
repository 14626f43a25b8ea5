package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.engine.ProtocolSession;
import dev.cryo.core.engine.SessionLimit;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.event.CryoBinaryMessageEvent;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.support.DefaultCryoServer;
import dev.cryo.server.support.ReassemblyBudget;
import dev.cryo.server.web.CryoWebSocketHandler;
import dev.cryo.test.RawCryoClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What peers can make the server hold, on real connections: many sessions sending large
 * messages at once share one reassembly budget and the ones that do not fit are refused with
 * 1013 instead of exhausting the heap; a message over the per-message limit is refused with
 * 1009; a peer that floods small messages and never reads is closed with 1008 once its ACKs
 * reach their cap. Through all of it a bystander session keeps echoing.
 *
 * <p>Small sizes by default; {@code -Dcryo.test.full=true} runs the sizes of the report: 60
 * sessions each sending 16 MiB at once with the default budget, and a 30 s flood with the
 * default cap.
 */
class MemoryLimitsTests {

	private static final boolean FULL = Boolean.getBoolean("cryo.test.full");

	private static final String TOKEN = "secret";

	private static final Duration WAIT = Duration.ofSeconds(FULL ? 120 : 30);

	/** The senders do not answer pings while they send: the heartbeat must not end them meanwhile. */
	@Nested
	@SpringBootTest(classes = LimitsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "cryo.ack-timeout=60s", "cryo.keep-alive-interval=60s" })
	class LargeMessages {

		/** Senders at once: 6 (60 in full mode). */
		static final int SENDERS = FULL ? 60 : 6;

		/** Each sender's message: 2 MiB, of which four fit the 8 MiB budget at once (16 MiB and the default budget in full mode). */
		static final int PAYLOAD = FULL ? 16 << 20 : (2 << 20) - 13;

		static final int PART = 64 * 1024;

		@DynamicPropertySource
		static void limits(DynamicPropertyRegistry registry) {
			if (!FULL) {
				registry.add("cryo.limits.reassembly-budget", () -> "8MB");
			}
		}

		@Autowired
		CryoServer server;

		@Autowired
		CryoEventRecorder events;

		@Autowired
		LimitCounter limits;

		@LocalServerPort
		int port;

		@Test
		void sessionsSendingLargeMessagesAtOnceShareTheBudgetAndTheOnesThatDoNotFitAreToldToTryLater()
				throws Exception {
			ReassemblyBudget budget = ((DefaultCryoServer) this.server).sessionFactory().reassemblyBudget();
			byte[] payload = new byte[PAYLOAD];
			for (int i = 0; i < payload.length; i++) {
				payload[i] = (byte) (i % 251);
			}
			ByteBuffer message = sharedMessage(payload);
			List<RawCryoClient> senders = new ArrayList<>();
			try (RawCryoClient bystander = echoingBystander(SessionId.of(9_999))) {
				for (int i = 0; i < SENDERS; i++) {
					RawCryoClient sender = RawCryoClient.connect(this.port, "/cryo", TOKEN, SessionId.of(100 + i));
					sender.handshake();
					senders.add(sender);
				}
				AtomicReference<Long> peakHeld = new AtomicReference<>(0L);
				Thread sampler = sampler(() -> peakHeld.accumulateAndGet(budget.held(), Math::max));
				// Part by part, every sender before the next part: all messages are in reassembly at once.
				boolean[] refused = new boolean[SENDERS];
				for (int offset = 0; offset < message.remaining(); offset += PART) {
					int size = Math.min(PART, message.remaining() - offset);
					boolean last = offset + size == message.remaining();
					List<CompletableFuture<?>> writes = new ArrayList<>();
					for (int i = 0; i < SENDERS; i++) {
						if (!refused[i] && !senders.get(i).isClosed()) {
							writes.add(senders.get(i).sendPart(message.slice(offset, size), last).handle((ws, ex) -> null));
						}
					}
					CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
					if (offset % (4 * PART * 16) == 0) {
						echo(bystander, offset / PART + 1);
					}
				}
				int accepted = 0;
				int triedLater = 0;
				for (RawCryoClient sender : senders) {
					Outcome outcome = outcome(sender);
					if (outcome == Outcome.ACKED) {
						accepted++;
						CryoBinaryMessageEvent event = this.events.await(sender.sid(), CryoBinaryMessageEvent.class);
						assertThat(event.size()).isEqualTo(PAYLOAD);
						assertThat(event.payload().get(PAYLOAD - 1)).isEqualTo(payload[PAYLOAD - 1]);
					}
					else {
						assertThat(outcome).isEqualTo(Outcome.TRY_AGAIN_LATER);
						triedLater++;
					}
				}
				sampler.interrupt();
				System.out.printf("%d sessions sent a %d-byte message each at once: %d accepted, %d refused with 1013; "
						+ "budget %d MiB, peak held %d MiB%n", SENDERS, message.remaining(), accepted, triedLater,
						budget.capacity() >> 20, peakHeld.get() >> 20);
				assertThat(accepted).isPositive();
				if (!FULL) {
					assertThat(triedLater).isPositive();
				}
				assertThat(accepted + triedLater).isEqualTo(SENDERS);
				assertThat(this.limits.count(SessionLimit.REASSEMBLY_BUDGET)).isEqualTo(triedLater);
				assertThat(peakHeld.get()).isLessThanOrEqualTo(budget.capacity());
				// The bystander was served throughout and still is.
				echo(bystander, 1_000_000);
				awaitZero(budget);
			}
			finally {
				senders.forEach(RawCryoClient::close);
			}
		}

		private RawCryoClient echoingBystander(SessionId sid) {
			RawCryoClient bystander = RawCryoClient.connect(this.port, "/cryo", TOKEN, sid);
			bystander.handshake();
			CryoSession session = this.server.session(sid).orElseThrow();
			session.setAttribute(BinaryEchoListener.ECHO_ATTRIBUTE, true);
			echo(bystander, 1);
			return bystander;
		}

		private Outcome outcome(RawCryoClient sender) {
			long deadline = System.nanoTime() + WAIT.toNanos();
			while (System.nanoTime() < deadline) {
				Frame frame = sender.poll(Duration.ofMillis(50));
				if (frame instanceof AckFrame ack && ack.ack() == 1) {
					return Outcome.ACKED;
				}
				if (frame == null && sender.isClosed()) {
					RawCryoClient.Close close = sender.awaitClose();
					assertThat(close.reason()).isEqualTo(CryoWebSocketHandler.TRY_AGAIN_LATER_REASON);
					return (close.code() == CloseCodes.TRY_AGAIN_LATER) ? Outcome.TRY_AGAIN_LATER : Outcome.OTHER;
				}
			}
			throw new AssertionError("Session " + sender.sid() + " was neither ACKed nor closed within " + WAIT);
		}

		/** One message for all senders, so that the test holds it once: the server logs the foreign sids and goes on. */
		private static ByteBuffer sharedMessage(byte[] payload) {
			return encodeBinary(SessionId.of(100), payload);
		}

	}

	@Nested
	@SpringBootTest(classes = LimitsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "cryo.limits.max-message-size=3MB")
	class PerMessageLimit {

		@Autowired
		LimitCounter limits;

		@LocalServerPort
		int port;

		@Test
		void aMessageOverTheConfiguredLimitIsRefusedWith1009AndOneAtTheLimitIsAccepted() {
			int limit = 3 * 1024 * 1024;
			try (RawCryoClient atLimit = RawCryoClient.connect(this.port, "/cryo", TOKEN, SessionId.of(201));
					RawCryoClient overLimit = RawCryoClient.connect(this.port, "/cryo", TOKEN, SessionId.of(202))) {
				atLimit.handshake();
				overLimit.handshake();
				int before = this.limits.count(SessionLimit.MESSAGE_SIZE);
				atLimit.sendRaw(encodeBinary(atLimit.sid(), new byte[limit - 13]));
				assertThat(atLimit.nextIgnoringPings()).isEqualTo(new AckFrame(atLimit.sid(), 1));
				overLimit.sendRaw(encodeBinary(overLimit.sid(), new byte[limit - 12]));
				RawCryoClient.Close close = overLimit.awaitClose(WAIT);
				assertThat(close.code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
				assertThat(close.reason()).isEqualTo(CryoWebSocketHandler.MESSAGE_TOO_BIG_REASON);
				assertThat(this.limits.count(SessionLimit.MESSAGE_SIZE)).isEqualTo(before + 1);
			}
		}

	}

	@Nested
	@SpringBootTest(classes = LimitsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "cryo.ack-timeout=60s")
	class Flood {

		/** The cap on waiting ACKs and pongs: 256, the default of 4096 in full mode. */
		static final int CAP = FULL ? 4096 : 256;

		static final Duration FLOOD = Duration.ofSeconds(FULL ? 30 : 10);

		@DynamicPropertySource
		static void limits(DynamicPropertyRegistry registry) {
			if (!FULL) {
				registry.add("cryo.limits.max-expedited-frames", () -> String.valueOf(CAP));
			}
		}

		@Autowired
		CryoServer server;

		@Autowired
		CryoEventRecorder events;

		@Autowired
		LimitCounter limits;

		@LocalServerPort
		int port;

		@Test
		void aPeerThatFloodsAndNeverReadsIsClosedWith1008AndItsAcksStayUnderTheCap() throws Exception {
			SessionId flooderId = SessionId.of(301);
			try (RawCryoClient bystander = RawCryoClient.connect(this.port, "/cryo", TOKEN, SessionId.of(302));
					NonReadingPeer flooder = NonReadingPeer.connect(this.port, TOKEN, flooderId)) {
				bystander.handshake();
				this.server.session(bystander.sid())
					.orElseThrow()
					.setAttribute(BinaryEchoListener.ECHO_ATTRIBUTE, true);
				CryoSession session = awaitSession(flooderId);
				AtomicInteger peakQueued = new AtomicInteger();
				Thread sampler = sampler(() -> peakQueued.accumulateAndGet(session.queuedFrames(), Math::max));
				Thread flooding = new Thread(() -> {
					long end = System.nanoTime() + FLOOD.toNanos();
					try {
						while (System.nanoTime() < end) {
							flooder.flood(100);
						}
					}
					catch (IOException ex) {
						// The server closed the connection: the flood is over.
					}
				}, "flooder");
				flooding.setDaemon(true);
				flooding.start();
				int echoes = 0;
				long started = System.nanoTime();
				while (flooding.isAlive() && this.events.events(flooderId, CryoSessionClosedEvent.class).isEmpty()) {
					echo(bystander, ++echoes);
				}
				CryoSessionClosedEvent closed = this.events.awaitCount(flooderId, CryoSessionClosedEvent.class, 1, WAIT)
					.get(0);
				sampler.interrupt();
				flooding.interrupt();
				System.out.printf("Flooder sent %d messages in %d ms without reading: closed with %d (%s), peak queued "
						+ "frames %d (cap %d); the bystander echoed %d messages meanwhile%n", flooder.sent(),
						Duration.ofNanos(System.nanoTime() - started).toMillis(), closed.code(), closed.reason(),
						peakQueued.get(), CAP, echoes);
				assertThat(closed.code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
				assertThat(closed.reason()).isEqualTo(ProtocolSession.EXPEDITED_LIMIT_REASON);
				assertThat(peakQueued.get()).isLessThanOrEqualTo(CAP);
				assertThat(this.limits.count(SessionLimit.EXPEDITED_FRAMES)).isEqualTo(1);
				echo(bystander, ++echoes);
			}
		}

		private CryoSession awaitSession(SessionId sid) throws InterruptedException {
			long deadline = System.nanoTime() + WAIT.toNanos();
			while (System.nanoTime() < deadline) {
				var session = this.server.session(sid);
				if (session.isPresent()) {
					return session.get();
				}
				Thread.sleep(5);
			}
			throw new AssertionError("No session " + sid);
		}

	}

	enum Outcome {

		ACKED, TRY_AGAIN_LATER, OTHER

	}

	/** One BINARYDATA message of the given payload, ack 1. */
	static ByteBuffer encodeBinary(SessionId sid, byte[] payload) {
		return FrameCodec.encode(new BinaryDataFrame(sid, 1, ByteBuffer.wrap(payload)))
			.asReadOnlyBuffer();
	}

	/**
	 * Sends a small BINARYDATA and waits for its ACK and its echo, answering pings and ACKing
	 * what the server sends.
	 */
	static void echo(RawCryoClient client, int ack) {
		byte[] text = ("echo " + ack).getBytes(StandardCharsets.UTF_8);
		client.send(new BinaryDataFrame(client.sid(), ack, ByteBuffer.wrap(text)));
		boolean acked = false;
		boolean echoed = false;
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (!(acked && echoed)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("No ACK and echo of " + ack + " within " + WAIT);
			}
			Frame frame = client.poll(Duration.ofMillis(100));
			if (frame instanceof AckFrame ackFrame && ackFrame.ack() == ack) {
				acked = true;
			}
			else if (frame instanceof BinaryDataFrame data) {
				client.send(new AckFrame(client.sid(), data.ack()));
				echoed |= data.payload().equals(ByteBuffer.wrap(text));
			}
			else if (frame instanceof PingPongFrame ping && ping.isPing()) {
				client.send(PingPongFrame.pong(client.sid(), ping.ack()));
			}
		}
	}

	/** Runs the probe every millisecond on a daemon thread until interrupted. */
	static Thread sampler(Runnable probe) {
		Thread thread = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				probe.run();
				try {
					Thread.sleep(1);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "sampler");
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	static void awaitZero(ReassemblyBudget budget) throws InterruptedException {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (budget.held() != 0) {
			assertThat(System.nanoTime()).as("budget held %d bytes", budget.held()).isLessThan(deadline);
			Thread.sleep(10);
		}
	}

	/** Counts the limits peers reached, as a metrics observer would. */
	static class LimitCounter implements CryoServerObserver {

		private final Map<SessionLimit, AtomicInteger> counts = new EnumMap<>(SessionLimit.class);

		LimitCounter() {
			for (SessionLimit limit : SessionLimit.values()) {
				this.counts.put(limit, new AtomicInteger());
			}
		}

		@Override
		public void limitExceeded(SessionLimit limit) {
			this.counts.get(limit).incrementAndGet();
		}

		int count(SessionLimit limit) {
			return this.counts.get(limit).get();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ CryoEventRecorder.class, BinaryEchoListener.class })
	static class LimitsApplication {

		@Bean
		TokenValidator tokenValidator() {
			return TOKEN::equals;
		}

		@Bean
		LimitCounter limitCounter() {
			return new LimitCounter();
		}

	}

}
