package dev.cryo.server.cluster;

import dev.cryo.core.SessionId;
import java.util.Optional;

/**
 * Where a server claims the session ids it serves, so that one id is live at most once across
 * every server that shares the directory (cryo-v1.md §2.3 step 7, cluster-wide). The server
 * reserves an id during the upgrade, before any session exists, refreshes the claims it holds on
 * every heartbeat, and releases an id when its session ends or its upgrade fails.
 *
 * <p>{@link LocalSessionDirectory} is the default: one node, in memory. A shared implementation
 * (Redis, say) claims with a time to live, so that a node that dies does not hold its ids for
 * ever, and renews it in {@link #refresh(SessionId)}. Methods are called on upgrade, container and
 * timer threads; implementations must be thread-safe and should be quick, since
 * {@link #reserve(SessionId)} runs inside the upgrade request.
 */
public interface SessionDirectory {

	/**
	 * Claims a session id for this node.
	 * @param sessionId the session id (unsigned 64-bit value)
	 * @return {@code true} if the id was free and is now held by this node, {@code false} if a
	 * session anywhere holds it
	 */
	boolean reserve(SessionId sessionId);

	/**
	 * Keeps a claim this node holds alive; called for every held id on each heartbeat.
	 * @param sessionId the session id
	 */
	void refresh(SessionId sessionId);

	/**
	 * Gives up a claim this node holds. Called once per successful {@link #reserve(SessionId)}.
	 * @param sessionId the session id
	 */
	void release(SessionId sessionId);

	/**
	 * Finds the node that holds a session id.
	 * @param sessionId the session id
	 * @return the id of the node, if the session id is held anywhere
	 */
	Optional<String> locate(SessionId sessionId);

}
