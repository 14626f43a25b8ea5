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
 */
public record RedisClusterSettings(String nodeId, String keyPrefix, Duration sessionTtl, Duration commandTimeout) {

	/** The key prefix when none is configured. */
	public static final String DEFAULT_KEY_PREFIX = "cryo:";

	/** The session id time to live when none is configured. */
	public static final Duration DEFAULT_SESSION_TTL = Duration.ofSeconds(30);

	/** The command timeout when none is configured. */
	public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

	/** The longest node id: it is stored with every claim and sent with every message. */
	public static final int MAX_NODE_ID_LENGTH = 200;

	/**
	 * Creates settings, checking each value.
	 * @param nodeId the id of this node, at most {@value #MAX_NODE_ID_LENGTH} characters
	 * @param keyPrefix the prefix of every key and channel name
	 * @param sessionTtl the time to live of a claim, at least one millisecond
	 * @param commandTimeout the longest wait for one command, at least one millisecond
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

}
