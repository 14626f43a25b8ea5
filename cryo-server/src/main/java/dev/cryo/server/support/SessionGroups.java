package dev.cryo.server.support;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.util.Assert;

import dev.cryo.core.SessionId;
import dev.cryo.server.GroupLimits;

/**
 * The group memberships of one session: its own list, in join order, kept in step with the
 * membership index of the registry's directory, and the per-session limit. Once
 * {@linkplain #end ended} the session joins nothing more, so a join that races with the end of
 * the session cannot leave an id behind in the index.
 *
 * <p>One lock per session: changes to the list and to the index are one step, and sessions
 * never wait for each other.
 */
final class SessionGroups {

	/** Guarded by this; at most {@link GroupLimits#maxPerSession()} names, so a copy is cheap. */
	private final Set<String> names = new LinkedHashSet<>();

	/** Guarded by this. */
	private boolean ended;

	/**
	 * An unmodifiable copy of the names, replaced on every change: a group send asks each member
	 * whether it is in the group, far more often than memberships change.
	 */
	private volatile Set<String> snapshot = Set.of();

	/**
	 * Adds the session to a group.
	 * @return whether it joined now
	 * @throws IllegalArgumentException if the name breaks the limits
	 * @throws IllegalStateException if the session is in as many groups as the limits allow
	 */
	boolean join(SessionId sessionId, String group, ServerResources resources) {
		GroupLimits limits = resources.groupLimits();
		limits.checkName(group);
		synchronized (this) {
			if (this.ended || this.names.contains(group)) {
				return false;
			}
			if (this.names.size() >= limits.maxPerSession()) {
				throw new IllegalStateException("Cryo session " + sessionId + " is in " + this.names.size()
						+ " groups, the most cryo.groups.max-per-session allows; it cannot join '" + group + "'");
			}
			// The index first: if it fails, the session is in neither.
			resources.registry().joinGroup(sessionId, group);
			this.names.add(group);
			this.snapshot = Collections.unmodifiableSet(new LinkedHashSet<>(this.names));
			return true;
		}
	}

	/**
	 * Removes the session from a group.
	 * @return whether it left now
	 */
	boolean leave(SessionId sessionId, String group, ServerResources resources) {
		Assert.notNull(group, "'group' must not be null");
		synchronized (this) {
			if (!this.names.contains(group)) {
				return false;
			}
			resources.registry().leaveGroup(sessionId, group);
			this.names.remove(group);
			this.snapshot = this.names.isEmpty() ? Set.of()
					: Collections.unmodifiableSet(new LinkedHashSet<>(this.names));
			return true;
		}
	}

	/**
	 * Ends every membership, for good: the session ended.
	 * @return the groups the session was in, in join order
	 */
	synchronized List<String> end(SessionId sessionId, ServerResources resources) {
		this.ended = true;
		List<String> left = List.copyOf(this.names);
		for (String group : left) {
			resources.registry().leaveGroup(sessionId, group);
		}
		this.names.clear();
		this.snapshot = Set.of();
		return left;
	}

	Set<String> snapshot() {
		return this.snapshot;
	}

	int count() {
		return this.snapshot.size();
	}

}
