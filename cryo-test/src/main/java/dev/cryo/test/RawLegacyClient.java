package dev.cryo.test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import dev.cryo.test.RawCryoClient.Close;
import dev.cryo.test.RawLegacyFrames.Parsed;

/**
 * A legacy-generation client for tests, built from legacy-v0.md rather than from the server's
 * codec: it connects as the published clients do ({@code authorization=Bearer+<token>} and the
 * UUID in {@code x-cryo-sid}, no subprotocol, §2), sends whatever bytes the test builds with
 * {@link RawLegacyFrames}, and hands back every binary message it receives, parsed by the byte
 * table of §3 only. It answers nothing by itself.
 */
public final class RawLegacyClient implements AutoCloseable {

	private static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

	private static final HttpClient HTTP_CLIENT = HttpClient.newHttpClient();

	private final WebSocket webSocket;

	private final UUID sid;

	private final BlockingQueue<Parsed> received;

	private final CompletableFuture<Close> closed;

	private RawLegacyClient(WebSocket webSocket, UUID sid, BlockingQueue<Parsed> received,
			CompletableFuture<Close> closed) {
		this.webSocket = webSocket;
		this.sid = sid;
		this.received = received;
		this.closed = closed;
	}

	/**
	 * Connects to {@code ws://localhost:port/path?authorization=Bearer+token&x-cryo-sid=sid}.
	 * @param port the server's port
	 * @param path the endpoint's path
	 * @param token the bearer token
	 * @param sid the sid exactly as sent (any case)
	 * @return the client, connected
	 */
	public static RawLegacyClient connect(int port, String path, String token, String sid) {
		String query = "authorization=" + URLEncoder.encode("Bearer " + token, StandardCharsets.UTF_8) + "&x-cryo-sid="
				+ sid;
		BlockingQueue<Parsed> received = new LinkedBlockingQueue<>();
		CompletableFuture<Close> closed = new CompletableFuture<>();
		WebSocket webSocket = HTTP_CLIENT.newWebSocketBuilder()
			.connectTimeout(DEFAULT_WAIT)
			.buildAsync(URI.create("ws://localhost:" + port + path + "?" + query), new Listener(received, closed))
			.orTimeout(10, TimeUnit.SECONDS)
			.join();
		return new RawLegacyClient(webSocket, UUID.fromString(sid), received, closed);
	}

	/**
	 * Returns the sid the client puts in its frames.
	 * @return the UUID
	 */
	public UUID sid() {
		return this.sid;
	}

	/**
	 * Sends one binary message and waits until it is handed to the socket.
	 * @param message the bytes
	 * @return this client
	 */
	public synchronized RawLegacyClient send(byte[] message) {
		this.webSocket.sendBinary(ByteBuffer.wrap(message), true).orTimeout(10, TimeUnit.SECONDS).join();
		return this;
	}

	/**
	 * Returns the next message from the server.
	 * @return the message
	 * @throws AssertionError if none arrives within 5 seconds
	 */
	public Parsed next() {
		return next(DEFAULT_WAIT);
	}

	/**
	 * Returns the next message from the server.
	 * @param wait how long to wait
	 * @return the message
	 * @throws AssertionError if none arrives in time
	 */
	public Parsed next(Duration wait) {
		Parsed next = poll(wait);
		if (next == null) {
			throw new AssertionError("No legacy message within " + wait);
		}
		return next;
	}

	/**
	 * Returns the next message from the server, or {@code null} if none arrives in time.
	 * @param wait how long to wait
	 * @return the message or {@code null}
	 */
	public @Nullable Parsed poll(Duration wait) {
		try {
			return this.received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/**
	 * Waits for the server's close.
	 * @param wait how long to wait
	 * @return the close code and reason
	 */
	public Close awaitClose(Duration wait) {
		try {
			return this.closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
		catch (TimeoutException ex) {
			throw new AssertionError("Not closed within " + wait);
		}
		catch (ExecutionException ex) {
			throw new AssertionError(ex.getCause());
		}
	}

	/**
	 * Sends a close frame, e.g. 4010 as a published client with CALE off does on a SERVER_HELLO
	 * (legacy-v0.md §7.5), and leaves the connection open for the server's answer
	 * ({@link #awaitClose(Duration)}). {@code java.net.http} refuses some codes, among them 1002.
	 * @param code the close code
	 * @param reason the reason
	 * @return this client
	 */
	public RawLegacyClient closeWith(int code, String reason) {
		if (!this.webSocket.isOutputClosed()) {
			this.webSocket.sendClose(code, reason).orTimeout(10, TimeUnit.SECONDS).join();
		}
		return this;
	}

	/**
	 * Closes the WebSocket as cryo-client-node's {@code Close()} does: 4000 {@code Client finished.}
	 */
	@Override
	public void close() {
		if (!this.webSocket.isOutputClosed()) {
			this.webSocket.sendClose(4000, "Client finished.");
		}
		this.webSocket.abort();
	}

	/** Collects whole binary messages and the close. */
	private static final class Listener implements WebSocket.Listener {

		private final BlockingQueue<Parsed> received;

		private final CompletableFuture<Close> closed;

		private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

		Listener(BlockingQueue<Parsed> received, CompletableFuture<Close> closed) {
			this.received = received;
			this.closed = closed;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			byte[] bytes = new byte[data.remaining()];
			data.get(bytes);
			this.partial.writeBytes(bytes);
			if (last) {
				this.received.add(RawLegacyFrames.parse(this.partial.toByteArray()));
				this.partial.reset();
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			throw new AssertionError("A Cryo server must never send text messages, received: " + data);
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(new Close(statusCode, reason));
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.complete(new Close(1006, String.valueOf(error)));
		}

	}

}
