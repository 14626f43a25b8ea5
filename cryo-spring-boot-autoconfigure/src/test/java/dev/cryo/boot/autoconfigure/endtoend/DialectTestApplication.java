package dev.cryo.boot.autoconfigure.endtoend;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.transaction.IncomingStream;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.event.CryoBinaryMessageEvent;
import dev.cryo.server.event.CryoStreamStartedEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;

/**
 * The application of the dialect tests: one endpoint for Cryo v1, the cryo-protocol 1.4 client
 * generation and CAMP, with listeners that do what a client asks in a text message, echo binary
 * messages, and keep every incoming stream for the test to look at.
 *
 * <p>Text commands: {@code echo:<text>} sends the text back; {@code push:<name>:<size>},
 * {@code pull:<name>:<size>} and {@code stream:<name>:<size>} stream {@link #payload(int)} of
 * that size to the session in that mode (or the session's, for {@code stream}); {@code
 * broadcast:<text>} sends the text to every session. Incoming transactions named
 * {@code ranges:<start>-<end>,...} are fetched by those ranges only, and those named
 * {@code cancel...} are cancelled, both from the listener of their start event.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(CryoEventRecorder.class)
public class DialectTestApplication {

	/** The only token the validator accepts. */
	public static final String TOKEN = "secret";

	/** The path of the endpoint. */
	public static final String PATH = "/cryo";

	@Bean
	TokenValidator tokenValidator() {
		byte[] expected = TOKEN.getBytes(StandardCharsets.UTF_8);
		return (token) -> MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8));
	}

	@Bean
	Commands commands(CryoServer server) {
		return new Commands(server);
	}

	@Bean
	Streams streams() {
		return new Streams();
	}

	/**
	 * The bytes every command streams: a fixed pseudo-random sequence per size.
	 * @param size the length
	 * @return the bytes
	 */
	public static byte[] payload(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	/** Runs what clients ask for in text messages, and echoes their binary messages. */
	public static class Commands {

		private final CryoServer server;

		private final Map<String, CompletableFuture<Void>> results = new ConcurrentHashMap<>();

		Commands(CryoServer server) {
			this.server = server;
		}

		@EventListener
		void on(CryoUtf8MessageEvent event) {
			CryoSession session = event.getSession();
			String text = event.text();
			int colon = text.indexOf(':');
			String command = (colon < 0) ? text : text.substring(0, colon);
			String argument = (colon < 0) ? "" : text.substring(colon + 1);
			switch (command) {
				case "echo" -> session.sendUtf8(argument);
				case "broadcast" -> this.server.broadcastUtf8(argument);
				case "push", "pull", "stream" -> {
					int last = argument.lastIndexOf(':');
					String name = argument.substring(0, last);
					int size = Integer.parseInt(argument.substring(last + 1));
					ByteArrayInputStream source = new ByteArrayInputStream(payload(size));
					CompletableFuture<Void> result = switch (command) {
						case "push" -> session.stream(source, name, FlowBehaviour.PUSH);
						case "pull" -> session.stream(source, name, FlowBehaviour.PULL);
						default -> session.stream(source, name);
					};
					this.results.put(key(session.id(), name), result);
				}
				default -> {
					// Anything else is just a message the test counts through the event recorder.
				}
			}
		}

		@EventListener
		void on(CryoBinaryMessageEvent event) {
			event.getSession().sendBinary(event.payload());
		}

		/**
		 * Returns the result of a stream a command started.
		 * @param sid the session
		 * @param name the transaction name
		 * @return completes when the peer ACKed TX_FINISH
		 */
		public CompletableFuture<Void> result(SessionId sid, String name) {
			String key = key(sid, name);
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.results.containsKey(key));
			return this.results.get(key);
		}

	}

	/** Keeps what clients upload: each stream, its bytes once complete, and the ranges asked of it. */
	public static class Streams implements DisposableBean {

		private final ExecutorService readers = Executors.newCachedThreadPool();

		private final Map<String, Received> received = new ConcurrentHashMap<>();

		@EventListener
		void on(CryoStreamStartedEvent event) {
			IncomingStream stream = event.stream();
			List<CompletableFuture<Void>> ranges = new ArrayList<>();
			CompletableFuture<Void> cancelled = null;
			long rangeBytes = -1;
			// Synchronously, from the listener: the only place a range request or a cancel is
			// still in time to decide how the transaction is fetched.
			if (stream.name().startsWith("ranges:")) {
				rangeBytes = 0;
				for (String range : stream.name().substring("ranges:".length()).split(",")) {
					String[] bounds = range.split("-");
					long start = Long.parseLong(bounds[0]);
					long end = Long.parseLong(bounds[1]);
					ranges.add(stream.requestRange(start, end));
					rangeBytes += end - start;
				}
			}
			else if (stream.name().startsWith("cancel")) {
				cancelled = stream.cancel();
			}
			// Ranges short of the whole never bring TX_FINISH: read as much as they ask for.
			long expected = rangeBytes;
			CompletableFuture<byte[]> bytes = (cancelled != null) ? CompletableFuture.completedFuture(new byte[0])
					: CompletableFuture.supplyAsync(() -> read(stream, expected), this.readers);
			this.received.put(key(event.getSession().id(), stream.name()),
					new Received(stream, bytes, List.copyOf(ranges), cancelled));
		}

		private static byte[] read(IncomingStream stream, long length) {
			try {
				return (length < 0) ? stream.inputStream().readAllBytes()
						: stream.inputStream().readNBytes(Math.toIntExact(length));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * Waits for a transaction of a session to have started.
		 * @param sid the session
		 * @param name the transaction name
		 * @return what was received
		 */
		public Received await(SessionId sid, String name) {
			String key = key(sid, name);
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.received.containsKey(key));
			return this.received.get(key);
		}

		/**
		 * Returns whether a transaction of a session has started.
		 * @param sid the session
		 * @param name the transaction name
		 * @return whether its start event was seen
		 */
		public boolean started(SessionId sid, String name) {
			return this.received.containsKey(key(sid, name));
		}

		@Override
		public void destroy() throws InterruptedException {
			this.readers.shutdownNow();
			this.readers.awaitTermination(5, TimeUnit.SECONDS);
		}

	}

	/**
	 * One incoming transaction.
	 * @param stream the stream
	 * @param bytes all its bytes, once TX_FINISH arrived
	 * @param ranges the futures of the ranges the listener asked for
	 * @param cancelled the future of the listener's cancel, or {@code null}
	 */
	public record Received(IncomingStream stream, CompletableFuture<byte[]> bytes, List<CompletableFuture<Void>> ranges,
			@Nullable CompletableFuture<Void> cancelled) {

		/**
		 * Returns the bytes, waiting up to ten seconds for them.
		 * @return the whole transaction
		 */
		public byte[] awaitBytes() {
			return this.bytes.orTimeout(10, TimeUnit.SECONDS).join();
		}

	}

	private static String key(SessionId sid, String name) {
		return sid + "/" + name;
	}

}
