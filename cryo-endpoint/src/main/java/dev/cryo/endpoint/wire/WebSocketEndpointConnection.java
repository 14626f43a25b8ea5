package dev.cryo.endpoint.wire;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.SessionLimitExceededException;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.support.EndpointDispatcher;
import dev.cryo.endpoint.support.Envelopes;
import dev.cryo.server.CryoSession;

/**
 * The endpoint connection of one WebSocket session on yoctopus's wire. Every send goes through a
 * {@link ConcurrentWebSocketSessionDecorator}: containers such as Tomcat allow one outstanding send
 * per session, and the decorator queues the others, within the send time and buffer limits; a
 * client beyond them is closed with 1011. The connection also pings its client and closes it when
 * too many pings in a row went unanswered.
 */
final class WebSocketEndpointConnection implements EndpointConnection {

	private static final Log logger = LogFactory.getLog(WebSocketEndpointConnection.class);

	/** The reason of the close of a client that stopped answering pings. */
	static final String PING_TIMEOUT_REASON = "Ping timeout.";

	private static final int MAX_REASON_BYTES = 123;

	private static final ByteBuffer PING_PAYLOAD = ByteBuffer.allocate(0);

	private final WebSocketSession session;

	private final ConcurrentWebSocketSessionDecorator out;

	private final YoctopusWebSocketHandler handler;

	private final Envelopes envelopes;

	private final YoctopusWireSettings wireSettings;

	private final @Nullable Principal principal;

	private final ConnectionSettings settings;

	/** Pings sent since the last pong. */
	private final AtomicInteger unansweredPings = new AtomicInteger();

	private final AtomicBoolean ended = new AtomicBoolean();

	private volatile @Nullable ScheduledFuture<?> pings;

	WebSocketEndpointConnection(WebSocketSession session, YoctopusWebSocketHandler handler, Envelopes envelopes,
			YoctopusWireSettings wireSettings, @Nullable Principal principal, EndpointDispatcher dispatcher) {
		this.session = session;
		this.out = new ConcurrentWebSocketSessionDecorator(
				new PingWriteTimeout(session, pingWriteTimeout(wireSettings), wireSettings.sendTimeLimit().toMillis()),
				(int) wireSettings.sendTimeLimit().toMillis(),
				wireSettings.sendBufferLimit());
		this.handler = handler;
		this.envelopes = envelopes;
		this.wireSettings = wireSettings;
		this.principal = principal;
		// Last, so that the settings' owner is complete but for its settings.
		this.settings = dispatcher.createSettings(this);
	}

	@Override
	public String id() {
		return this.session.getId();
	}

	@Override
	public String wire() {
		return YOCTOPUS_WIRE;
	}

	@Override
	public @Nullable Principal principal() {
		return this.principal;
	}

	@Override
	public @Nullable InetSocketAddress remoteAddress() {
		return this.session.getRemoteAddress();
	}

	@Override
	public boolean isSecure() {
		// The session's URI is the upgrade request's, whose scheme the container set from the connection.
		URI uri = this.session.getUri();
		return uri != null && ("https".equalsIgnoreCase(uri.getScheme()) || "wss".equalsIgnoreCase(uri.getScheme()));
	}

	@Override
	public int localPort() {
		InetSocketAddress local = this.session.getLocalAddress();
		return (local != null) ? local.getPort() : -1;
	}

	@Override
	public ConnectionSettings settings() {
		return this.settings;
	}

	@Override
	public boolean isOpen() {
		return !this.ended.get() && this.session.isOpen();
	}

	@Override
	public CompletableFuture<Void> sendText(String json) {
		if (!isOpen()) {
			return CompletableFuture.failedFuture(new IllegalStateException("Connection " + id() + " is closed"));
		}
		try {
			send(new TextMessage(json));
			return CompletableFuture.completedFuture(null);
		}
		catch (IOException | RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public CompletableFuture<Void> notify(String type, @Nullable Object data) {
		String json;
		try {
			json = this.envelopes.notification(type, data);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return sendText(json);
	}

	@Override
	public @Nullable CryoSession cryoSession() {
		return null;
	}

	@Override
	public void close(String reason) {
		close(CloseStatus.NORMAL.withReason(fitReason(reason)));
	}

	/** A close frame's reason has at most 123 bytes of UTF-8; containers refuse longer ones. */
	static String fitReason(String reason) {
		// A character is at least one byte, so the loop below works on 123 characters at most.
		String fitted = (reason.length() > MAX_REASON_BYTES) ? reason.substring(0, MAX_REASON_BYTES) : reason;
		while (fitted.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
			fitted = fitted.substring(0, fitted.length() - 1);
		}
		if (!fitted.isEmpty() && Character.isHighSurrogate(fitted.charAt(fitted.length() - 1))) {
			fitted = fitted.substring(0, fitted.length() - 1);
		}
		return fitted;
	}

	/** Sends through the decorator; a client beyond the limits is closed. */
	private void send(WebSocketMessage<?> message) throws IOException {
		try {
			this.out.sendMessage(message);
		}
		catch (SessionLimitExceededException ex) {
			this.handler.sendLimitExceeded(this, ex);
			close(ex.getStatus());
			throw ex;
		}
	}

	/**
	 * Starts pinging the client.
	 * @param scheduler the shared scheduler the pings run on
	 */
	void startPings(ScheduledExecutorService scheduler) {
		long interval = this.wireSettings.pingInterval().toMillis();
		this.pings = scheduler.scheduleAtFixedRate(this::ping, interval, interval, TimeUnit.MILLISECONDS);
	}

	/**
	 * How long a ping may wait for the client's socket: as long as the client has to answer pings
	 * anyway. A client that cannot take two bytes in that time is closed by the container, and
	 * the shared scheduler that sends the pings is never held longer.
	 */
	private static long pingWriteTimeout(YoctopusWireSettings settings) {
		return settings.pingInterval().toMillis() * (settings.maxLostPings() + 1L);
	}

	/** The client answered a ping. */
	void pongReceived() {
		this.unansweredPings.set(0);
	}

	/**
	 * Runs on the shared scheduler: closes a client that left too many pings unanswered, else
	 * pings it. A ping is skipped while the decorator is sending or queueing, so that the scheduler
	 * never queues behind a slow client's send (the send limits look after those clients), and the
	 * ping's own write is bounded ({@link PingWriteTimeout}).
	 */
	private void ping() {
		if (!isOpen()) {
			stopPings();
			return;
		}
		if (this.unansweredPings.get() > this.wireSettings.maxLostPings()) {
			if (logger.isDebugEnabled()) {
				logger.debug("Closing yoctopus connection " + id() + ": " + this.unansweredPings.get()
						+ " pings unanswered");
			}
			this.handler.pingsLost();
			// The dispatcher is told at once: a dead client may never complete the close handshake.
			this.handler.connectionEnded(this);
			close(CloseStatus.GOING_AWAY.withReason(PING_TIMEOUT_REASON));
			return;
		}
		if (this.out.getTimeSinceSendStarted() > 0 || this.out.getBufferSize() > 0) {
			return;
		}
		try {
			this.unansweredPings.incrementAndGet();
			send(new PingMessage(PING_PAYLOAD.duplicate()));
		}
		catch (IOException | RuntimeException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Could not ping yoctopus connection " + id() + ": " + ex.getClass().getName());
			}
		}
	}

	void stopPings() {
		ScheduledFuture<?> scheduled = this.pings;
		if (scheduled != null) {
			scheduled.cancel(false);
		}
	}

	/**
	 * Marks the connection ended, once.
	 * @return whether this call ended it
	 */
	boolean end() {
		stopPings();
		return this.ended.compareAndSet(false, true);
	}

	private void close(CloseStatus status) {
		stopPings();
		try {
			this.session.close(status);
		}
		catch (IOException | RuntimeException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Could not close yoctopus connection " + id() + ": " + ex.getClass().getName());
			}
		}
	}

	@Override
	public String toString() {
		return "WebSocketEndpointConnection[" + id() + "]";
	}

	/**
	 * Bounds the container's blocking writes (Tomcat's {@value #BLOCKING_SEND_TIMEOUT} session
	 * property, read at each send; other containers ignore it): every send by the send time limit,
	 * so that a thread that flushes a client's messages (a multicast, a response) is held by a
	 * client that reads nothing for that long at most, not Tomcat's 20 s; and a ping by a timeout
	 * of its own. Sends of one session never overlap, the concurrent decorator sees to that, so
	 * setting the property around the ping touches no other send.
	 */
	static final class PingWriteTimeout extends WebSocketSessionDecorator {

		static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

		private final @Nullable Map<String, Object> userProperties;

		private final Long timeout;

		PingWriteTimeout(WebSocketSession session, long timeoutMillis, long sendTimeoutMillis) {
			super(session);
			this.userProperties = userProperties(session);
			this.timeout = timeoutMillis;
			if (this.userProperties != null) {
				this.userProperties.put(BLOCKING_SEND_TIMEOUT, sendTimeoutMillis);
			}
		}

		private static @Nullable Map<String, Object> userProperties(WebSocketSession session) {
			if (session instanceof NativeWebSocketSession nativeSession) {
				try {
					jakarta.websocket.Session container = nativeSession.getNativeSession(jakarta.websocket.Session.class);
					return (container != null) ? container.getUserProperties() : null;
				}
				catch (LinkageError ex) {
					// Not on a Jakarta WebSocket container.
					return null;
				}
			}
			return null;
		}

		@Override
		public void sendMessage(WebSocketMessage<?> message) throws IOException {
			Map<String, Object> properties = this.userProperties;
			if (!(message instanceof PingMessage) || properties == null) {
				super.sendMessage(message);
				return;
			}
			Object previous = properties.put(BLOCKING_SEND_TIMEOUT, this.timeout);
			try {
				super.sendMessage(message);
			}
			finally {
				if (previous != null) {
					properties.put(BLOCKING_SEND_TIMEOUT, previous);
				}
				else {
					properties.remove(BLOCKING_SEND_TIMEOUT);
				}
			}
		}

	}

}
