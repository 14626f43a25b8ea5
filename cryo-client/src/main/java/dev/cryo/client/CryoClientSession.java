package dev.cryo.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.cryo.client.support.ClientConnection;
import dev.cryo.client.support.Reconnector;
import dev.cryo.core.SessionId;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.engine.ProtocolSession;
import dev.cryo.core.engine.SessionStatistics;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.transaction.IncomingStream;
import dev.cryo.core.transaction.StreamSource;

/**
 * A client's session with a Cryo server, in the {@linkplain #dialect() dialect} of its client.
 * It outlives its connections: when an established
 * connection is lost the session reconnects as its {@link ReconnectPolicy} allows, each time
 * with a new session id, and reports {@code disconnected} and {@code reconnected} to its
 * listeners.
 *
 * <p>Sends are thread-safe, never block, and return a future that completes when the server
 * ACKs the frame and fails, never hangs: with {@link CryoNotConnectedException} at once when
 * there is no established connection (nothing is buffered for a later connection),
 * {@link dev.cryo.core.engine.CryoAckTimeoutException} when the ACK does not come in time,
 * {@link dev.cryo.core.engine.CryoSessionClosedException} when the connection ends first, and
 * {@link dev.cryo.core.engine.CryoFrameDroppedException} when backpressure drops the frame.
 */
public final class CryoClientSession implements AutoCloseable {

	/** The BYE reason of {@link #close()}. */
	public static final String DEFAULT_CLOSE_REASON = "Client closed.";

	/** What {@link #id()} returns before the first connection, as the {@code long} id did. */
	private static final SessionId NO_ID = SessionId.of(0);

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

	private final SessionListeners listeners;

	private final Reconnector<ClientConnection> reconnector;

	CryoClientSession(CryoClient client) {
		this.client = client;
		this.listeners = new SessionListeners(this, client);
		ReconnectPolicy policy = client.reconnectPolicy();
		Reconnector.Rules rules = new Reconnector.Rules(policy.maxAttempts(),
				(attempt) -> policy.delayBefore(attempt, ThreadLocalRandom.current()), CryoClientSession::isRetryable);
		this.reconnector = new Reconnector<>(rules,
				(task, delay) -> client.scheduler().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS),
				this.listeners);
	}

	/** Refusals of the credentials and version mismatches end the reconnecting; anything else may pass. */
	private static boolean isRetryable(Throwable failure) {
		return !(failure instanceof CryoConnectException connectException) || connectException.isRetryable();
	}


	/**
	 * Returns the session id of the current (or last) connection. It changes with every
	 * reconnect; before the first connection it is the numeric id 0.
	 * @return the session id, numeric for Cryo v1
	 */
	public SessionId id() {
		ClientConnection connection = this.reconnector.current();
		return (connection != null) ? connection.sid() : NO_ID;
	}

	/**
	 * Returns the session id as a number, for Cryo v1 sessions.
	 * @return the id as an unsigned 64-bit value held in a {@code long}
	 * @throws IllegalStateException if the session id is a UUID
	 */
	public long numericId() {
		return id().asLong();
	}

	/**
	 * Returns the session id as the unsigned decimal string sent in the upgrade
	 * ({@code x-cryo-sid} in Cryo v1, {@code x-camp-sid} in CAMP).
	 * @return the id
	 */
	public String idString() {
		return id().toString();
	}

	/**
	 * Returns the wire dialect the session speaks: the one its client was built with
	 * ({@link CryoClient.Builder#dialect(CryoClientDialect)}), which the server accepted at
	 * every upgrade. The server's side of the session names the same dialect.
	 * @return the dialect's name: {@code cryo-v1} or {@code camp}
	 */
	public String dialect() {
		return this.client.dialect().name();
	}

	/**
	 * Returns the transaction layout of the current connection (cryo-v1.md §10.5): seed or
	 * cryo-protocol 1.4 in Cryo v1, CAMP in CAMP. A Cryo v1 connection can switch to 1.4 when the
	 * server starts a transaction in that layout.
	 * @return the layout; before the first connection the one the connection would start with
	 */
	public TransactionLayout transactionLayout() {
		ProtocolSession protocol = protocol();
		return (protocol != null) ? protocol.transactionLayout()
				: this.client.dialect().wireDialect().policy().initialLayout(this.client.sessionOptions().transactionLayout());
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
		return switch (this.reconnector.phase()) {
			case CONNECTING -> State.CONNECTING;
			case CONNECTED -> State.CONNECTED;
			case RECONNECTING -> State.RECONNECTING;
			case CLOSED -> State.CLOSED;
		};
	}

	/**
	 * Returns whether a connection is established, so that sends go out.
	 * @return whether the state is {@link State#CONNECTED}
	 */
	public boolean isConnected() {
		return state() == State.CONNECTED;
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
		return this.reconnector.closeFuture();
	}

	/**
	 * Adds a listener.
	 * @param listener the listener
	 */
	public void addListener(CryoClientListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Removes a listener.
	 * @param listener the listener
	 */
	public void removeListener(CryoClientListener listener) {
		this.listeners.remove(listener);
	}


	/**
	 * Sends a UTF8DATA message.
	 * @param text the message, at most the dialect's payload limit of UTF-8: 16 MiB in Cryo v1,
	 * 1 MiB in CAMP
	 * @return completes when the server ACKs it
	 * @throws dev.cryo.core.frame.CryoFrameException when the text is over the limit, before
	 * anything is queued
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
	 * @param payload the remaining bytes, at most the dialect's payload limit: 16 MiB in Cryo
	 * v1, 1 MiB in CAMP
	 * @return completes when the server ACKs it
	 * @throws dev.cryo.core.frame.CryoFrameException when the payload is over the limit, before
	 * anything is queued
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
	 * paced by the send queue; the source is closed at the end. In Cryo v1 the server's flow
	 * mode (TX_FLOW) decides push or pull; in CAMP the transaction is pushed.
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
	 * Streams the bytes of an input stream to the server as a transaction in the given mode.
	 * CAMP chooses the mode per transaction (camp.md §7): {@link FlowBehaviour#PUSH} sends the
	 * chunks as the send queue takes them; {@link FlowBehaviour#PULL} reads the source whole
	 * first (into memory, and a temporary file beyond the memory threshold), announces its size
	 * and sends the ranges the server fetches. In Cryo v1 the server chooses the mode with
	 * TX_FLOW, and any other mode fails at once with an {@link IllegalArgumentException}.
	 * @param source the bytes, closed at the end
	 * @param name the transaction's name, at most 1 KiB of UTF-8 in CAMP
	 * @param behaviour push or pull
	 * @return completes when the server ACKs TX_FINISH; fails when the server cancels the
	 * transaction (TX_CANCEL)
	 */
	public CompletableFuture<Void> stream(InputStream source, String name, FlowBehaviour behaviour) {
		Objects.requireNonNull(behaviour, "behaviour");
		return onConnection((protocol) -> protocol.stream(StreamSource.of(source), name, behaviour));
	}

	/**
	 * Streams a file to the server as a transaction in the given mode; see
	 * {@link #stream(InputStream, String, FlowBehaviour)}. A pulled file is still copied before
	 * its size is announced, so that what the server fetches cannot change under it.
	 * @param file the file
	 * @param name the transaction's name
	 * @param behaviour push or pull
	 * @return completes when the server ACKs TX_FINISH
	 * @throws IOException when the file cannot be opened
	 */
	public CompletableFuture<Void> stream(Path file, String name, FlowBehaviour behaviour) throws IOException {
		Objects.requireNonNull(behaviour, "behaviour");
		StreamSource source = StreamSource.of(file);
		return onConnection((protocol) -> protocol.stream(source, name, behaviour));
	}

	/**
	 * Streams what a publisher emits to the server as a transaction in the given mode; see
	 * {@link #stream(InputStream, String, FlowBehaviour)}.
	 * @param source the publisher
	 * @param name the transaction's name
	 * @param behaviour push or pull
	 * @return completes when the server ACKs TX_FINISH
	 */
	public CompletableFuture<Void> stream(Flow.Publisher<ByteBuffer> source, String name, FlowBehaviour behaviour) {
		Objects.requireNonNull(behaviour, "behaviour");
		return onConnection((protocol) -> protocol.stream(StreamSource.of(source), name, behaviour));
	}

	/**
	 * Waits for the server to start a transaction with the given name on the current
	 * connection. A transaction the server offers for pulling (CAMP TX_PULL) is fetched whole;
	 * to fetch ranges of one instead, call {@link IncomingStream#requestRange(long, long)} from
	 * {@link CryoClientListener#onStreamStarted}, which runs before the fetching starts.
	 * {@link IncomingStream#cancel()} stops a transaction at any time (TX_CANCEL in CAMP).
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
	 * allows, or pulled chunk by chunk as this client reads (TX_FLOW). Only Cryo v1 in the seed
	 * layout has TX_FLOW: in CAMP the server chooses the mode of each transaction it starts, and
	 * a connection in the cryo-protocol 1.4 layout never asks for pull mode (cryo-v1.md §10.5).
	 * @param behaviour the flow mode
	 * @return completes when the server ACKs the change; fails with an
	 * {@link IllegalStateException} when the connection has no TX_FLOW
	 */
	public CompletableFuture<Void> setIncomingFlow(FlowBehaviour behaviour) {
		Objects.requireNonNull(behaviour, "behaviour");
		// The engine refuses it outside the seed layout (CAMP, cryo-protocol 1.4).
		return onConnection((protocol) -> protocol.setIncomingFlow(behaviour));
	}

	private CompletableFuture<Void> onConnection(Function<ProtocolSession, CompletableFuture<Void>> send) {
		ProtocolSession protocol = connectedProtocol();
		return (protocol != null) ? send.apply(protocol) : notConnected();
	}

	private <T> CompletableFuture<T> notConnected() {
		return CompletableFuture.failedFuture(new CryoNotConnectedException(state()));
	}

	private @Nullable ProtocolSession connectedProtocol() {
		return isConnected() ? protocol() : null;
	}

	private @Nullable ProtocolSession protocol() {
		ClientConnection connection = this.reconnector.current();
		return (connection != null) ? connection.protocol() : null;
	}


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
		this.reconnector.close(reason);
	}


	CompletableFuture<CryoClientSession> connectFirst() {
		return this.reconnector.connectFirst().thenApply((connection) -> this);
	}

	void connectionLost(ClientConnection connection, CloseInfo closeInfo) {
		this.reconnector.connectionLost(connection, closeInfo);
	}

	@Override
	public String toString() {
		return "CryoClientSession[id=" + idString() + ", endpoint=" + endpoint() + ", state=" + state() + "]";
	}

}
