package dev.cryo.client;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.cryo.client.support.ClientConnection;
import dev.cryo.client.support.Reconnector;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.transaction.IncomingStream;

/**
 * The listeners of one {@link CryoClientSession}, and the bridge from what its reconnector and
 * its connections report to them. It also opens the connections the reconnector asks for,
 * since it is where the client's configuration meets the session's machinery.
 */
final class SessionListeners implements Reconnector.Session<ClientConnection>, ClientConnection.Events {

	// The session's logger name, so that the category users configure stays what it was.
	private static final System.Logger logger = System.getLogger(CryoClientSession.class.getName());

	private final CryoClientSession session;

	private final CryoClient client;

	private final List<CryoClientListener> listeners;

	SessionListeners(CryoClientSession session, CryoClient client) {
		this.session = session;
		this.client = client;
		this.listeners = new CopyOnWriteArrayList<>(client.listeners());
	}

	void add(CryoClientListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
	}

	void remove(CryoClientListener listener) {
		this.listeners.remove(listener);
	}

	@Override
	public CompletableFuture<ClientConnection> connect() {
		ClientConnection connection = new ClientConnection(this.client.nextSid(), this);
		CryoClientDialect dialect = this.client.dialect();
		return this.client.connector()
			.connect(this.client.endpoint(), this.client.token(), connection.sid(), this.client.parameters(),
					this.client.connectTimeout(), dialect,
					(transport) -> connection.open(transport, dialect.wireDialect(), this.client.sessionOptions(),
							this.client.scheduler(), this.client.streamExecutor()))
			.thenApply((protocol) -> connection);
	}

	@Override
	public void connected(ClientConnection connection, boolean reconnected) {
		connection.watchPings(this.client.pingTimeout(), CryoClient.PING_TIMEOUT_REASON);
		if (reconnected) {
			fire((listener) -> listener.onReconnected(this.session));
		}
		else {
			fire((listener) -> listener.onConnected(this.session));
		}
	}

	@Override
	public void abandon(ClientConnection connection) {
		connection.close(CryoClientSession.DEFAULT_CLOSE_REASON);
	}

	@Override
	public void disconnected(ClientConnection connection, CloseInfo closeInfo, boolean closeRequested) {
		connection.stopWatchingPings();
		if (!closeRequested) {
			fire((listener) -> listener.onDisconnected(this.session, closeInfo));
		}
	}

	@Override
	public void reconnectFailed(int attempt, Throwable cause) {
		logger.log(Level.DEBUG,
				() -> "Reconnect attempt " + attempt + " to " + this.session.endpoint() + " failed: " + cause);
		fire((listener) -> listener.onReconnectFailed(this.session, attempt, cause));
	}

	@Override
	public void closed(CloseInfo closeInfo) {
		fire((listener) -> listener.onClosed(this.session, closeInfo));
	}

	@Override
	public void closed(ClientConnection connection, CloseInfo closeInfo) {
		this.session.connectionLost(connection, closeInfo);
	}

	@Override
	public void utf8Message(String text) {
		fire((listener) -> listener.onUtf8Message(this.session, text));
	}

	@Override
	public void binaryMessage(ByteBuffer payload) {
		fire((listener) -> listener.onBinaryMessage(this.session, payload.asReadOnlyBuffer()));
	}

	@Override
	public void errorMessage(String message) {
		fire((listener) -> listener.onErrorMessage(this.session, message));
	}

	@Override
	public void streamStarted(IncomingStream stream) {
		fire((listener) -> listener.onStreamStarted(this.session, stream));
	}

	@Override
	public void writabilityChanged(boolean writable) {
		fire((listener) -> listener.onWritabilityChanged(this.session, writable));
	}

	private void fire(Consumer<CryoClientListener> event) {
		for (CryoClientListener listener : this.listeners) {
			try {
				event.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, "Cryo client listener " + listener + " failed", ex);
			}
		}
	}

}
