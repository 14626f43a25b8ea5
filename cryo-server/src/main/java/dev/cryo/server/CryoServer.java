package dev.cryo.server;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import dev.cryo.core.SessionId;

/**
 * The Cryo server as applications see it: its live sessions, broadcast and multicast, the
 * extension chain and links to other Cryo servers. This is the bean applications inject.
 *
 * <p>How the server is built, started and stopped is not part of this interface: the default
 * implementation and its lifecycle live in {@code dev.cryo.server.support}.
 */
public interface CryoServer {

	/** The BYE reason sessions get when the server shuts down. */
	String SHUTDOWN_REASON = "Server shutdown.";

	/**
	 * Returns the live sessions.
	 * @return a snapshot
	 */
	List<CryoSession> sessions();

	/**
	 * Finds a live session by id.
	 * @param id the session id
	 * @return the session, if live
	 */
	Optional<CryoSession> session(SessionId id);

	/**
	 * Finds the node that holds a session id, in a cluster of servers sharing a session
	 * directory; on a single node, this node for its own sessions ({@code "local"} here, the node
	 * id of a single node's directory unless it is given another). Unlike {@link #session(SessionId)},
	 * which finds only this node's sessions, this asks the directory, which may take a round trip
	 * to a shared store and fail when that store cannot be reached.
	 * @param id the session id
	 * @return the id of the node holding the session, empty when no node holds it
	 */
	default Optional<String> locate(SessionId id) {
		// Not the directory's constant: the API does not depend on the cluster package.
		return session(id).map((session) -> "local");
	}

	/**
	 * Finds a live session by its numeric id, the form of Cryo v1.
	 * @param id the session id, an unsigned 64-bit value held in a {@code long}
	 * @return the session, if live
	 */
	default Optional<CryoSession> session(long id) {
		return session(SessionId.of(id));
	}

	/**
	 * Sends a UTF-8 message to one session wherever it lives: on this node directly, on another
	 * node of a cluster through the {@link dev.cryo.server.cluster.ClusterBroadcaster}, which finds
	 * the node holding the id and hands the message to that node only.
	 * <p>The future completes when the peer ACKs the message, on whichever node; it fails with a
	 * {@link SessionNotFoundException} when no node holds the id (or its node no longer does when
	 * the message arrives), with a {@link ClusterDeliveryException} when the owning node does not
	 * report within the cluster's delivery timeout or reports that the send failed, and as a
	 * local send fails otherwise. When the cluster's shared store cannot be reached, the send
	 * to another node is not attempted and the broadcaster's exception is thrown at once (as a
	 * multicast's is), so that a caller learns of the outage without waiting.
	 * @param id the session id
	 * @param text the message
	 * @return completes when the peer ACKs
	 */
	CompletableFuture<Void> sendUtf8(SessionId id, String text);

	/**
	 * Sends a binary message to one session wherever it lives; see
	 * {@link #sendUtf8(SessionId, String)} for where it goes and what the future means.
	 * @param id the session id
	 * @param payload the remaining bytes; not consumed
	 * @return completes when the peer ACKs
	 */
	CompletableFuture<Void> sendBinary(SessionId id, ByteBuffer payload);

	/**
	 * Returns the number of live sessions.
	 * @return the count
	 */
	int sessionCount();

	/**
	 * Returns the number of live sessions that speak a dialect.
	 * @param dialect the dialect's name, as {@link CryoSession#dialect()} gives it
	 * @return the count
	 */
	default int sessionCount(String dialect) {
		int count = 0;
		for (CryoSession session : sessions()) {
			if (session.dialect().equals(dialect)) {
				count++;
			}
		}
		return count;
	}

	/**
	 * Returns the live sessions of this node whose {@linkplain CryoSession#principal() principal}
	 * has the given name, in no particular order.
	 * @param principalName the name, as {@link java.security.Principal#getName()} gives it
	 * @return a snapshot; empty when the user has no session here
	 */
	default List<CryoSession> sessionsOf(String principalName) {
		return sessions().stream().filter(SessionSelector.user(principalName)::matches).toList();
	}

	/**
	 * Sends a UTF-8 message to every open session of a user:
	 * {@link #multicastUtf8(SessionSelector, String)} with {@link SessionSelector#user(String)}, so
	 * the user's sessions on other nodes of a cluster get it too.
	 * @param principalName the name of the sessions' principal
	 * @param text the message
	 * @return each local session's send future; empty when the user has no open session here
	 */
	default Map<CryoSession, CompletableFuture<Void>> sendUtf8ToUser(String principalName, String text) {
		return multicastUtf8(SessionSelector.user(principalName), text).localDeliveries();
	}

	/**
	 * Sends a binary message to every open session of a user:
	 * {@link #multicastBinary(SessionSelector, ByteBuffer)} with {@link SessionSelector#user(String)}.
	 * @param principalName the name of the sessions' principal
	 * @param payload the remaining bytes; not consumed
	 * @return each local session's send future; empty when the user has no open session here
	 */
	default Map<CryoSession, CompletableFuture<Void>> sendBinaryToUser(String principalName, ByteBuffer payload) {
		return multicastBinary(SessionSelector.user(principalName), payload).localDeliveries();
	}

	/**
	 * Returns whether the server runs: started and not stopped.
	 * @return whether the server runs
	 */
	boolean isRunning();

	/**
	 * Returns whether the server takes new sessions; {@code false} once it started shutting down
	 * (upgrades are then refused with 503).
	 * @return whether new sessions are accepted
	 */
	boolean isAcceptingSessions();

	/**
	 * Sends a UTF-8 message to every open session: {@link #multicastUtf8(SessionSelector, String)}
	 * with {@link SessionSelector#all()}.
	 * @param text the message
	 * @return each local session's send future
	 */
	Map<CryoSession, CompletableFuture<Void>> broadcastUtf8(String text);

	/**
	 * Sends a binary message to every open session:
	 * {@link #multicastBinary(SessionSelector, ByteBuffer)} with {@link SessionSelector#all()}.
	 * @param payload the remaining bytes; not consumed
	 * @return each local session's send future
	 */
	Map<CryoSession, CompletableFuture<Void>> broadcastBinary(ByteBuffer payload);

	/**
	 * Sends a UTF-8 message to every open session of this node the filter accepts. A predicate
	 * cannot reach other nodes; use a {@link SessionSelector} for that.
	 * @param filter chooses the recipients
	 * @param text the message
	 * @return each recipient's send future
	 */
	Map<CryoSession, CompletableFuture<Void>> multicastUtf8(Predicate<? super CryoSession> filter, String text);

	/**
	 * Sends a binary message to every open session of this node the filter accepts. Each session
	 * gets its own view of the payload, so no position is shared. A predicate cannot reach other
	 * nodes; use a {@link SessionSelector} for that.
	 * @param filter chooses the recipients
	 * @param payload the remaining bytes; not consumed
	 * @return each recipient's send future
	 */
	Map<CryoSession, CompletableFuture<Void>> multicastBinary(Predicate<? super CryoSession> filter,
			ByteBuffer payload);

	/**
	 * Sends a UTF-8 message to every open session the selector chooses, on this node and,
	 * through the cluster broadcaster, on the other nodes of a cluster.
	 * @param selector chooses the recipients; serializable, so it can reach other nodes
	 * @param text the message
	 * @return the local recipients' send futures and the number of remote recipients
	 */
	BroadcastResult multicastUtf8(SessionSelector selector, String text);

	/**
	 * Sends a binary message to every open session the selector chooses, on this node and,
	 * through the cluster broadcaster, on the other nodes of a cluster. Each session gets its own
	 * view of the payload, so no position is shared.
	 * @param selector chooses the recipients; serializable, so it can reach other nodes
	 * @param payload the remaining bytes; not consumed
	 * @return the local recipients' send futures and the number of remote recipients
	 */
	BroadcastResult multicastBinary(SessionSelector selector, ByteBuffer payload);

	/**
	 * Returns a view of a group of sessions (a room): the sessions that
	 * {@linkplain CryoSession#join(String) joined} it, found through the server's membership
	 * index, so that a send costs in proportion to the members, not to all sessions. A group
	 * without members is empty, not absent.
	 * @param name the group name, 1 to {@code cryo.groups.max-name-length} characters
	 * @return the view
	 * @throws IllegalArgumentException if the name is empty or too long
	 */
	CryoGroup group(String name);

	/**
	 * Opens a Cryo v1 link to another Cryo server, waiting at most 10 s for it to be established.
	 * See {@link #connectPeer(URI, String, PeerLinkOptions)}.
	 * @param endpoint the other server's Cryo endpoint, {@code ws:} or {@code wss:}
	 * @param token a bearer token the other server accepts
	 * @return completes with the session of the link
	 */
	default CompletableFuture<CryoSession> connectPeer(URI endpoint, String token) {
		return connectPeer(endpoint, token, PeerLinkOptions.DEFAULTS);
	}

	/**
	 * Opens a Cryo v1 link to another Cryo server. See
	 * {@link #connectPeer(URI, String, PeerLinkOptions)}.
	 * @param endpoint the other server's Cryo endpoint, {@code ws:} or {@code wss:}
	 * @param token a bearer token the other server accepts
	 * @param timeout the limit from the TCP connect to the established session
	 * @return completes with the session once both ENDPOINT_INFO frames are exchanged
	 */
	default CompletableFuture<CryoSession> connectPeer(URI endpoint, String token, Duration timeout) {
		return connectPeer(endpoint, token, PeerLinkOptions.DEFAULTS.withConnectTimeout(timeout));
	}

	/**
	 * Opens a link to another server that speaks Cryo v1 or CAMP. On the link this server is the
	 * client (it picks the session id and answers pings), but the session is one of this
	 * server's like any other: it is listed by {@link #sessions()}, publishes the usual events,
	 * passes the extension chain, is pinged by the heartbeat, ends with the server, and reports
	 * {@link CryoSession#isPeer()} {@code true}. A lost link is not reopened by itself; listen
	 * for its {@code CryoSessionClosedEvent} to do that.
	 * @param endpoint the other server's Cryo endpoint, {@code ws:} or {@code wss:}
	 * @param token a bearer token the other server accepts
	 * @param options the dialect, the Cryo v1 transaction layout, the connect timeout and the
	 * first-frame delay of the link
	 * @return completes with the session once both ENDPOINT_INFO frames are exchanged and the
	 * other server ACKed ours; fails with a {@link dev.cryo.client.CryoConnectException}
	 * (refused, unreachable, timeout, version mismatch, a CAMP link whose {@code camp}
	 * subprotocol was not answered) or an {@link IllegalStateException} when this server is not
	 * running
	 */
	CompletableFuture<CryoSession> connectPeer(URI endpoint, String token, PeerLinkOptions options);

	/**
	 * Adds an extension to the chain in its {@code @Order} position.
	 * @param extension the extension
	 * @throws IllegalArgumentException if its name is taken
	 */
	void registerExtension(CryoExtension extension);

	/**
	 * Adds an extension to the chain at an explicit order (lower first; equal orders keep their
	 * registration order), e.g. the order declared on the {@code @Bean} method that made it.
	 * @param extension the extension
	 * @param order the order
	 * @throws IllegalArgumentException if its name is taken
	 */
	void registerExtension(CryoExtension extension, int order);

	/**
	 * Removes an extension from the chain.
	 * @param name the extension's name
	 * @return the removed extension, if it was registered
	 */
	Optional<CryoExtension> unregisterExtension(String name);

	/**
	 * Finds a registered extension.
	 * @param name the extension's name
	 * @return the extension, if registered
	 */
	Optional<CryoExtension> extension(String name);

	/**
	 * Returns the registered extensions in chain order.
	 * @return an immutable snapshot
	 */
	List<CryoExtension> extensions();

}
