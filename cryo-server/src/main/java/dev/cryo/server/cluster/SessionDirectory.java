package dev.cryo.server.cluster;

import dev.cryo.core.SessionId;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Where a server claims the session ids it serves, so that one id is live at most once across
 * every server that shares the directory (cryo-v1.md §2.3 step 7, cluster-wide), and where it
 * keeps the {@linkplain dev.cryo.server.CryoSession#join(String) group memberships} of its
 * sessions, so that a group is resolved without looking at every session. The server
 * reserves an id during the upgrade, before any session exists, refreshes the claims it holds on
 * every heartbeat, and releases an id when its session ends or its upgrade fails.
 *
 * <p>{@link LocalSessionDirectory} is the default: one node, in memory. A shared implementation
 * (Redis, say) claims with a time to live, so that a node that dies does not hold its ids for
 * ever, and renews it in {@link #refresh(SessionId)}. Methods are called on upgrade, container and
 * timer threads; implementations must be thread-safe and should be quick, since
 * {@link #reserve(SessionId)} runs inside the upgrade request.
 *
 * <p>Memberships are those of this node's sessions: a message to a group reaches the other
 * nodes through the {@link ClusterBroadcaster}, with a {@link dev.cryo.server.SessionSelector}
 * that each node resolves here. A shared implementation may also record them cluster-wide, but
 * {@link #members(String)} answers for this node. The server leaves every group of a session
 * before it releases the session's id.
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

	/**
	 * Records that a session of this node is a member of a group. Called once per membership
	 * the session gains; the session keeps its own list, so this is the index, not the record.
	 * @param sessionId the session id
	 * @param group the group name
	 */
	void join(SessionId sessionId, String group);

	/**
	 * Records that a session of this node left a group, or ended while in it.
	 * @param sessionId the session id
	 * @param group the group name
	 */
	void leave(SessionId sessionId, String group);

	/**
	 * Finds the sessions of this node that are members of a group.
	 * @param group the group name
	 * @return a snapshot of their ids, empty for a group without members here
	 */
	Set<SessionId> members(String group);

	/**
	 * Returns the number of groups with at least one member on this node.
	 * @return the count
	 */
	int groupCount();

	/**
	 * Keeps alive every claim this node holds; called on each heartbeat with all of them. The
	 * default refreshes them one by one; a directory on a shared store refreshes them in batches,
	 * a round trip per batch rather than per id.
	 * @param sessionIds the ids this node holds
	 */
	default void refreshAll(Collection<SessionId> sessionIds) {
		for (SessionId sessionId : sessionIds) {
			refresh(sessionId);
		}
	}

	/**
	 * Called once by the server that uses this directory, when it is created: how to list the
	 * ids it holds, so that a directory whose store was unreachable can claim them all again as
	 * soon as the store returns, rather than at the next heartbeat. The local directory needs
	 * nothing.
	 * @param heldIds lists the ids the server holds now
	 */
	default void attach(Supplier<? extends Collection<SessionId>> heldIds) {
	}

}
