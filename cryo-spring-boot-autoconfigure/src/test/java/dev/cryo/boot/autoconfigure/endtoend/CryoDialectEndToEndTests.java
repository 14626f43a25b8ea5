package dev.cryo.boot.autoconfigure.endtoend;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import dev.cryo.client.CryoClientSession;
import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.testing.TestCodec;
import dev.cryo.core.dialect.testing.TestDialect;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;
import dev.cryo.test.RawFrames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dialect seam on a real Tomcat: the test dialect of cryo-core's tests, registered as a
 * bean, serves a client that offers its subprotocol, in its own layout and ping rules, through
 * the same engine; a v1 client on the same endpoint is served as before.
 */
@SpringBootTest(classes = { CryoTestApplication.class, CryoDialectEndToEndTests.DialectConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "cryo.keep-alive-interval=200ms")
@Timeout(30)
class CryoDialectEndToEndTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static final TestCodec CODEC = new TestCodec();

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	@Test
	void testDialectClientAndV1ClientAreServedSideBySide() throws Exception {
		BlockingQueue<String> v1Texts = new LinkedBlockingQueue<>();
		CryoClientSession v1 = CryoClients.javaClient(this.port, v1Texts);
		SessionId sid = RawFrames.newSid();
		TestDialectClient client = TestDialectClient.connect(this.port, sid);
		assertThat(client.subprotocol()).isEqualTo(TestDialect.SUBPROTOCOL);

		// No opening announcement: the first thing the client says is a message, ACKed in the test layout.
		client.send(Utf8DataFrame.of(sid, 7, "hello"), 7);
		assertThat(client.next()).isEqualTo(new AckFrame(sid, 7));
		Utf8DataFrame echo = (Utf8DataFrame) client.next();
		assertThat(echo.text()).isEqualTo("hello");
		assertThat(this.events.events(sid, CryoUtf8MessageEvent.class)).singleElement()
			.satisfies((event) -> assertThat(event.text()).isEqualTo("hello"));
		client.send(new AckFrame(sid, echo.ack()), echo.ack());

		// The v1 client is served by v1 meanwhile: its message is ACKed and echoed too.
		v1.sendUtf8("v1 hello").get(5, TimeUnit.SECONDS);
		assertThat(v1Texts.poll(5, TimeUnit.SECONDS)).isEqualTo("v1 hello");

		// Server pings carry no ack; answered, they keep the session open for many intervals.
		assertThat(client.poll(Duration.ofMillis(1200))).as("nothing but pings while idle").isNull();
		assertThat(client.pingsAnswered).hasValueGreaterThanOrEqualTo(3);
		assertThat(client.malformedPings).hasValue(0);
		assertThat(client.closed).isNotDone();
		assertThat(this.server.session(sid)).isPresent();

		client.send(new ByeFrame(sid, 8, "done"), 8);
		assertThat(client.next()).isEqualTo(new AckFrame(sid, 8));
		assertThat(client.closed.get(5, TimeUnit.SECONDS)).isEqualTo(CloseCodes.GRACEFUL);
		assertThat(this.events.await(sid, CryoSessionClosedEvent.class).code()).isEqualTo(CloseCodes.GRACEFUL);
		CryoClients.awaitGone(this.server, sid);
		assertThat(v1.isConnected()).isTrue();
		v1.close();
	}

	@Configuration(proxyBeanMethods = false)
	static class DialectConfiguration {

		@Bean
		CryoDialect testDialect() {
			return TestDialect.plain();
		}

		@Bean
		Utf8Echo utf8Echo() {
			return new Utf8Echo();
		}

	}

	/** Sends every UTF-8 message back to its session. */
	static class Utf8Echo {

		@EventListener
		void on(CryoUtf8MessageEvent event) {
			event.getSession().sendUtf8(event.text());
		}

	}

	/**
	 * A raw JDK WebSocket that speaks the test dialect: it offers the dialect's subprotocol,
	 * decodes what it receives with the test codec and answers the server's pings itself, as a
	 * client must at any moment.
	 */
	private static final class TestDialectClient implements WebSocket.Listener {

		private final SessionId sid;

		private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();

		private final CompletableFuture<Integer> closed = new CompletableFuture<>();

		private final AtomicInteger pingsAnswered = new AtomicInteger();

		/** Pings that were not the 13 bytes of the layout, or carried an ack. */
		private final AtomicInteger malformedPings = new AtomicInteger();

		private volatile @Nullable WebSocket webSocket;

		private TestDialectClient(SessionId sid) {
			this.sid = sid;
		}

		static TestDialectClient connect(int port, SessionId sid) {
			TestDialectClient client = new TestDialectClient(sid);
			String query = "authorization="
					+ URLEncoder.encode("Bearer " + CryoTestApplication.TOKEN, StandardCharsets.UTF_8) + "&x-cryo-sid="
					+ sid;
			HttpClient.newHttpClient()
				.newWebSocketBuilder()
				.subprotocols(TestDialect.SUBPROTOCOL)
				.buildAsync(URI.create("ws://localhost:" + port + CryoTestApplication.PATH + "?" + query), client)
				.join();
			return client;
		}

		String subprotocol() {
			return webSocket().getSubprotocol();
		}

		/** Sends one frame; the test thread and the ping answers take turns, as the JDK allows one send at a time. */
		synchronized void send(Frame frame, int ack) {
			webSocket().sendBinary(CODEC.encode(frame, ack), true).join();
		}

		Frame next() throws InterruptedException {
			Frame frame = this.frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			if (frame == null) {
				throw new AssertionError("No frame within " + WAIT);
			}
			return frame;
		}

		@Nullable Frame poll(Duration wait) throws InterruptedException {
			return this.frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
		}

		private WebSocket webSocket() {
			WebSocket webSocket = this.webSocket;
			assertThat(webSocket).isNotNull();
			return webSocket;
		}

		@Override
		public void onOpen(WebSocket webSocket) {
			this.webSocket = webSocket;
			webSocket.request(1);
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			// The server's messages here are all small enough to arrive in one part. The data is
			// copied: the JDK may reuse its buffer once this method returns.
			ByteBuffer message = ByteBuffer.allocate(data.remaining()).put(data).flip();
			Frame frame = CODEC.decode(message);
			if (frame instanceof PingPongFrame ping && ping.isPing()) {
				// Type first, then the sid and "ping": no ack field at all.
				if (message.remaining() != 13 || message.get(0) != 4 || message.getLong(1) != this.sid.asLong()) {
					this.malformedPings.incrementAndGet();
				}
				send(PingPongFrame.pong(this.sid, 0), 0);
				this.pingsAnswered.incrementAndGet();
			}
			else {
				this.frames.add(frame);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.completeExceptionally(error);
		}

	}

}
