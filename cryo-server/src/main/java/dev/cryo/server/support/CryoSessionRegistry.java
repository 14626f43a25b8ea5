package dev.cryo.server.support;

import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.cluster.LocalSessionDirectory;
import dev.cryo.server.cluster.SessionDirectory;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.CryoDialect;

/**
 * The server-wide map of session ids. An upgrade first {@linkplain #reserve reserves} its sid
 * atomically, so two concurrent upgrades for one sid cannot both win (cryo-v1.md §2.3 step 7);
 * the reservation becomes a live session once the WebSocket is open and is released, by
 * identity, when the session ends.
 *
 * <p>Every id held here is also claimed in a {@link SessionDirectory}, which refuses ids that
 * are live elsewhere in a cluster; the local map keeps the session objects, the capacity limit
 * and the shutdown state. Each successful claim is released exactly once.
 *
 * <p>Live sessions with a principal are also indexed by the principal's name, so that finding a
 * user's sessions costs as much as that user has, not as many as the server has.
 */
public final class CryoSessionRegistry {

	private final ConcurrentMap<SessionId, Reservation> slots = new ConcurrentHashMap<>();

	/**
	 * Session ids refused as duplicates until the given {@link System#nanoTime()} (legacy-v0.md
	 * §10.6). Only sessions that were live add to it, so it holds at most the sessions that ended
	 * with a blocking failure within one block duration; expired entries go on the next look-up
	 * and on every heartbeat.
	 */
	private final ConcurrentMap<SessionId, Long> blockedUntil = new ConcurrentHashMap<>();

	/**
	 * The live sessions of each principal name. Each set is immutable and replaced whole, so a
	 * reader never sees one half changed; a name without sessions has no entry.
	 */
	private final ConcurrentMap<String, Set<ServerSession>> byPrincipal = new ConcurrentHashMap<>();

	private final int maxSessions;

	private final SessionDirectory directory;

	private volatile boolean accepting = true;

	/** Creates a registry without a session limit. */
	public CryoSessionRegistry() {
		this(0);
	}

	/**
	 * Creates a registry.
	 * @param maxSessions the most sessions (live or being opened) at once; 0 for no limit
	 */
	public CryoSessionRegistry(int maxSessions) {
		this(maxSessions, new LocalSessionDirectory());
	}

	/**
	 * Creates a registry that claims its ids in a directory.
	 * @param maxSessions the most sessions (live or being opened) at once; 0 for no limit
	 * @param directory where the ids are claimed, cluster-wide
	 */
	public CryoSessionRegistry(int maxSessions, SessionDirectory directory) {
		if (maxSessions < 0) {
			throw new IllegalArgumentException("maxSessions must not be negative");
		}
		Assert.notNull(directory, "'directory' must not be null");
		this.maxSessions = maxSessions;
		this.directory = directory;
	}

	/**
	 * Reserves a session id.
	 * @param sid the session id
	 * @return the reservation, or {@code null} when the id is taken by a live or reserved session,
	 * here or, according to the directory, elsewhere
	 * @throws ReservationRefusedException when the registry is full or no longer accepting
	 */
	public @Nullable Reservation reserve(SessionId sid) {
		if (!this.accepting) {
			throw new ReservationRefusedException(ReservationRefusedException.Reason.NOT_ACCEPTING);
		}
		if (isBlocked(sid)) {
			return null;
		}
		Reservation reservation = new Reservation(this, sid, System.nanoTime());
		if (this.maxSessions == 0) {
			return claim(reservation) ? reservation : null;
		}
		// The size check and the insert must be one step, or concurrent upgrades overshoot the limit.
		synchronized (this) {
			if (this.slots.containsKey(sid)) {
				return null;
			}
			if (this.slots.size() >= this.maxSessions) {
				throw new ReservationRefusedException(ReservationRefusedException.Reason.AT_CAPACITY);
			}
			return claim(reservation) ? reservation : null;
		}
	}

	/** Claims the id in the directory, then here; the directory decides between concurrent claims. */
	private boolean claim(Reservation reservation) {
		SessionId sid = reservation.sid();
		// A duplicate of a session of this node is refused without asking the directory.
		if (this.slots.containsKey(sid) || !this.directory.reserve(sid)) {
			return false;
		}
		// Only a directory that granted an id it had already granted could make this fail.
		return this.slots.putIfAbsent(sid, reservation) == null;
	}

	/**
	 * Keeps a session id from being reserved for a while, as if its session were still live: a
	 * session that ended with a failure that would repeat on every reconnect (legacy-v0.md §10.6).
	 * A block in place is extended, never shortened.
	 * @param sid the id
	 * @param duration how long; zero or negative for no block
	 */
	public void block(SessionId sid, Duration duration) {
		Assert.notNull(sid, "'sid' must not be null");
		Assert.notNull(duration, "'duration' must not be null");
		if (duration.isZero() || duration.isNegative()) {
			return;
		}
		long until = System.nanoTime() + duration.toNanos();
		this.blockedUntil.merge(sid, until, (current, proposed) -> (proposed - current > 0) ? proposed : current);
	}

	private boolean isBlocked(SessionId sid) {
		Long until = this.blockedUntil.get(sid);
		if (until == null) {
			return false;
		}
		if (System.nanoTime() - until >= 0) {
			this.blockedUntil.remove(sid, until);
			return false;
		}
		return true;
	}

	/**
	 * Checks that the live session holding an id still answers: it is pinged now and closed as
	 * dead if it sends no pong within the timeout (see {@link CryoDialect#reconnectProbe()}).
	 * @param sid the id
	 * @param timeout how long the session has to answer
	 * @return whether a probe was started (not for an id without a live session, nor while a
	 * probe of the session runs)
	 */
	public boolean probe(SessionId sid, Duration timeout) {
		return find(sid).map((session) -> session.probeLiveness(timeout)).orElse(false);
	}

	/**
	 * Returns the number of session ids blocked now.
	 * @return the count, expired blocks not included
	 */
	public int blockedCount() {
		purgeExpiredBlocks();
		return this.blockedUntil.size();
	}

	private void purgeExpiredBlocks() {
		long now = System.nanoTime();
		this.blockedUntil.entrySet().removeIf((entry) -> now - entry.getValue() >= 0);
	}

	/** Refuses every further reservation; used when the server shuts down. */
	public void stopAccepting() {
		this.accepting = false;
	}

	/** Accepts reservations again, when a stopped server is started again. */
	public void startAccepting() {
		this.accepting = true;
	}

	/**
	 * Returns whether new sessions are accepted.
	 * @return {@code false} once the server started shutting down
	 */
	public boolean isAccepting() {
		return this.accepting;
	}

	/**
	 * Releases a reservation or ends a live session's registration. Idempotent, and never
	 * removes another session that has since taken the same id.
	 * @param reservation the reservation
	 */
	public void release(Reservation reservation) {
		if (this.slots.remove(reservation.sid(), reservation)) {
			this.directory.release(reservation.sid());
		}
		// After the slot, so that a session indexed concurrently by activate() sees it gone.
		unindex(reservation);
	}

	/**
	 * Returns the live sessions of a principal.
	 * @param principalName the principal's name
	 * @return a snapshot; empty when the principal has none
	 */
	Set<ServerSession> sessionsOf(String principalName) {
		return this.byPrincipal.getOrDefault(principalName, Set.of());
	}

	/** Adds a session that went live to the index of its principal's name. */
	private void index(Reservation reservation, ServerSession session) {
		String name = reservation.principalName();
		if (name == null) {
			return;
		}
		this.byPrincipal.compute(name, (key, sessions) -> with(sessions, session));
		// A release that ran between the activation and the line above missed the entry.
		if (!isHeld(reservation)) {
			unindex(reservation);
		}
	}

	private void unindex(Reservation reservation) {
		String name = reservation.principalName();
		ServerSession session = reservation.session();
		if (name != null && session != null) {
			this.byPrincipal.computeIfPresent(name, (key, sessions) -> without(sessions, session));
		}
	}

	private static Set<ServerSession> with(@Nullable Set<ServerSession> sessions, ServerSession session) {
		Set<ServerSession> copy = (sessions != null) ? new LinkedHashSet<>(sessions) : new LinkedHashSet<>();
		copy.add(session);
		return Collections.unmodifiableSet(copy);
	}

	private static @Nullable Set<ServerSession> without(Set<ServerSession> sessions, ServerSession session) {
		if (!sessions.contains(session)) {
			return sessions;
		}
		Set<ServerSession> copy = new LinkedHashSet<>(sessions);
		copy.remove(session);
		// null removes the entry: names without sessions cost nothing.
		return copy.isEmpty() ? null : Collections.unmodifiableSet(copy);
	}

	/**
	 * Returns whether the reservation is still held (it may have been purged as stale).
	 * @param reservation the reservation
	 * @return whether it is current
	 */
	boolean isHeld(Reservation reservation) {
		return this.slots.get(reservation.sid()) == reservation;
	}

	/**
	 * Finds the live session with the given id.
	 * @param sid the session id
	 * @return the session, if one is live
	 */
	Optional<ServerSession> find(SessionId sid) {
		Reservation reservation = this.slots.get(sid);
		return (reservation != null) ? Optional.ofNullable(reservation.session()) : Optional.empty();
	}

	/**
	 * Returns the live sessions.
	 * @return a snapshot
	 */
	List<ServerSession> sessions() {
		List<ServerSession> sessions = new ArrayList<>(this.slots.size());
		for (Reservation reservation : this.slots.values()) {
			ServerSession session = reservation.session();
			if (session != null) {
				sessions.add(session);
			}
		}
		return sessions;
	}

	/**
	 * Returns the number of reserved and live session ids.
	 * @return the count
	 */
	public int size() {
		return this.slots.size();
	}

	/**
	 * Releases reservations that never became sessions (an upgrade that failed after the
	 * interceptor let it through), and forgets blocks that expired.
	 * @param maxAgeNanos how old an unused reservation may be
	 */
	public void purgeStaleReservations(long maxAgeNanos) {
		purgeExpiredBlocks();
		long now = System.nanoTime();
		for (Reservation reservation : this.slots.values()) {
			if (reservation.session() == null && now - reservation.reservedAtNanos() > maxAgeNanos) {
				release(reservation);
			}
		}
	}

	/**
	 * Records a session's new membership in the directory's index.
	 * @param sid the session id
	 * @param group the group name
	 */
	void joinGroup(SessionId sid, String group) {
		this.directory.join(sid, group);
	}

	/**
	 * Removes a session's membership from the directory's index.
	 * @param sid the session id
	 * @param group the group name
	 */
	void leaveGroup(SessionId sid, String group) {
		this.directory.leave(sid, group);
	}

	/**
	 * Returns the live sessions of a group, found through the directory's index: one look-up
	 * per member, whatever the number of sessions.
	 * @param group the group name
	 * @return a snapshot
	 */
	List<ServerSession> groupMembers(String group) {
		List<ServerSession> members = new ArrayList<>();
		for (SessionId sid : this.directory.members(group)) {
			find(sid).ifPresent(members::add);
		}
		return members;
	}

	/**
	 * Returns the number of groups with members on this node.
	 * @return the count, as the directory keeps it
	 */
	public int groupCount() {
		return this.directory.groupCount();
	}

	/**
	 * Returns the number of group memberships of the live sessions, counted at each call.
	 * @return the sum over the sessions of the groups each is in
	 */
	public int membershipCount() {
		int count = 0;
		for (ServerSession session : sessions()) {
			count += session.groupCount();
		}
		return count;
	}

	/** Keeps the directory's claim on every id held here alive; run by the heartbeat. */
	void refreshClaims() {
		this.directory.refreshAll(heldIds());
	}

	/**
	 * Returns the ids held here: the live sessions' and the reservations'.
	 * @return a weakly consistent view, not a copy
	 */
	Collection<SessionId> heldIds() {
		return Collections.unmodifiableSet(this.slots.keySet());
	}

	/** A held session id, and the session once the WebSocket is open. */
	public static final class Reservation {

		private final CryoSessionRegistry registry;

		private final SessionId sid;

		private final long reservedAtNanos;

		private volatile @Nullable ServerSession session;

		/** Who the upgrade was authenticated as; none for peer links. */
		private volatile CryoAuthentication.@Nullable Authenticated identity;

		Reservation(CryoSessionRegistry registry, SessionId sid, long reservedAtNanos) {
			this.registry = registry;
			this.sid = Objects.requireNonNull(sid, "sid");
			this.reservedAtNanos = reservedAtNanos;
		}

		/**
		 * Returns the reserved session id.
		 * @return the session id
		 */
		public SessionId sid() {
			return this.sid;
		}

		long reservedAtNanos() {
			return this.reservedAtNanos;
		}

		@Nullable ServerSession session() {
			return this.session;
		}

		void activate(ServerSession session) {
			this.session = session;
			this.registry.index(this, session);
		}

		/** Records who the upgrade was authenticated as, before the session exists. */
		void authenticated(CryoAuthentication.@Nullable Authenticated identity) {
			this.identity = identity;
		}

		@Nullable Principal principal() {
			CryoAuthentication.Authenticated identity = this.identity;
			return (identity != null) ? identity.principal() : null;
		}

		Map<String, Object> authenticationAttributes() {
			CryoAuthentication.Authenticated identity = this.identity;
			return (identity != null) ? identity.attributes() : Map.of();
		}

		private @Nullable String principalName() {
			Principal principal = principal();
			return (principal != null) ? principal.getName() : null;
		}

		@Override
		public String toString() {
			return "Reservation[" + this.sid + "]";
		}

	}

}
