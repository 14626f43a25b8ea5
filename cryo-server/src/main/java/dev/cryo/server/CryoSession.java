package dev.cryo.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.SessionState;
import dev.cryo.core.engine.SessionStatistics;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.transaction.IncomingStream;

/**
 * The public face of one Cryo connection.
 *
 * <p>Every send is thread-safe, never blocks, and returns a future that completes when the peer
 * ACKs the frame. The future fails, never hangs: with
 * {@link dev.cryo.core.engine.CryoAckTimeoutException} when the ACK does not come in time,
 * {@link dev.cryo.core.engine.CryoSessionClosedException} when the session closes first,
 * {@link dev.cryo.core.engine.CryoFrameDroppedException} when backpressure drops it, and
 * {@link CryoSendVetoedException} when an extension drops the frame.
 * Do not block on these futures in a listener of the same session: the ACK is delivered on the
 * thread the listener is holding.
 */
public interface CryoSession {

	/**
	 * Returns the session id chosen by the client, in the form of the session's dialect: a
	 * number for Cryo v1. Use {@link #idString()} to show it.
	 * @return the session id
	 */
	SessionId id();

	/**
	 * Returns the session id as a number, for users of Cryo v1 sessions.
	 * @return the id as an unsigned 64-bit value held in a {@code long}
	 * @throws IllegalStateException if the session id is a UUID (the legacy generation)
	 */
	default long numericId() {
		return id().asLong();
	}

	/**
	 * Returns the session id as people read it and as it appeared in the upgrade: the unsigned
	 * decimal of a numeric id, the canonical form of a UUID.
	 * @return the id
	 */
	String idString();

	/**
	 * Returns the wire dialect the session speaks, chosen at the upgrade and kept for the
	 * session's life: {@code cryo-v1} for Cryo v1 (the seed clients and the published
	 * cryo-protocol 1.4 generation alike; {@link #transactionLayout()} tells them apart),
	 * {@code camp} for CAMP, or the name of an application's own dialect. Listeners and
	 * extensions work the same for every dialect; only what CAMP adds to transactions
	 * ({@link #stream(InputStream, String, FlowBehaviour)}, the ranges and cancels of an
	 * {@link IncomingStream}) depends on it.
	 * @return the dialect's name, as {@link dev.cryo.core.dialect.CryoDialect#name()} gives it
	 */
	String dialect();

	/**
	 * Returns the layout the session's transaction frames are read and written in now
	 * (cryo-v1.md §10.5): {@code SEED} or {@code CRYO_PROTOCOL_1_4} in Cryo v1 ({@code cryo.v1.transaction-layout},
	 * or the 1.4 layouts for a peer that never sent ENDPOINT_INFO or uploaded in them),
	 * {@code CAMP} in CAMP. A Cryo v1 session can switch from the seed layout to the 1.4 layouts
	 * once, when the peer starts a transaction in them.
	 * @return the current transaction layout
	 */
	TransactionLayout transactionLayout();

	/**
	 * Returns the address of the peer.
	 * @return the remote address, or {@code null} if the container does not know it
	 */
	@Nullable InetSocketAddress remoteAddress();

	/**
	 * Returns when the WebSocket connection was established.
	 * @return the connection time
	 */
	Instant connectedAt();

	/**
	 * Returns who opened the session, as the {@link CryoAuthenticator} said at the upgrade
	 * ({@link CryoPrincipal#ANONYMOUS} when a {@link TokenValidator} let it in). The principal's
	 * name is the address of {@link CryoServer#sessionsOf(String)} and
	 * {@link SessionSelector#user(String)}.
	 * @return the principal, or {@code null} only for sessions without an identity: the links this
	 * server opened to other servers ({@link #isPeer()}) and sessions of implementations that
	 * know none
	 */
	default @Nullable Principal principal() {
		return null;
	}

	/**
	 * Returns what the authenticator knew of the principal besides its name (authorities,
	 * claims), as it gave it in {@link CryoAuthentication#authenticated(Principal, Map)}.
	 * @return the attributes, immutable; empty for a session without them or without a principal
	 */
	default Map<String, Object> authenticationAttributes() {
		return Map.of();
	}

	/**
	 * Returns the state of the session.
	 * @return the state
	 */
	SessionState state();

	/**
	 * Returns whether frames can be sent: the session is not closing or closed, and not a legacy
	 * session whose CALE handshake is still running (nothing may leave in plaintext before it
	 * completes, legacy-v0.md §10.3).
	 * @return whether the session is open
	 */
	boolean isOpen();

	/**
	 * Returns the application's data store for this session (the seed's Set/Get store): a
	 * thread-safe map that lives as long as the session. {@linkplain CryoSessionAttribute Typed
	 * attributes} are stored in the same map under their key's name; changes made directly on
	 * the map are not reported to {@linkplain #addAttributeListener attribute listeners}.
	 * @return the attributes
	 */
	Map<String, Object> attributes();

	/**
	 * Stores a value in the {@linkplain #attributes() attributes}; {@code null} removes the key.
	 * Not reported to attribute listeners; use {@link #setAttribute(CryoSessionAttribute, Object)}
	 * for values that are watched.
	 * @param key the key
	 * @param value the value
	 */
	default void setAttribute(String key, @Nullable Object value) {
		if (value == null) {
			attributes().remove(key);
		}
		else {
			attributes().put(key, value);
		}
	}

	/**
	 * Reads a value from the {@linkplain #attributes() attributes}.
	 * @param <T> the expected type
	 * @param key the key
	 * @return the value, or {@code null}
	 */
	@SuppressWarnings("unchecked")
	default <T> @Nullable T getAttribute(String key) {
		return (T) attributes().get(key);
	}

	/**
	 * Reads a typed attribute.
	 * @param <T> the type of the value
	 * @param key the key
	 * @return the value, or {@code null}
	 * @throws ClassCastException if untyped code stored a value of another type under the key's name
	 */
	<T> @Nullable T getAttribute(CryoSessionAttribute<T> key);

	/**
	 * Stores a typed attribute; {@code null} removes it. The key's listeners are told when the
	 * value changes (by {@code equals}).
	 * @param <T> the type of the value
	 * @param key the key
	 * @param value the value
	 */
	<T> void setAttribute(CryoSessionAttribute<T> key, @Nullable T value);

	/**
	 * Removes a typed attribute; the key's listeners are told if there was a value.
	 * @param <T> the type of the value
	 * @param key the key
	 * @return the removed value, or {@code null}
	 */
	<T> @Nullable T removeAttribute(CryoSessionAttribute<T> key);

	/**
	 * Adds a listener that is told, with the old and the new value, whenever the typed attribute
	 * changes through {@link #setAttribute(CryoSessionAttribute, Object)} or
	 * {@link #removeAttribute(CryoSessionAttribute)}. It runs on the thread that made the change;
	 * one that throws is logged and the others still run.
	 * @param <T> the type of the value
	 * @param key the key
	 * @param listener the listener
	 */
	<T> void addAttributeListener(CryoSessionAttribute<T> key, CryoSessionAttribute.Listener<? super T> listener);

	/**
	 * Removes a listener added with {@link #addAttributeListener}.
	 * @param <T> the type of the value
	 * @param key the key
	 * @param listener the listener
	 */
	<T> void removeAttributeListener(CryoSessionAttribute<T> key, CryoSessionAttribute.Listener<? super T> listener);

	/**
	 * Adds the session to a group (a room), so that it receives what is sent to
	 * {@link CryoServer#group(String)} or {@link SessionSelector#group(String)}. Joining a group
	 * the session is in changes nothing; a change publishes a {@code CryoGroupJoinedEvent}.
	 * Memberships end with the session, whatever ends it. Thread-safe.
	 * @param group the group name, 1 to {@code cryo.groups.max-name-length} characters
	 * @return {@code true} if the session joined now, {@code false} if it was a member already
	 * or has ended
	 * @throws IllegalArgumentException if the name is empty or too long
	 * @throws IllegalStateException if the session is in {@code cryo.groups.max-per-session}
	 * groups already
	 */
	boolean join(String group);

	/**
	 * Removes the session from a group. Leaving a group the session is not in changes nothing; a
	 * change publishes a {@code CryoGroupLeftEvent}. Thread-safe.
	 * @param group the group name
	 * @return {@code true} if the session left now, {@code false} if it was not a member
	 */
	boolean leave(String group);

	/**
	 * Returns the groups the session is in, in the order it joined them.
	 * @return an unmodifiable snapshot; empty once the session has ended
	 */
	Set<String> groups();

	/**
	 * Sends a UTF-8 text message.
	 * @param text the message, at most the dialect's payload limit of UTF-8 (16 MiB in Cryo v1, 1 MiB in CAMP)
	 * @return completes when the peer ACKs the message
	 * @throws dev.cryo.core.frame.CryoFrameException when the message is too large (nothing is queued)
	 */
	CompletableFuture<Void> sendUtf8(String text);

	/**
	 * Sends a UTF-8 text message that, under the {@code dedupe-latest} drop policy, replaces a
	 * queued message with the same key (latest-value semantics, e.g. one pending quote per
	 * symbol). Under other policies the key is ignored.
	 * @param text the message
	 * @param dedupeKey the key
	 * @return completes when the peer ACKs the message; fails with
	 * {@link dev.cryo.core.engine.CryoFrameDroppedException} when it is replaced or dropped
	 */
	CompletableFuture<Void> sendUtf8(String text, Object dedupeKey);

	/**
	 * Sends a binary message with a dedupe key for the {@code dedupe-latest} drop policy.
	 * @param payload the remaining bytes are sent, at most the dialect's payload limit (16 MiB in Cryo v1, 1 MiB in CAMP)
	 * @param dedupeKey the key
	 * @return completes when the peer ACKs the message
	 */
	CompletableFuture<Void> sendBinary(ByteBuffer payload, Object dedupeKey);

	/**
	 * Returns whether the session's send queue is below its high-water mark. Producers that
	 * check it (or listen for the {@code CryoSessionWritabilityChangedEvent})
	 * can slow down before the drop policy has to discard anything.
	 * @return whether the session is writable
	 */
	boolean isWritable();

	/**
	 * Returns the bytes waiting in this session's send queue.
	 * @return the queued bytes, as counted against {@code max-queued-bytes}
	 */
	long queuedBytes();

	/**
	 * Returns the frames waiting in this session's send queue (ACKs and pings included).
	 * @return the queue depth
	 */
	int queuedFrames();

	/**
	 * Returns the tracked frames this session sent that still wait for their ACK.
	 * @return the pending count
	 */
	int pendingAcks();

	/**
	 * Sends a binary message; the bytes are copied before this method returns.
	 * @param payload the remaining bytes are sent, at most the dialect's payload limit (16 MiB in Cryo v1, 1 MiB in CAMP)
	 * @return completes when the peer ACKs the message
	 * @throws dev.cryo.core.frame.CryoFrameException when the message is too large (nothing is queued)
	 */
	CompletableFuture<Void> sendBinary(ByteBuffer payload);

	/**
	 * Sends a binary message.
	 * @param payload the bytes, at most the dialect's payload limit (16 MiB in Cryo v1, 1 MiB in CAMP)
	 * @return completes when the peer ACKs the message
	 */
	default CompletableFuture<Void> sendBinary(byte[] payload) {
		return sendBinary(ByteBuffer.wrap(payload));
	}

	/**
	 * Sends an ERROR frame with a human-readable text.
	 * @param message the text
	 * @return completes when the peer ACKs the frame
	 */
	CompletableFuture<Void> sendError(String message);

	/**
	 * Streams data to the peer as a transaction (cryo-v1.md §10), in push mode or, if a Cryo v1
	 * peer asked for it with TX_FLOW, in pull mode; CAMP sessions push. The source is read on a worker thread no faster
	 * than the peer takes the data, and closed at the end.
	 * @param source the data
	 * @param name the transaction name
	 * @return completes when the peer ACKs TX_FINISH; fails with
	 * {@link dev.cryo.core.transaction.CryoTransactionException} on a TX_START timeout, a cancel
	 * or the end of the session
	 */
	CompletableFuture<Void> stream(InputStream source, String name);

	/**
	 * Streams data to the peer as a transaction in the given mode. CAMP chooses the mode per
	 * transaction (camp.md §7): in pull mode the whole source is read first (beyond
	 * {@code cryo.transactions.memory-threshold} into a temporary file), its size announced in
	 * TX_START, and the peer fetches the ranges it wants. In Cryo v1 the peer chooses the mode
	 * of the transactions it receives with TX_FLOW (a cryo-protocol 1.4 peer only receives
	 * pushed ones), so this succeeds only with the mode the peer asked for.
	 * @param source the data
	 * @param name the transaction name
	 * @param behaviour push or pull
	 * @return completes when the peer ACKs TX_FINISH; fails at once with
	 * {@link IllegalArgumentException} when the session cannot send in that mode, and as
	 * {@link #stream(InputStream, String)} does otherwise
	 */
	CompletableFuture<Void> stream(InputStream source, String name, FlowBehaviour behaviour);

	/**
	 * Streams a file to the peer as a transaction in the given mode; see
	 * {@link #stream(InputStream, String, FlowBehaviour)}.
	 * @param file the file
	 * @param name the transaction name
	 * @param behaviour push or pull
	 * @return completes when the peer ACKs TX_FINISH
	 * @throws IOException if the file cannot be opened
	 */
	CompletableFuture<Void> stream(Path file, String name, FlowBehaviour behaviour) throws IOException;

	/**
	 * Streams the buffers of a publisher to the peer as a transaction in the given mode; see
	 * {@link #stream(InputStream, String, FlowBehaviour)}.
	 * @param source the publisher
	 * @param name the transaction name
	 * @param behaviour push or pull
	 * @return completes when the peer ACKs TX_FINISH
	 */
	CompletableFuture<Void> stream(Flow.Publisher<ByteBuffer> source, String name, FlowBehaviour behaviour);

	/**
	 * Streams a file to the peer as a transaction.
	 * @param file the file
	 * @param name the transaction name
	 * @return completes when the peer ACKs TX_FINISH
	 * @throws IOException if the file cannot be opened
	 */
	CompletableFuture<Void> stream(Path file, String name) throws IOException;

	/**
	 * Streams the buffers of a publisher to the peer as a transaction, requesting one buffer at
	 * a time as the peer takes the data.
	 * @param source the publisher
	 * @param name the transaction name
	 * @return completes when the peer ACKs TX_FINISH
	 */
	CompletableFuture<Void> stream(Flow.Publisher<ByteBuffer> source, String name);

	/**
	 * Returns the next incoming transaction with the given name: one that started and was not
	 * claimed yet, or the next to start.
	 * @param name the name ({@code anonymous} for unnamed transactions)
	 * @param timeout how long to wait
	 * @return the stream; fails with {@link java.util.concurrent.TimeoutException} when none starts in time
	 */
	CompletableFuture<IncomingStream> awaitStream(String name, Duration timeout);

	/**
	 * Asks the peer to send its future transactions in push or pull mode (TX_FLOW, Cryo v1 in the
	 * seed layout). In pull mode the server requests the data in windows of
	 * {@code cryo.transactions.pull-window}. CAMP has no TX_FLOW: its peers choose the mode per
	 * transaction, and a pull transaction is fetched whole unless the listener of its
	 * {@code CryoStreamStartedEvent} asks for ranges with {@link IncomingStream#requestRange}.
	 * A session in the cryo-protocol 1.4 layout never asks for pull mode (cryo-v1.md §10.5).
	 * @param behaviour the mode
	 * @return completes when the peer ACKs the TX_FLOW; fails with an
	 * {@link IllegalStateException} in a session without TX_FLOW
	 */
	CompletableFuture<Void> setIncomingFlow(FlowBehaviour behaviour);

	/** Sends a ping now, in addition to the heartbeat's. */
	void ping();

	/**
	 * Ends the session gracefully: flushes queued frames, sends BYE with the reason and closes
	 * with 4000.
	 * @param reason the reason given to the peer
	 */
	void close(String reason);

	/** Closes the connection at once, without BYE and without flushing queued frames. */
	void destroy();

	/**
	 * Returns the running statistics of the session.
	 * @return the figures since the session started
	 */
	SessionStatistics statistics();

	/**
	 * Returns whether this server opened the connection to another Cryo server with
	 * {@link CryoServer#connectPeer}, rather than accepted it from a client. On such a link this
	 * server plays the client's part of the protocol.
	 * @return {@code true} for an outgoing peer link
	 */
	default boolean isPeer() {
		return false;
	}

	/**
	 * Returns the feature flags the peer announced in its ENDPOINT_INFO (0 before it arrived), or
	 * the transaction flag assumed for a peer that opened without one (cryo-v1.md §3 rule 9).
	 * @return the peer's flags
	 */
	long peerFlags();

}
