package dev.cryo.redis;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How a node takes part in a Redis-coordinated cluster.
 *
 * @param nodeId the id of this node, unique in the cluster: the value of the session id claims it
 * holds and the origin of the messages it publishes
 * @param keyPrefix the prefix of every key and channel name, so that several clusters (or other
 * applications) can share one Redis; for example {@code cryo:}
 * @param sessionTtl how long a session id claim lives without being refreshed: the time after
 * which the ids of a node that died without releasing them become usable again. The heartbeat
 * refreshes the claims, so it must be longer than the heartbeat interval
 * @param commandTimeout how long a node waits for one Redis command before it treats Redis as
 * unreachable
 * @param deliveryTimeout how long the origin of a multicast or of a send to a session on another
 * node waits for the other nodes' reports: a node silent for longer is reported as not answering.
 * It should be longer than the sessions' ACK timeout, so that a receiving node can report the ACKs
 * (or their timeouts) in time
 * @param maxPendingReports how many multicasts and sends of this node may wait for reports at
 * once; beyond it a new one is reported at once as unanswered (see
 * {@link RedisClusterBroadcaster})
 * @param maxMessageSize the largest payload (message or topic bytes) this node publishes or
 * accepts from the channel, in bytes
 */
public record RedisClusterSettings(String nodeId, String keyPrefix, Duration sessionTtl, Duration commandTimeout,
		Duration deliveryTimeout, int maxPendingReports, int maxMessageSize) {

	/** The key prefix when none is configured. */
	public static final String DEFAULT_KEY_PREFIX = "cryo:";

	/** The session id time to live when none is configured. */
	public static final Duration DEFAULT_SESSION_TTL = Duration.ofSeconds(30);

	/** The command timeout when none is configured. */
	public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

	/** The delivery timeout when none is configured: longer than the default ACK timeout (2.5 s). */
	public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(5);

	/** The limit of pending reports when none is configured. */
	public static final int DEFAULT_MAX_PENDING_REPORTS = 10_000;

	/** The largest payload when none is configured: 16 MiB. */
	public static final int DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

	/** The longest node id: it is stored with every claim and sent with every message. */
	public static final int MAX_NODE_ID_LENGTH = 200;

	/**
	 * Creates settings, checking each value.
	 * @param nodeId the id of this node, at most {@value #MAX_NODE_ID_LENGTH} characters
	 * @param keyPrefix the prefix of every key and channel name
	 * @param sessionTtl the time to live of a claim, at least one millisecond
	 * @param commandTimeout the longest wait for one command, at least one millisecond
	 * @param deliveryTimeout the longest wait for the other nodes' reports, at least one millisecond
	 * @param maxPendingReports the most multicasts and sends waiting for reports, at least one
	 * @param maxMessageSize the largest payload in bytes, at least one
	 */
	public RedisClusterSettings {
		Assert.hasText(nodeId, "'nodeId' must not be empty");
		Assert.isTrue(nodeId.length() <= MAX_NODE_ID_LENGTH,
				() -> "'nodeId' must not be longer than " + MAX_NODE_ID_LENGTH + " characters");
		Assert.notNull(keyPrefix, "'keyPrefix' must not be null");
		Assert.notNull(sessionTtl, "'sessionTtl' must not be null");
		Assert.isTrue(sessionTtl.toMillis() > 0, "'sessionTtl' must be at least one millisecond");
		Assert.notNull(commandTimeout, "'commandTimeout' must not be null");
		Assert.isTrue(commandTimeout.toMillis() > 0, "'commandTimeout' must be at least one millisecond");
		Assert.notNull(deliveryTimeout, "'deliveryTimeout' must not be null");
		Assert.isTrue(deliveryTimeout.toMillis() > 0, "'deliveryTimeout' must be at least one millisecond");
		Assert.isTrue(maxPendingReports > 0, "'maxPendingReports' must be positive");
		Assert.isTrue(maxMessageSize > 0, "'maxMessageSize' must be positive");
	}

	/**
	 * Creates settings with the default delivery timeout and limits.
	 * @param nodeId the id of this node, at most {@value #MAX_NODE_ID_LENGTH} characters
	 * @param keyPrefix the prefix of every key and channel name
	 * @param sessionTtl the time to live of a claim, at least one millisecond
	 * @param commandTimeout the longest wait for one command, at least one millisecond
	 */
	public RedisClusterSettings(String nodeId, String keyPrefix, Duration sessionTtl, Duration commandTimeout) {
		this(nodeId, keyPrefix, sessionTtl, commandTimeout, DEFAULT_DELIVERY_TIMEOUT, DEFAULT_MAX_PENDING_REPORTS,
				DEFAULT_MAX_MESSAGE_SIZE);
	}

	/**
	 * Returns a copy with another delivery timeout.
	 * @param timeout the longest wait for the other nodes' reports
	 * @return the settings
	 */
	public RedisClusterSettings withDeliveryTimeout(Duration timeout) {
		return new RedisClusterSettings(this.nodeId, this.keyPrefix, this.sessionTtl, this.commandTimeout, timeout,
				this.maxPendingReports, this.maxMessageSize);
	}

	/**
	 * Returns a copy with another limit of pending reports.
	 * @param limit the most multicasts and sends waiting for reports
	 * @return the settings
	 */
	public RedisClusterSettings withMaxPendingReports(int limit) {
		return new RedisClusterSettings(this.nodeId, this.keyPrefix, this.sessionTtl, this.commandTimeout,
				this.deliveryTimeout, limit, this.maxMessageSize);
	}

	/**
	 * Returns a copy with another largest payload.
	 * @param bytes the largest payload in bytes
	 * @return the settings
	 */
	public RedisClusterSettings withMaxMessageSize(int bytes) {
		return new RedisClusterSettings(this.nodeId, this.keyPrefix, this.sessionTtl, this.commandTimeout,
				this.deliveryTimeout, this.maxPendingReports, bytes);
	}

	/**
	 * Creates settings with the default prefix, time to live and timeout.
	 * @param nodeId the id of this node
	 * @return the settings
	 */
	public static RedisClusterSettings of(String nodeId) {
		return new RedisClusterSettings(nodeId, DEFAULT_KEY_PREFIX, DEFAULT_SESSION_TTL, DEFAULT_COMMAND_TIMEOUT);
	}

	/**
	 * Returns the key of a session id claim.
	 * @param sessionId the session id, as {@link dev.cryo.core.SessionId#toString()} gives it
	 * @return {@code <prefix>sid:<id>}
	 */
	String sessionKey(String sessionId) {
		return this.keyPrefix + "sid:" + sessionId;
	}

	/**
	 * Returns the channel the multicasts of the cluster are published on.
	 * @return {@code <prefix>broadcast}
	 */
	String broadcastChannel() {
		return this.keyPrefix + "broadcast";
	}

	/**
	 * Returns the channel of one node: the sends to its sessions and the reports addressed to it.
	 * @param nodeId the node's id
	 * @return {@code <prefix>node:<nodeId>}
	 */
	String nodeChannel(String nodeId) {
		return this.keyPrefix + "node:" + nodeId;
	}

	/**
	 * Returns the key of the registry of live nodes.
	 * @return {@code <prefix>nodes}
	 */
	String nodesKey() {
		return this.keyPrefix + "nodes";
	}

}
