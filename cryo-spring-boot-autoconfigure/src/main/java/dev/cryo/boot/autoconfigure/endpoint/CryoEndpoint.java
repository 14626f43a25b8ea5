package dev.cryo.boot.autoconfigure.endpoint;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.SessionState;
import dev.cryo.core.engine.SessionStatistics;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;

/**
 * {@link Endpoint @Endpoint} that shows the live sessions of a {@link CryoServer}: for each its
 * id, dialect, transaction layout, remote address, principal name, state, age, round-trip time,
 * bytes, send-queue depth, writability and groups, plus a summary of the counts (by state and by
 * dialect) and this node's place in a cluster (whether the Redis cluster is on, and the node id).
 * Read-only.
 *
 * <p>Sensitive: session ids and client addresses identify connections and the people behind
 * them. Like every endpoint but {@code health} it is not exposed over HTTP unless listed in
 * {@code management.endpoints.web.exposure.include}; expose it only behind the same protection
 * as the rest of the management endpoints.
 */
@Endpoint(id = "cryo", defaultAccess = Access.READ_ONLY)
public class CryoEndpoint {

	private final CryoServer server;

	private final Cluster cluster;

	/**
	 * Creates the endpoint of a single node.
	 * @param server the server whose sessions are shown
	 */
	public CryoEndpoint(CryoServer server) {
		this(server, Cluster.SINGLE_NODE);
	}

	/**
	 * Creates the endpoint.
	 * @param server the server whose sessions are shown
	 * @param cluster this node's place in a cluster
	 */
	public CryoEndpoint(CryoServer server, Cluster cluster) {
		this.server = server;
		this.cluster = cluster;
	}

	/**
	 * Returns the summary and every live session, oldest first.
	 * @return the descriptor
	 */
	@ReadOperation
	public CryoDescriptor cryo() {
		Instant now = Instant.now();
		List<SessionDescriptor> sessions = this.server.sessions()
			.stream()
			.sorted(Comparator.comparing(CryoSession::connectedAt))
			.map((session) -> describe(session, now))
			.toList();
		return new CryoDescriptor(summarize(sessions), this.cluster, sessions);
	}

	/**
	 * Returns one live session.
	 * @param id the session id, an unsigned decimal or a UUID in its canonical form
	 * @return the session, or {@code null} (404) when the id cannot be read or no live session
	 * has it
	 */
	@ReadOperation
	public @Nullable SessionDescriptor session(@Selector String id) {
		SessionId sid = parse(id);
		if (sid == null) {
			return null;
		}
		return this.server.session(sid).map((session) -> describe(session, Instant.now())).orElse(null);
	}

	/** Reads an id as {@link SessionId#toString()} shows it; {@code null} if it is neither form. */
	private static @Nullable SessionId parse(String id) {
		try {
			// UUID.fromString also takes short groups ("1-2-3-4-5"); only the canonical form is an id.
			if (id.length() == 36 && id.charAt(8) == '-' && id.charAt(13) == '-' && id.charAt(18) == '-'
					&& id.charAt(23) == '-') {
				return SessionId.of(UUID.fromString(id));
			}
			return SessionId.of(Long.parseUnsignedLong(id));
		}
		catch (IllegalArgumentException ex) {
			// NumberFormatException included: not an id, so no session has it.
			return null;
		}
	}

	private Summary summarize(List<SessionDescriptor> sessions) {
		Map<String, Integer> dialects = new TreeMap<>();
		int handshaking = 0;
		int open = 0;
		int closing = 0;
		int unwritable = 0;
		for (SessionDescriptor session : sessions) {
			switch (session.state()) {
				case HANDSHAKING -> handshaking++;
				case OPEN -> open++;
				case CLOSING -> closing++;
				case CLOSED -> {
					// Released from the registry right after; not worth a column.
				}
			}
			if (!session.writable()) {
				unwritable++;
			}
			dialects.merge(session.dialect(), 1, Integer::sum);
		}
		return new Summary(sessions.size(), handshaking, open, closing, unwritable, dialects, this.server.isRunning(),
				this.server.isAcceptingSessions());
	}

	private static SessionDescriptor describe(CryoSession session, Instant now) {
		SessionStatistics statistics = session.statistics();
		InetSocketAddress remote = session.remoteAddress();
		String address = (remote != null) ? remote.getHostString() + ":" + remote.getPort() : null;
		Principal principal = session.principal();
		return new SessionDescriptor(session.id().toString(), session.dialect(),
				layoutName(session.transactionLayout()), address,
				(principal != null) ? principal.getName() : null, session.state(),
				session.connectedAt(), Duration.between(session.connectedAt(), now).toMillis(),
				statistics.rttMillis(), statistics.bytesSent(), statistics.bytesReceived(),
				statistics.framesDropped(), statistics.ackTimeouts(), session.pendingAcks(), session.queuedFrames(),
				session.queuedBytes(), session.isWritable(), List.copyOf(session.groups()));
	}

	/**
	 * Returns a transaction layout as the configuration writes it.
	 * @param layout the layout
	 * @return {@code seed}, {@code cryo-protocol-1.4} or {@code camp}
	 */
	static String layoutName(@Nullable TransactionLayout layout) {
		if (layout == null) {
			return "unknown";
		}
		return switch (layout) {
			case SEED -> "seed";
			case CRYO_PROTOCOL_1_4 -> "cryo-protocol-1.4";
			case CAMP -> "camp";
		};
	}

	/**
	 * What the endpoint returns.
	 * @param summary the counts
	 * @param cluster this node's place in a cluster
	 * @param sessions the live sessions, oldest first
	 */
	public record CryoDescriptor(Summary summary, Cluster cluster, List<SessionDescriptor> sessions) {
	}

	/**
	 * This node's place in a cluster of Cryo servers.
	 * @param enabled whether the node shares its sessions and messages with others (the Redis
	 * cluster, {@code cryo.cluster.redis.enabled})
	 * @param nodeId the node's id, the one {@link CryoServer#locate} names it by
	 */
	public record Cluster(boolean enabled, String nodeId) {

		/** A node on its own, called {@code local} as {@link CryoServer#locate} names it. */
		public static final Cluster SINGLE_NODE = new Cluster(false, "local");

	}

	/**
	 * The counts of the server's live sessions.
	 * @param sessions all live sessions
	 * @param handshaking those waiting for the peer's ENDPOINT_INFO
	 * @param open those open
	 * @param closing those closing
	 * @param unwritable those over their send queue's high-water mark
	 * @param dialects the live sessions by dialect name, for the dialects that have any
	 * @param running whether the server runs
	 * @param accepting whether it accepts new sessions
	 */
	public record Summary(int sessions, int handshaking, int open, int closing, int unwritable,
			Map<String, Integer> dialects, boolean running, boolean accepting) {
	}

	/**
	 * One live session.
	 * @param id the session id as it reads: an unsigned decimal, or a UUID
	 * @param dialect the wire dialect the session speaks: {@code cryo-v1}, {@code camp}, ...
	 * @param transactionLayout the layout of its transaction frames now: {@code seed} or
	 * {@code cryo-protocol-1.4} for Cryo v1 (the latter for the published 1.4 client generation),
	 * {@code camp} for CAMP
	 * @param remoteAddress the client's address and port, if known
	 * @param principal the name of the session's principal; {@code null} for a session without
	 * one, such as a link to another server
	 * @param state the session state
	 * @param connectedAt when the WebSocket was accepted
	 * @param ageMillis milliseconds since then
	 * @param rttMillis the EWMA round-trip time, {@code -1} before the first sample
	 * @param bytesSent bytes of all frames handed to the send queue
	 * @param bytesReceived bytes of all messages received
	 * @param framesDropped frames the send queue dropped
	 * @param ackTimeouts tracked frames whose ACK timed out
	 * @param pendingAcks tracked frames waiting for their ACK
	 * @param queuedFrames frames waiting in the send queue
	 * @param queuedBytes bytes waiting in the send queue
	 * @param writable whether the send queue is below its high-water mark
	 * @param groups the groups the session is in, in the order it joined them
	 */
	public record SessionDescriptor(String id, String dialect, String transactionLayout,
			@Nullable String remoteAddress, @Nullable String principal, SessionState state, Instant connectedAt,
			long ageMillis, double rttMillis,
			long bytesSent, long bytesReceived, long framesDropped, long ackTimeouts, int pendingAcks, int queuedFrames,
			long queuedBytes, boolean writable, List<String> groups) {
	}

}
