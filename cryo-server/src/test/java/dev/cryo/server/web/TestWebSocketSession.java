package dev.cryo.server.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * An in-memory {@link WebSocketSession}: it records each binary message sent and the close
 * status, and can fail a send the way a reset connection does. Nothing reports the close to the
 * handler by itself; a test calls the handler's close callback, as the container would.
 */
class TestWebSocketSession implements WebSocketSession {

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	private final List<ByteBuffer> sent = new CopyOnWriteArrayList<>();

	private volatile @Nullable CloseStatus closeStatus;

	private volatile @Nullable SendHook sendHook;

	TestWebSocketSession(Map<String, Object> attributes) {
		this.attributes.putAll(attributes);
	}

	/**
	 * Runs a hook before every send; a hook that throws fails the send.
	 * @param hook the hook
	 */
	void onSend(SendHook hook) {
		this.sendHook = hook;
	}

	/**
	 * Returns copies of the binary messages sent so far.
	 * @return the messages, oldest first
	 */
	List<ByteBuffer> sent() {
		return this.sent.stream().map(ByteBuffer::asReadOnlyBuffer).toList();
	}

	/**
	 * Returns the status the session was closed with.
	 * @return the status, or {@code null} while open
	 */
	@Nullable CloseStatus closeStatus() {
		return this.closeStatus;
	}

	@Override
	public String getId() {
		return "1";
	}

	@Override
	public URI getUri() {
		return URI.create("ws://localhost/cryo");
	}

	@Override
	public HttpHeaders getHandshakeHeaders() {
		return new HttpHeaders();
	}

	@Override
	public Map<String, Object> getAttributes() {
		return this.attributes;
	}

	@Override
	public @Nullable Principal getPrincipal() {
		return null;
	}

	@Override
	public InetSocketAddress getLocalAddress() {
		return InetSocketAddress.createUnresolved("localhost", 8080);
	}

	@Override
	public InetSocketAddress getRemoteAddress() {
		return InetSocketAddress.createUnresolved("localhost", 50000);
	}

	@Override
	public @Nullable String getAcceptedProtocol() {
		return null;
	}

	@Override
	public void setTextMessageSizeLimit(int messageSizeLimit) {
	}

	@Override
	public int getTextMessageSizeLimit() {
		return 8192;
	}

	@Override
	public void setBinaryMessageSizeLimit(int messageSizeLimit) {
	}

	@Override
	public int getBinaryMessageSizeLimit() {
		return 8192;
	}

	@Override
	public List<WebSocketExtension> getExtensions() {
		return List.of();
	}

	@Override
	public void sendMessage(WebSocketMessage<?> message) throws IOException {
		SendHook hook = this.sendHook;
		if (hook != null) {
			hook.beforeSend();
		}
		if (!(message instanceof BinaryMessage binary)) {
			throw new IllegalArgumentException("Cryo sends binary messages only, not " + message);
		}
		ByteBuffer payload = binary.getPayload();
		this.sent.add(ByteBuffer.allocate(payload.remaining()).put(payload.duplicate()).flip());
	}

	@Override
	public boolean isOpen() {
		return this.closeStatus == null;
	}

	@Override
	public void close() {
		close(CloseStatus.NORMAL);
	}

	@Override
	public void close(CloseStatus status) {
		if (this.closeStatus == null) {
			this.closeStatus = status;
		}
	}

	/** Runs before a send, in the sending thread. */
	@FunctionalInterface
	interface SendHook {

		void beforeSend() throws IOException;

	}

}
