package dev.cryo.server.cluster;

import dev.cryo.core.SessionId;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.springframework.util.Assert;

/**
 * The {@link SessionDirectory} of a single node: the claimed ids in memory, claims that never
 * expire (the node that holds them is this one, so it cannot die without them), and an index of
 * the members of each group, in which an empty group takes no room.
 */
public final class LocalSessionDirectory implements SessionDirectory {

	/** The node id {@link #locate(SessionId)} reports when none is given. */
	public static final String DEFAULT_NODE_ID = "local";

	private final Set<SessionId> claimed = ConcurrentHashMap.newKeySet();

	/** The members of each group; a group goes when its last member leaves. */
	private final ConcurrentMap<String, Set<SessionId>> groups = new ConcurrentHashMap<>();

	private final String nodeId;

	/** Creates a directory whose node is called {@value #DEFAULT_NODE_ID}. */
	public LocalSessionDirectory() {
		this(DEFAULT_NODE_ID);
	}

	/**
	 * Creates a directory.
	 * @param nodeId the id {@link #locate(SessionId)} reports for held session ids
	 */
	public LocalSessionDirectory(String nodeId) {
		Assert.hasText(nodeId, "'nodeId' must not be empty");
		this.nodeId = nodeId;
	}

	@Override
	public boolean reserve(SessionId sessionId) {
		return this.claimed.add(sessionId);
	}

	@Override
	public void refresh(SessionId sessionId) {
		// In-memory claims do not expire.
	}

	@Override
	public void release(SessionId sessionId) {
		this.claimed.remove(sessionId);
	}

	@Override
	public Optional<String> locate(SessionId sessionId) {
		return this.claimed.contains(sessionId) ? Optional.of(this.nodeId) : Optional.empty();
	}

	@Override
	public void join(SessionId sessionId, String group) {
		// compute, not computeIfAbsent: adding to a set that leave() is removing from the map would be lost.
		this.groups.compute(group, (name, members) -> {
			Set<SessionId> set = (members != null) ? members : ConcurrentHashMap.newKeySet();
			set.add(sessionId);
			return set;
		});
	}

	@Override
	public void leave(SessionId sessionId, String group) {
		this.groups.computeIfPresent(group, (name, members) -> {
			members.remove(sessionId);
			return members.isEmpty() ? null : members;
		});
	}

	@Override
	public Set<SessionId> members(String group) {
		Set<SessionId> members = this.groups.get(group);
		return (members != null) ? Set.copyOf(members) : Set.of();
	}

	@Override
	public int groupCount() {
		return this.groups.size();
	}

}
