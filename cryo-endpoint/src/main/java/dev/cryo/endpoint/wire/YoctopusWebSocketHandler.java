package dev.cryo.endpoint.wire;

import java.security.Principal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.SessionLimitExceededException;

import dev.cryo.core.LogText;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.support.EndpointDispatcher;
import dev.cryo.endpoint.support.EndpointLimitObserver;
import dev.cryo.endpoint.support.Envelopes;

/**
 * yoctopus's plain-WebSocket wire: each text frame is one JSON request handed to the
 * {@link EndpointDispatcher}, whose responses and notifications go back as text frames. Binary
 * frames go to the binary handler when one is registered and are ignored otherwise. Text and
 * binary messages larger than {@link YoctopusWireSettings#maxMessageSize()} close the connection
 * with 1009 (the container enforces it).
 *
 * <p>Every connection is pinged (WebSocket pings) every
 * {@link YoctopusWireSettings#pingInterval()} from one shared scheduler; a client that leaves more
 * than {@link YoctopusWireSettings#maxLostPings()} pings in a row unanswered is closed with 1001
 * {@code Ping timeout.} and its connection ends in the dispatcher at once.
 *
 * <p>The principal is the one {@link YoctopusHandshakeInterceptor} put into the handshake
 * attributes, else the upgrade request's own (e.g. Spring Security's), else none.
 */
public final class YoctopusWebSocketHandler implements WebSocketHandler {

	private static final Log logger = LogFactory.getLog(YoctopusWebSocketHandler.class);

	private final EndpointDispatcher dispatcher;

	private final Envelopes envelopes;

	private final YoctopusWireSettings settings;

	private final ScheduledExecutorService scheduler;

	private final Map<String, WebSocketEndpointConnection> connections = new ConcurrentHashMap<>();

	private final AtomicBoolean limitWarned = new AtomicBoolean();

	private final EndpointLimitObserver limitObserver;

	/**
	 * Creates the handler.
	 * @param dispatcher the dispatcher requests go to
	 * @param envelopes writes the notifications the connections send
	 * @param settings the wire's limits and timers
	 * @param scheduler the scheduler the pings of every connection run on; not shut down here
	 */
	public YoctopusWebSocketHandler(EndpointDispatcher dispatcher, Envelopes envelopes, YoctopusWireSettings settings,
			ScheduledExecutorService scheduler) {
		this(dispatcher, envelopes, settings, scheduler, EndpointLimitObserver.NONE);
	}

	/**
	 * Creates the handler with an observer of its limits.
	 * @param dispatcher the dispatcher requests go to
	 * @param envelopes writes the notifications the connections send
	 * @param settings the wire's limits and timers
	 * @param scheduler the scheduler the pings of every connection run on; not shut down here
	 * @param limitObserver told when a client is closed for a limit (message size, send buffer,
	 * lost pings)
	 */
	public YoctopusWebSocketHandler(EndpointDispatcher dispatcher, Envelopes envelopes, YoctopusWireSettings settings,
			ScheduledExecutorService scheduler, EndpointLimitObserver limitObserver) {
		Assert.notNull(limitObserver, "'limitObserver' must not be null");
		this.limitObserver = limitObserver;
		Assert.notNull(dispatcher, "'dispatcher' must not be null");
		Assert.notNull(envelopes, "'envelopes' must not be null");
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(scheduler, "'scheduler' must not be null");
		this.dispatcher = dispatcher;
		this.envelopes = envelopes;
		this.settings = settings;
		this.scheduler = scheduler;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		session.setTextMessageSizeLimit(this.settings.maxMessageSize());
		session.setBinaryMessageSizeLimit(this.settings.maxMessageSize());
		WebSocketEndpointConnection connection = new WebSocketEndpointConnection(session, this, this.envelopes,
				this.settings, principalOf(session), this.dispatcher);
		this.connections.put(session.getId(), connection);
		this.dispatcher.opened(connection);
		connection.startPings(this.scheduler);
	}

	private static @Nullable Principal principalOf(WebSocketSession session) {
		if (session.getAttributes().get(YoctopusHandshakeInterceptor.PRINCIPAL_ATTRIBUTE) instanceof Principal principal) {
			return principal;
		}
		return session.getPrincipal();
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
		WebSocketEndpointConnection connection = this.connections.get(session.getId());
		if (connection == null) {
			return;
		}
		if (message instanceof TextMessage text) {
			this.dispatcher.dispatch(connection, text.getPayload());
		}
		else if (message instanceof BinaryMessage binary) {
			if (this.dispatcher.hasBinaryHandler()) {
				this.dispatcher.dispatchBinary(connection, binary.getPayload().asReadOnlyBuffer());
			}
		}
		else if (message instanceof PongMessage) {
			connection.pongReceived();
		}
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		if (logger.isDebugEnabled()) {
			logger.debug("Transport error on yoctopus connection " + session.getId() + ": "
					+ LogText.escape(String.valueOf(exception), 200));
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
		if (closeStatus.getCode() == CloseStatus.TOO_BIG_TO_PROCESS.getCode()) {
			// The container closes a client whose message is over the size limit.
			this.limitObserver.limitExceeded(EndpointLimitObserver.MESSAGE_SIZE);
		}
		WebSocketEndpointConnection connection = this.connections.get(session.getId());
		if (connection != null) {
			connectionEnded(connection);
		}
	}

	/** A client left too many pings unanswered and is being closed. */
	void pingsLost() {
		this.limitObserver.limitExceeded(EndpointLimitObserver.LOST_PINGS);
	}

	@Override
	public boolean supportsPartialMessages() {
		return false;
	}

	/**
	 * Returns the live connections of this wire.
	 * @return how many there are
	 */
	public int connectionCount() {
		return this.connections.size();
	}

	/**
	 * Returns a live connection.
	 * @param sessionId the WebSocket session's id
	 * @return the connection, {@code null} when there is none
	 */
	public @Nullable EndpointConnection connection(String sessionId) {
		return this.connections.get(sessionId);
	}

	/** A connection ended (closed, or given up on): it leaves the map and the dispatcher, once. */
	void connectionEnded(WebSocketEndpointConnection connection) {
		if (connection.end()) {
			this.connections.remove(connection.id(), connection);
			this.dispatcher.closed(connection);
		}
	}

	/** A client fell behind the send limits: the first time a warning, then debug lines. */
	void sendLimitExceeded(WebSocketEndpointConnection connection, SessionLimitExceededException ex) {
		this.limitObserver.limitExceeded(EndpointLimitObserver.SEND_BUFFER);
		String message = "Closing yoctopus connection " + connection.id() + " with " + ex.getStatus().getCode()
				+ ": " + ex.getMessage();
		if (this.limitWarned.compareAndSet(false, true)) {
			logger.warn(message + " (cryo.endpoints.websocket.send-time-limit / send-buffer-limit; "
					+ "further occurrences are logged at debug level)");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message);
		}
	}

}
