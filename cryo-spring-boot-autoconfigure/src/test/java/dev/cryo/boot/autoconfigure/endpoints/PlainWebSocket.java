package dev.cryo.boot.autoconfigure.endpoints;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A plain WebSocket client of yoctopus's wire, as a browser page would be: java.net.http's, which
 * answers pings by itself. It queues the text messages it receives and records the close.
 */
final class PlainWebSocket implements WebSocket.Listener {

	final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

	final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	private final StringBuilder partial = new StringBuilder();

	private WebSocket socket;

	/**
	 * Connects.
	 * @param uri the endpoint
	 * @param headers request headers
	 * @return the client, open
	 * @throws Exception when the upgrade fails
	 */
	static PlainWebSocket connect(URI uri, Map<String, String> headers) throws Exception {
		PlainWebSocket client = new PlainWebSocket();
		WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
		headers.forEach(builder::header);
		client.socket = builder.buildAsync(uri, client).get(10, TimeUnit.SECONDS);
		return client;
	}

	/** The JDK allows one outstanding send: each send waits for the one before. */
	private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

	void send(String text) throws Exception {
		sendTextAsync(text).get(5, TimeUnit.SECONDS);
	}

	/**
	 * Sends a text message once every earlier send has been written, without waiting for it.
	 * @param text the message
	 * @return completes when it was written
	 */
	synchronized CompletableFuture<?> sendTextAsync(String text) {
		this.lastSend = this.lastSend.thenCompose((previous) -> this.socket.sendText(text, true));
		return this.lastSend;
	}

	/**
	 * Sends a binary message once every earlier send has been written, without waiting for it.
	 * @param payload the message
	 * @return completes when it was written
	 */
	synchronized CompletableFuture<?> sendBinaryAsync(ByteBuffer payload) {
		this.lastSend = this.lastSend.thenCompose((previous) -> this.socket.sendBinary(payload, true));
		return this.lastSend;
	}

	/**
	 * Waits for the next text message.
	 * @return the message
	 * @throws InterruptedException when interrupted
	 * @throws AssertionError when none came in time, saying whether the connection closed
	 */
	String next() throws InterruptedException {
		String text = this.texts.poll(5, TimeUnit.SECONDS);
		if (text == null) {
			throw new AssertionError("No message within 5 s; closed: " + this.closeCode);
		}
		return text;
	}

	void close() {
		this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.partial.append(data);
		if (last) {
			this.texts.add(this.partial.toString());
			this.partial.setLength(0);
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closeCode.complete(statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closeCode.completeExceptionally(error);
	}

}
