package dev.cryo.boot.autoconfigure.cluster;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Several Cryo servers as one through Redis ({@code cryo.cluster.redis.*}). The connection is
 * Boot's, configured under {@code spring.data.redis.*}.
 */
@ConfigurationProperties("cryo.cluster.redis")
public class CryoRedisClusterProperties {

	/**
	 * Whether this server joins a cluster through Redis: session ids are claimed cluster-wide and
	 * multicasts reach the sessions of every node. Off by default, so that an application with the
	 * module on its class path stays single-node and never connects to Redis.
	 */
	private boolean enabled;

	/**
	 * Id of this node, unique in the cluster: the owner of the session ids it claims and the
	 * origin of the messages it publishes. By default a random UUID, chosen at start and logged.
	 */
	private @Nullable String nodeId;

	/**
	 * Prefix of every Redis key and channel name, so that several clusters (or other
	 * applications) can share one Redis.
	 */
	private String keyPrefix = "cryo:";

	/**
	 * How long a session id claim lives without a refresh: the ids of a node that dies become
	 * usable again after this. Claims are refreshed on every heartbeat, so it must be longer than
	 * cryo.keep-alive-interval.
	 */
	private Duration sessionTtl = Duration.ofSeconds(30);

	/**
	 * How long a Redis command may take before Redis is treated as unreachable: the longest an
	 * upgrade or a multicast waits for Redis.
	 */
	private Duration commandTimeout = Duration.ofSeconds(2);

	/**
	 * Returns whether the Redis cluster is enabled.
	 * @return whether it is enabled
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Sets whether the Redis cluster is enabled.
	 * @param enabled whether it is enabled
	 */
	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * Returns the configured node id.
	 * @return the id, {@code null} for a random one
	 */
	public @Nullable String getNodeId() {
		return this.nodeId;
	}

	/**
	 * Sets the node id.
	 * @param nodeId the id, {@code null} for a random one
	 */
	public void setNodeId(@Nullable String nodeId) {
		this.nodeId = nodeId;
	}

	/**
	 * Returns the key and channel prefix.
	 * @return the prefix
	 */
	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	/**
	 * Sets the key and channel prefix.
	 * @param keyPrefix the prefix
	 */
	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	/**
	 * Returns the time to live of a session id claim.
	 * @return the time to live
	 */
	public Duration getSessionTtl() {
		return this.sessionTtl;
	}

	/**
	 * Sets the time to live of a session id claim.
	 * @param sessionTtl the time to live
	 */
	public void setSessionTtl(Duration sessionTtl) {
		this.sessionTtl = sessionTtl;
	}

	/**
	 * Returns the command timeout.
	 * @return the timeout
	 */
	public Duration getCommandTimeout() {
		return this.commandTimeout;
	}

	/**
	 * Sets the command timeout.
	 * @param commandTimeout the timeout
	 */
	public void setCommandTimeout(Duration commandTimeout) {
		this.commandTimeout = commandTimeout;
	}

}
