package dev.cryo.boot.autoconfigure.endtoend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.client.CryoClientSession;
import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends from many threads at once (DESIGN.md, Threading): Tomcat refuses a second concurrent
 * write on one connection, so every frame must go through the session's serialized writer.
 */
// Caps above the 3 200-frame burst: this test is about serialized sends, not about drop policies.
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.backpressure.max-queue-count=10000", "cryo.backpressure.max-queued-bytes=64MB",
				"cryo.backpressure.high-water-mark=128MB" })
@Timeout(60)
class CryoConcurrentSendsEndToEndTests {

	private static final int THREADS = 16;

	private static final int SENDS_PER_THREAD = 200;

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Test
	void sixteenThreadsSendingAtOnceDeliverEveryFrameExactlyOnceAndEveryFutureCompletes() throws Exception {
		SessionId sid = RawFrames.newSid();
		int total = THREADS * SENDS_PER_THREAD;
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CryoSession session = CryoClients.session(this.server, sid);
			ConcurrentLinkedQueue<CompletableFuture<Void>> futures = new ConcurrentLinkedQueue<>();
			ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
			CountDownLatch start = new CountDownLatch(1);
			List<Thread> senders = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				int thread = t;
				Thread sender = new Thread(() -> {
					try {
						start.await();
						for (int i = 0; i < SENDS_PER_THREAD; i++) {
							futures.add(session.sendUtf8(thread + ":" + i));
						}
					}
					catch (Throwable ex) {
						failures.add(ex);
					}
				}, "sender-" + t);
				sender.start();
				senders.add(sender);
			}
			start.countDown();

			// The client ACKs everything it receives, as it arrives.
			List<String> received = new ArrayList<>(total);
			Set<Integer> acks = new HashSet<>();
			while (received.size() < total) {
				Frame frame = client.next(Duration.ofSeconds(10));
				assertThat(frame).isInstanceOf(Utf8DataFrame.class);
				Utf8DataFrame data = (Utf8DataFrame) frame;
				received.add(data.text());
				assertThat(acks.add(data.ack())).as("ack %d used once", data.ack()).isTrue();
				client.send(new AckFrame(sid, data.ack()));
			}
			for (Thread sender : senders) {
				sender.join(10_000);
			}

			assertThat(failures).as("no send threw, e.g. Tomcat's IllegalStateException").isEmpty();
			assertThat(received).hasSize(total).doesNotHaveDuplicates();
			Set<String> expected = new HashSet<>();
			for (int t = 0; t < THREADS; t++) {
				for (int i = 0; i < SENDS_PER_THREAD; i++) {
					expected.add(t + ":" + i);
				}
			}
			assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
			assertThat(futures).hasSize(total);
			CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
			assertThat(client.poll(Duration.ofMillis(100))).as("nothing more than the sent frames").isNull();
			assertThat(client.isClosed()).isFalse();
			assertThat(session.isOpen()).isTrue();
		}
	}

	@Test
	void framesFromOneThreadArriveInSendOrder() throws Exception {
		BlockingQueue<String> texts = new LinkedBlockingQueue<>();
		try (CryoClientSession client = CryoClients.javaClient(this.port, texts)) {
			CryoSession session = CryoClients.session(this.server, client.id());
			List<CompletableFuture<Void>> futures = new ArrayList<>();
			for (int i = 0; i < 500; i++) {
				futures.add(session.sendUtf8("n" + i));
			}
			for (int i = 0; i < 500; i++) {
				assertThat(texts.poll(10, TimeUnit.SECONDS)).isEqualTo("n" + i);
			}
			CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void concurrentBroadcastsReachEverySessionCompletely() throws Exception {
		List<BlockingQueue<String>> inboxes = new ArrayList<>();
		List<CryoClientSession> clients = new ArrayList<>();
		try {
			for (int c = 0; c < 3; c++) {
				BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
				inboxes.add(inbox);
				clients.add(CryoClients.javaClient(this.port, inbox));
			}
			Set<SessionId> ours = new HashSet<>();
			for (CryoClientSession client : clients) {
				ours.add(CryoClients.session(this.server, client.id()).id());
			}
			CountDownLatch start = new CountDownLatch(1);
			List<Thread> senders = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				int thread = t;
				Thread sender = new Thread(() -> {
					try {
						start.await();
						for (int i = 0; i < 50; i++) {
							this.server.multicastUtf8((session) -> ours.contains(session.id()), thread + "/" + i);
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
				sender.start();
				senders.add(sender);
			}
			start.countDown();
			for (Thread sender : senders) {
				sender.join(10_000);
			}
			for (BlockingQueue<String> inbox : inboxes) {
				Set<String> texts = new HashSet<>();
				for (int i = 0; i < 200; i++) {
					texts.add(inbox.poll(10, TimeUnit.SECONDS));
				}
				assertThat(texts).hasSize(200).doesNotContainNull();
			}
		}
		finally {
			clients.forEach(CryoClientSession::close);
		}
	}

}
