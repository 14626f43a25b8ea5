package dev.cryo.endpoint.wire;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.support.EndpointDispatcher;
import dev.cryo.endpoint.support.Envelopes;
import dev.cryo.server.CryoSession;
import dev.cryo.server.handler.CryoMessageHandler;

/**
 * The Cryo wire of the endpoint layer: a {@link CryoMessageHandler} that claims the UTF-8
 * messages that are endpoint requests ({@link EndpointDispatcher#isRequest}) and hands them to the
 * dispatcher with the session's {@link EndpointConnection}; every other text goes on to the next
 * handler and to the application's events. Binary messages are claimed only when a binary handler
 * is registered.
 *
 * <p>Each session's connection is created when the session connects ({@link #sessionConnected}),
 * or at its first request if that comes first, and removed when it closes
 * ({@link #sessionClosed}), so the map holds live sessions only. The Boot auto-configuration calls
 * both from listeners of {@code CryoSessionConnectedEvent} and {@code CryoSessionClosedEvent}.
 * Links this server opened to other servers ({@link CryoSession#isPeer()}) are not endpoint
 * connections: their messages are never claimed.
 */
public final class CryoEndpointMessageHandler implements CryoMessageHandler {

	private final EndpointDispatcher dispatcher;

	private final Envelopes envelopes;

	private final Map<CryoSession, CryoEndpointConnection> connections = new ConcurrentHashMap<>();

	/**
	 * Creates the handler.
	 * @param dispatcher the dispatcher requests go to
	 * @param envelopes writes the notifications the connections send
	 */
	public CryoEndpointMessageHandler(EndpointDispatcher dispatcher, Envelopes envelopes) {
		Assert.notNull(dispatcher, "'dispatcher' must not be null");
		Assert.notNull(envelopes, "'envelopes' must not be null");
		this.dispatcher = dispatcher;
		this.envelopes = envelopes;
	}

	@Override
	public boolean handleUtf8(CryoSession session, String text) {
		if (session.isPeer() || !this.dispatcher.isRequest(text)) {
			return false;
		}
		this.dispatcher.dispatch(connectionOf(session), text);
		return true;
	}

	@Override
	public boolean handleBinary(CryoSession session, ByteBuffer payload) {
		if (session.isPeer() || !this.dispatcher.hasBinaryHandler()) {
			return false;
		}
		this.dispatcher.dispatchBinary(connectionOf(session), payload);
		return true;
	}

	/**
	 * A session connected: its connection is created and announced to the dispatcher, unless a
	 * request created it already.
	 * @param session the session
	 */
	public void sessionConnected(CryoSession session) {
		if (!session.isPeer()) {
			connectionOf(session);
		}
	}

	/**
	 * A session closed: its connection is removed and its end announced to the dispatcher. Does
	 * nothing for a session that never had a connection.
	 * @param session the session
	 */
	public void sessionClosed(CryoSession session) {
		CryoEndpointConnection connection = this.connections.remove(session);
		if (connection != null) {
			connection.markClosed();
			this.dispatcher.closed(connection);
		}
	}

	/**
	 * Returns the connection of a live session.
	 * @param session the session
	 * @return its connection, {@code null} when it has none (not connected yet, or closed)
	 */
	public @Nullable EndpointConnection connection(CryoSession session) {
		return this.connections.get(session);
	}

	/**
	 * Returns how many sessions have a connection.
	 * @return the number of live connections of this wire
	 */
	public int connectionCount() {
		return this.connections.size();
	}

	private CryoEndpointConnection connectionOf(CryoSession session) {
		CryoEndpointConnection connection = this.connections.computeIfAbsent(session,
				(key) -> new CryoEndpointConnection(key, this.envelopes, this.dispatcher));
		// Outside the map's lock; a thread that comes second waits until the dispatcher knows the connection.
		connection.announce(this.dispatcher);
		return connection;
	}

}
