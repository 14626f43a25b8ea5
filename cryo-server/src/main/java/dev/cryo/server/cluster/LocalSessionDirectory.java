package dev.cryo.server.cluster;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.util.Assert;

/**
 * The {@link SessionDirectory} of a single node: the claimed ids in memory, claims that never
 * expire (the node that holds them is this one, so it cannot die without them).
 */
public final class LocalSessionDirectory implements SessionDirectory {

	/** The node id {@link #locate(long)} reports when none is given. */
	public static final String DEFAULT_NODE_ID = "local";

	private final Set<Long> claimed = ConcurrentHashMap.newKeySet();

	private final String nodeId;

	/** Creates a directory whose node is called {@value #DEFAULT_NODE_ID}. */
	public LocalSessionDirectory() {
		this(DEFAULT_NODE_ID);
	}

	/**
	 * Creates a directory.
	 * @param nodeId the id {@link #locate(long)} reports for held session ids
	 */
	public LocalSessionDirectory(String nodeId) {
		Assert.hasText(nodeId, "'nodeId' must not be empty");
		this.nodeId = nodeId;
	}

	@Override
	public boolean reserve(long sessionId) {
		return this.claimed.add(sessionId);
	}

	@Override
	public void refresh(long sessionId) {
		// In-memory claims do not expire.
	}

	@Override
	public void release(long sessionId) {
		this.claimed.remove(sessionId);
	}

	@Override
	public Optional<String> locate(long sessionId) {
		return this.claimed.contains(sessionId) ? Optional.of(this.nodeId) : Optional.empty();
	}

}
