package dev.cryo.client;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.cryo.client.transport.CryoConnector;
import dev.cryo.core.dialect.v1.CryoV1Dialect;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.core.session.CloseCodes;
import dev.cryo.core.session.CloseInfo;
import dev.cryo.core.session.CryoTransport;
import dev.cryo.core.session.ProtocolHandler;
import dev.cryo.core.session.ProtocolSession;
import dev.cryo.core.session.SessionStatistics;
import dev.cryo.core.transaction.IncomingStream;
import dev.cryo.core.transaction.StreamSource;

/**
 * A client's session with a Cryo server. It outlives its connections: when an established
 * connection is lost the session reconnects as its {@link ReconnectPolicy} allows, each time
 * with a new session id, and reports {@code disconnected} and {@code reconnected} to its
 * listeners.
 *
 * <p>Sends are thread-safe, never block, and return a future that completes when the server
 * ACKs the frame and fails, never hangs: with {@link CryoNotConnectedException} at once when
 * there is no established connection (nothing is buffered for a later connection),
 * {@link dev.cryo.core.session.CryoAckTimeoutException} when the ACK does not come in time,
 * {@link dev.cryo.core.session.CryoSessionClosedException} when the connection ends first, and
 * {@link dev.cryo.core.session.CryoFrameDroppedException} when backpressure drops the frame.
 */
public final class CryoClientSession implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(CryoClientSession.class.getName());

	/** The BYE reason of {@link #close()}. */
	public static final String DEFAULT_CLOSE_REASON = "Client closed.";

	/** Where a session is in its life. */
	public enum State {

		/** The first connection is being established. */
		CONNECTING,

		/** A connection is established: sends go out. */
		CONNECTED,

		/** The connection was lost; a reconnect is pending or under way. */
		RECONNECTING,

		/** The session is over. */
		CLOSED

	}

	private final CryoClient client;

	private final List<CryoClientListener> listeners;

	private final CompletableFuture<CloseInfo> closeFuture = new CompletableFuture<>();

	private final Object lock = new Object();

	private volatile State state = State.CONNECTING;

	/** The connection in use, or the last one; null only before the first connect finishes. */
	private volatile @Nullable Connection current;

	/** Guarded by {@link #lock}. */
	private boolean closeRequested;

	/** Guarded by {@link #lock}. */
	private int reconnectAttempt;

	/** Guarded by {@link #lock}. */
	private @Nullable ScheduledFuture<?> pendingReconnect;

	/** How the connection that the running reconnect replaces ended; guarded by {@link #lock}. */
	private @Nullable CloseInfo lostWith;

	CryoClientSession(CryoClient client) {
		this.client = client;
		this.listeners = new CopyOnWriteArrayList<>(client.listeners());
	}

	// ---- identity and state

	/**
	 * Returns the session id of the current (or last) connection, an unsigned 64-bit value held
	 * in a {@code long}. It changes with every reconnect.
	 * @return the sid bits
	 */
	public long id() {
		Connection connection = this.current;
		return (connection != null) ? connection.sid : 0;
	}

	/**
	 * Returns the session id as the unsigned decimal string sent in {@code x-cryo-sid}.
	 * @return the id
	 */
	public String idString() {
		return Long.toUnsignedString(id());
	}

	/**
	 * Returns the server's endpoint.
	 * @return the endpoint without its query
	 */
	public URI endpoint() {
		return CryoConnector.withoutQuery(this.client.endpoint());
	}

	/**
	 * Returns where the session is in its life.
	 * @return the state
	 */
	public State state() {
		return this.state;
	}

	/**
	 * Returns whether a connection is established, so that sends go out.
	 * @return whether the state is {@link State#CONNECTED}
	 */
	public boolean isConnected() {
		return this.state == State.CONNECTED;
	}

	/**
	 * Returns the feature flags the server announced on the current connection.
	 * @return the flags, 0 before the server's ENDPOINT_INFO
	 */
	public long peerFlags() {
		ProtocolSession protocol = protocol();
		return (protocol != null) ? protocol.peerFlags() : 0;
	}

	/**
	 * Returns the figures of §12 for the current (or last) connection: ack timeouts, RTT, bytes
	 * sent and received, frames dropped.
	 * @return the statistics
	 */
	public SessionStatistics statistics() {
		ProtocolSession protocol = protocol();
		return (protocol != null) ? protocol.statistics() : new SessionStatistics(0, -1, 0, 0, 0);
	}

	/**
	 * Returns whether the send queue is below its high-water mark.
	 * @return {@code false} while the server is not keeping up
	 */
	public boolean isWritable() {
		ProtocolSession protocol = protocol();
		return protocol != null && protocol.isWritable();
	}

	/**
	 * Returns a future that completes once the session is over, with how its last connection
	 * ended.
	 * @return the future; never fails
	 */
	public CompletableFuture<CloseInfo> closeFuture() {
		return this.closeFuture;
	}

	/**
	 * Adds a listener.
	 * @param listener the listener
	 */
	public void addListener(CryoClientListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
	}

	/**
	 * Removes a listener.
	 * @param listener the listener
	 */
	public void removeListener(CryoClientListener listener) {
		this.listeners.remove(listener);
	}

	// ---- sending

	/**
	 * Sends a UTF8DATA message.
	 * @param text the message, at most 16 MiB of UTF-8
	 * @return completes when the server ACKs it
	 */
	public CompletableFuture<Void> sendUtf8(String text) {
		return onConnection((protocol) -> protocol.sendUtf8(text));
	}

	/**
	 * Sends a UTF8DATA message that the {@code dedupe-latest} drop policy may replace by a
	 * newer message with an equal key while both wait in the queue.
	 * @param text the message
	 * @param dedupeKey the key
	 * @return completes when the server ACKs it
	 */
	public CompletableFuture<Void> sendUtf8(String text, Object dedupeKey) {
		return onConnection((protocol) -> protocol.sendUtf8(text, dedupeKey));
	}

	/**
	 * Sends a BINARYDATA message.
	 * @param payload the remaining bytes, at most 16 MiB; read later, so do not change them
	 * @return completes when the server ACKs it
	 */
	public CompletableFuture<Void> sendBinary(ByteBuffer payload) {
		return onConnection((protocol) -> protocol.sendBinary(payload));
	}

	/**
	 * Sends a BINARYDATA message with a dedupe key; see {@link #sendUtf8(String, Object)}.
	 * @param payload the remaining bytes
	 * @param dedupeKey the key
	 * @return completes when the server ACKs it
	 */
	public CompletableFuture<Void> sendBinary(ByteBuffer payload, Object dedupeKey) {
		return onConnection((protocol) -> protocol.sendBinary(payload, dedupeKey));
	}

	/**
	 * Sends an ERROR frame.
	 * @param message the error text
	 * @return completes when the server ACKs it
	 */
	public CompletableFuture<Void> sendError(String message) {
		return onConnection((protocol) -> protocol.sendError(message));
	}

	/**
	 * Streams the bytes of an input stream to the server as a transaction (cryo-v1.md §10),
	 * paced by the send queue and the server's flow mode; the source is closed at the end.
	 * @param source the bytes
	 * @param name the transaction's name
	 * @return completes when the server ACKs TX_FINISH
	 */
	public CompletableFuture<Void> stream(InputStream source, String name) {
		return onConnection((protocol) -> protocol.stream(StreamSource.of(source), name));
	}

	/**
	 * Streams a file to the server as a transaction.
	 * @param file the file
	 * @param name the transaction's name
	 * @return completes when the server ACKs TX_FINISH
	 * @throws IOException when the file cannot be opened
	 */
	public CompletableFuture<Void> stream(Path file, String name) throws IOException {
		StreamSource source = StreamSource.of(file);
		return onConnection((protocol) -> protocol.stream(source, name));
	}

	/**
	 * Streams what a publisher emits to the server as a transaction, requesting more only as
	 * the connection takes it.
	 * @param source the publisher
	 * @param name the transaction's name
	 * @return completes when the server ACKs TX_FINISH
	 */
	public CompletableFuture<Void> stream(Flow.Publisher<ByteBuffer> source, String name) {
		return onConnection((protocol) -> protocol.stream(StreamSource.of(source), name));
	}

	/**
	 * Waits for the server to start a transaction with the given name on the current
	 * connection.
	 * @param name the transaction's name
	 * @param timeout how long to wait
	 * @return completes with the incoming stream
	 */
	public CompletableFuture<IncomingStream> awaitStream(String name, Duration timeout) {
		ProtocolSession protocol = connectedProtocol();
		return (protocol != null) ? protocol.awaitStream(name, timeout) : notConnected();
	}

	/**
	 * Tells the server how to send transactions to this client: pushed as fast as backpressure
	 * allows, or pulled chunk by chunk as this client reads (TX_FLOW).
	 * @param behaviour the flow mode
	 * @return completes when the server ACKs the change
	 */
	public CompletableFuture<Void> setIncomingFlow(FlowBehaviour behaviour) {
		return onConnection((protocol) -> protocol.setIncomingFlow(behaviour));
	}

	private CompletableFuture<Void> onConnection(Function<ProtocolSession, CompletableFuture<Void>> send) {
		ProtocolSession protocol = connectedProtocol();
		return (protocol != null) ? send.apply(protocol) : notConnected();
	}

	private <T> CompletableFuture<T> notConnected() {
		return CompletableFuture.failedFuture(new CryoNotConnectedException(this.state));
	}

	private @Nullable ProtocolSession connectedProtocol() {
		return (this.state == State.CONNECTED) ? protocol() : null;
	}

	private @Nullable ProtocolSession protocol() {
		Connection connection = this.current;
		return (connection != null) ? connection.protocol : null;
	}

	// ---- closing

	/**
	 * Ends the session with BYE {@value #DEFAULT_CLOSE_REASON}; see {@link #close(String)}.
	 */
	@Override
	public void close() {
		close(DEFAULT_CLOSE_REASON);
	}

	/**
	 * Ends the session: sends what is queued, then BYE with the reason, then closes the
	 * connection with 4000. A pending reconnect is cancelled. Idempotent.
	 * @param reason the BYE reason
	 */
	public void close(String reason) {
		Connection connection;
		State closingFrom;
		ScheduledFuture<?> pending;
		synchronized (this.lock) {
			if (this.closeRequested || this.state == State.CLOSED) {
				return;
			}
			this.closeRequested = true;
			connection = this.current;
			closingFrom = this.state;
			pending = this.pendingReconnect;
		}
		if (closingFrom == State.CONNECTED && connection != null && connection.protocol != null) {
			// The connection's close is reported like any other and ends the session.
			connection.protocol.close(reason);
		}
		else if (closingFrom == State.RECONNECTING) {
			if (pending != null) {
				pending.cancel(false);
			}
			finish(new CloseInfo(CloseCodes.GRACEFUL, CloseCodes.truncateReason(reason), CloseInfo.Initiator.LOCAL));
		}
		// CONNECTING: the first connect sees the request when it completes and closes at once.
	}

	// ---- connecting

	CompletableFuture<CryoClientSession> connectFirst() {
		return openConnection().handle((connection, failure) -> {
			if (failure != null) {
				this.state = State.CLOSED;
				this.closeFuture.complete(new CloseInfo(CloseCodes.ABNORMAL, "Connect failed.", CloseInfo.Initiator.LOCAL));
				throw (failure instanceof CompletionException completion) ? completion : new CompletionException(failure);
			}
			adopt(connection, false);
			return this;
		});
	}

	/** Starts one connection attempt; the future completes once the connection is established. */
	private CompletableFuture<Connection> openConnection() {
		Connection connection = new Connection(this.client.nextSid());
		return this.client.connector()
			.connect(this.client.endpoint(), this.client.token(), connection.sid, this.client.parameters(),
					this.client.connectTimeout(), connection::create)
			.thenApply((protocol) -> connection);
	}

	/** Makes an established connection the current one and tells the listeners. */
	private void adopt(Connection connection, boolean reconnected) {
		boolean closeAtOnce;
		synchronized (this.lock) {
			this.current = connection;
			connection.adopted = true;
			closeAtOnce = this.closeRequested;
			this.state = State.CONNECTED;
			this.reconnectAttempt = 0;
			this.lostWith = null;
		}
		ProtocolSession protocol = Objects.requireNonNull(connection.protocol);
		if (closeAtOnce) {
			// close() was called while this connection was being opened: end it, quietly.
			protocol.close(DEFAULT_CLOSE_REASON);
		}
		else {
			watchPings(connection, protocol);
			if (reconnected) {
				fire((listener) -> listener.onReconnected(this));
			}
			else {
				fire((listener) -> listener.onConnected(this));
			}
		}
		CloseInfo closedMeanwhile = connection.closedWith;
		if (closedMeanwhile != null) {
			connectionLost(connection, closedMeanwhile);
		}
	}

	private void watchPings(Connection connection, ProtocolSession protocol) {
		long timeout = this.client.pingTimeout().toNanos();
		if (timeout == 0) {
			return;
		}
		long period = Math.max(TimeUnit.MILLISECONDS.toNanos(20), timeout / 4);
		connection.pingWatch = this.client.scheduler().scheduleAtFixedRate(() -> {
			if (protocol.nanosSinceLastPing() > timeout) {
				protocol.close(CryoClient.PING_TIMEOUT_REASON);
			}
		}, period, period, TimeUnit.NANOSECONDS);
	}

	/** An adopted connection ended: reconnect, or end the session. */
	private void connectionLost(Connection connection, CloseInfo closeInfo) {
		boolean reconnect;
		boolean requested;
		synchronized (this.lock) {
			if (this.current != connection || connection.lossHandled) {
				return;
			}
			connection.lossHandled = true;
			requested = this.closeRequested;
			reconnect = !requested && this.client.reconnectPolicy().isEnabled();
			this.state = reconnect ? State.RECONNECTING : this.state;
			this.lostWith = closeInfo;
		}
		ScheduledFuture<?> pingWatch = connection.pingWatch;
		if (pingWatch != null) {
			pingWatch.cancel(false);
		}
		if (!requested) {
			fire((listener) -> listener.onDisconnected(this, closeInfo));
		}
		if (reconnect) {
			scheduleReconnect();
		}
		else {
			finish(closeInfo);
		}
	}

	private void scheduleReconnect() {
		synchronized (this.lock) {
			if (this.closeRequested || this.state != State.RECONNECTING) {
				return;
			}
			this.reconnectAttempt++;
			Duration delay = this.client.reconnectPolicy().delayBefore(this.reconnectAttempt, ThreadLocalRandom.current());
			this.pendingReconnect = this.client.scheduler()
				.schedule(this::reconnect, delay.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	private void reconnect() {
		int attempt;
		synchronized (this.lock) {
			if (this.closeRequested || this.state != State.RECONNECTING) {
				return;
			}
			this.pendingReconnect = null;
			attempt = this.reconnectAttempt;
		}
		openConnection().whenComplete((connection, failure) -> {
			if (failure == null) {
				adopt(connection, true);
				return;
			}
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			logger.log(Level.DEBUG, () -> "Reconnect attempt " + attempt + " to " + endpoint() + " failed: " + cause);
			fire((listener) -> listener.onReconnectFailed(this, attempt, cause));
			boolean retry = !(cause instanceof CryoConnectException connectException)
					|| connectException.isRetryable();
			CloseInfo giveUpWith;
			synchronized (this.lock) {
				if (this.closeRequested || this.state != State.RECONNECTING) {
					return;
				}
				giveUpWith = (retry && attempt < this.client.reconnectPolicy().maxAttempts()) ? null : this.lostWith;
			}
			if (giveUpWith == null) {
				scheduleReconnect();
			}
			else {
				finish(giveUpWith);
			}
		});
	}

	/** Ends the session and tells the listeners, once. */
	private void finish(CloseInfo closeInfo) {
		synchronized (this.lock) {
			if (this.closeFuture.isDone()) {
				return;
			}
			this.state = State.CLOSED;
		}
		fire((listener) -> listener.onClosed(this, closeInfo));
		this.closeFuture.complete(closeInfo);
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

	@Override
	public String toString() {
		return "CryoClientSession[id=" + idString() + ", endpoint=" + endpoint() + ", state=" + this.state + "]";
	}

	/**
	 * One connection of the session: the handler of its {@link ProtocolSession}, and the
	 * handshake's progress. A connection is established when the server's ENDPOINT_INFO was
	 * accepted and ours was ACKed.
	 */
	private final class Connection implements ProtocolHandler {

		final long sid;

		volatile @Nullable ProtocolSession protocol;

		volatile boolean adopted;

		volatile @Nullable CloseInfo closedWith;

		/** Guarded by the session's lock. */
		boolean lossHandled;

		volatile @Nullable ScheduledFuture<?> pingWatch;

		Connection(long sid) {
			this.sid = sid;
		}

		ProtocolSession create(CryoTransport transport) {
			ProtocolSession created = new ProtocolSession(this.sid, ProtocolSession.Role.CLIENT, CryoV1Dialect.INSTANCE, transport, this,
					CryoClientSession.this.client.sessionOptions(), CryoClientSession.this.client.scheduler(),
					CryoClientSession.this.client.streamExecutor());
			this.protocol = created;
			return created;
		}

		@Override
		public void onUtf8(ProtocolSession session, Utf8DataFrame frame) {
			String text = frame.text();
			fire((listener) -> listener.onUtf8Message(CryoClientSession.this, text));
		}

		@Override
		public void onBinary(ProtocolSession session, BinaryDataFrame frame) {
			ByteBuffer payload = frame.payload();
			fire((listener) -> listener.onBinaryMessage(CryoClientSession.this, payload.asReadOnlyBuffer()));
		}

		@Override
		public void onError(ProtocolSession session, ErrorFrame frame) {
			String message = frame.message();
			fire((listener) -> listener.onErrorMessage(CryoClientSession.this, message));
		}

		@Override
		public void onStreamStarted(ProtocolSession session, IncomingStream stream) {
			fire((listener) -> listener.onStreamStarted(CryoClientSession.this, stream));
		}

		@Override
		public void onWritabilityChanged(ProtocolSession session, boolean writable) {
			fire((listener) -> listener.onWritabilityChanged(CryoClientSession.this, writable));
		}

		@Override
		public void onClosed(ProtocolSession session, CloseInfo closeInfo) {
			this.closedWith = closeInfo;
			// Before adoption the connector reports a failed handshake, and adopt() sees closedWith.
			if (this.adopted) {
				connectionLost(this, closeInfo);
			}
		}

	}

}
