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
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.cryo.test.RawCryoClient.Close;

/**
 * The WebSocket under the legacy test clients ({@link RawLegacyClient}, {@link RawCaleClient}):
 * connects as the published legacy clients do ({@code authorization=Bearer+<token>} and the UUID
 * in {@code x-cryo-sid}, no subprotocol, legacy-v0.md §2), queues every whole binary message as
 * received, and records the close.
 */
final class LegacySocket {

	static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

	private static final HttpClient HTTP_CLIENT = HttpClient.newHttpClient();

	private final WebSocket webSocket;

	private final UUID sid;

	private final BlockingQueue<byte[]> received;

	private final CompletableFuture<Close> closed;

	private LegacySocket(WebSocket webSocket, UUID sid, BlockingQueue<byte[]> received, CompletableFuture<Close> closed) {
		this.webSocket = webSocket;
		this.sid = sid;
		this.received = received;
		this.closed = closed;
	}

	/**
	 * Connects to {@code ws://localhost:port/path?authorization=Bearer+token&x-cryo-sid=sid}.
	 * @param onMessage sees every whole message on the receiving thread before it is queued
	 */
	static LegacySocket connect(int port, String path, String token, String sid, Consumer<byte[]> onMessage) {
		String query = "authorization=" + URLEncoder.encode("Bearer " + token, StandardCharsets.UTF_8) + "&x-cryo-sid="
				+ sid;
		BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
		CompletableFuture<Close> closed = new CompletableFuture<>();
		WebSocket webSocket = HTTP_CLIENT.newWebSocketBuilder()
			.connectTimeout(DEFAULT_WAIT)
			.buildAsync(URI.create("ws://localhost:" + port + path + "?" + query),
					new Listener(received, closed, onMessage))
			.orTimeout(10, TimeUnit.SECONDS)
			.join();
		return new LegacySocket(webSocket, UUID.fromString(sid), received, closed);
	}

	UUID sid() {
		return this.sid;
	}

	/** Sends one binary message and waits until it is handed to the socket. */
	synchronized void send(byte[] message) {
		this.webSocket.sendBinary(ByteBuffer.wrap(message), true).orTimeout(10, TimeUnit.SECONDS).join();
	}

	/** The next message as received, or {@code null} if none arrives in time. */
	byte @Nullable [] poll(Duration wait) {
		try {
			return this.received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** The next message as received; an {@link AssertionError} if none arrives in time. */
	byte[] next(Duration wait) {
		byte[] next = poll(wait);
		if (next == null) {
			throw new AssertionError("No legacy message within " + wait);
		}
		return next;
	}

	Close awaitClose(Duration wait) {
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
	 * Sends a close frame and leaves the connection open for the server's answer.
	 * {@code java.net.http} refuses codes a client may not choose itself, 1002 among them
	 * ({@link IllegalArgumentException}).
	 */
	void closeWith(int code, String reason) {
		if (!this.webSocket.isOutputClosed()) {
			this.webSocket.sendClose(code, reason).orTimeout(10, TimeUnit.SECONDS).join();
		}
	}

	/** Closes as cryo-client-node's {@code Close()} does: 4000 {@code Client finished.}, then drops the connection. */
	void close() {
		if (!this.webSocket.isOutputClosed()) {
			this.webSocket.sendClose(4000, "Client finished.");
		}
		this.webSocket.abort();
	}

	/** Collects whole binary messages and the close. */
	private static final class Listener implements WebSocket.Listener {

		private final BlockingQueue<byte[]> received;

		private final CompletableFuture<Close> closed;

		private final Consumer<byte[]> onMessage;

		private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

		Listener(BlockingQueue<byte[]> received, CompletableFuture<Close> closed, Consumer<byte[]> onMessage) {
			this.received = received;
			this.closed = closed;
			this.onMessage = onMessage;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			byte[] bytes = new byte[data.remaining()];
			data.get(bytes);
			this.partial.writeBytes(bytes);
			if (last) {
				byte[] message = this.partial.toByteArray();
				this.partial.reset();
				// Seen before it is queued, so a test that has read a message also sees it recorded.
				this.onMessage.accept(message);
				this.received.add(message);
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
