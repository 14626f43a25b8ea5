package dev.cryo.boot.autoconfigure.cluster;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

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
	 * How long a node waits for the other nodes to report what they did with a multicast (the
	 * remote report of its result) or with a send to one session on another node: a node silent
	 * for longer is reported as not answering, and such a send fails. Must be longer than
	 * cryo.ack-timeout, so that a receiving node can report its sessions' ACKs in time.
	 */
	private Duration deliveryTimeout = Duration.ofSeconds(5);

	/**
	 * How many multicasts and sends of this node may wait for the other nodes' reports at once.
	 * Beyond it a multicast is still delivered, but its report says at once that no node answered,
	 * and a send to another node fails; both are counted in cryo.cluster.failures with reason
	 * pending-limit.
	 */
	private int maxPendingReports = 10_000;

	/**
	 * Largest message a node publishes to the others or accepts from them (a multicast's or a
	 * send's message, a module's topic message). A larger one is refused with an exception when
	 * sent, and ignored (counted with reason decode) when it arrives.
	 */
	private DataSize maxMessageSize = DataSize.ofMegabytes(16);

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

	/**
	 * Returns how long a node waits for the other nodes' reports.
	 * @return the timeout
	 */
	public Duration getDeliveryTimeout() {
		return this.deliveryTimeout;
	}

	/**
	 * Sets how long a node waits for the other nodes' reports.
	 * @param deliveryTimeout the timeout
	 */
	public void setDeliveryTimeout(Duration deliveryTimeout) {
		this.deliveryTimeout = deliveryTimeout;
	}

	/**
	 * Returns how many multicasts and sends may wait for reports at once.
	 * @return the limit
	 */
	public int getMaxPendingReports() {
		return this.maxPendingReports;
	}

	/**
	 * Sets how many multicasts and sends may wait for reports at once.
	 * @param maxPendingReports the limit
	 */
	public void setMaxPendingReports(int maxPendingReports) {
		this.maxPendingReports = maxPendingReports;
	}

	/**
	 * Returns the largest message exchanged between nodes.
	 * @return the size
	 */
	public DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	/**
	 * Sets the largest message exchanged between nodes.
	 * @param maxMessageSize the size
	 */
	public void setMaxMessageSize(DataSize maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

}
