package dev.cryo.server.cluster;

import dev.cryo.core.SessionId;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.util.Assert;

/**
 * The {@link SessionDirectory} of a single node: the claimed ids in memory, claims that never
 * expire (the node that holds them is this one, so it cannot die without them).
 */
public final class LocalSessionDirectory implements SessionDirectory {

	/** The node id {@link #locate(SessionId)} reports when none is given. */
	public static final String DEFAULT_NODE_ID = "local";

	private final Set<SessionId> claimed = ConcurrentHashMap.newKeySet();

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

}
