package dev.cryo.boot.autoconfigure.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.cryo.redis.RedisClusterBroadcaster;
import dev.cryo.redis.RedisClusterSettings;
import dev.cryo.redis.RedisClusterUnavailableException;

/**
 * {@link HealthIndicator} for this node's part in a cluster of Cryo servers on Redis: UP when
 * Redis answers a {@code PING} within the command timeout and the node is subscribed to the
 * cluster's channel; DOWN otherwise, with the reason (Redis unreachable and why, or not
 * subscribed). A node that is DOWN here still serves its own clients; it is cut off from the
 * others. The details name the node id, the key prefix, whether the subscription is live, the
 * live nodes of the cluster as this node last read them from Redis (itself included) and how many
 * multicasts and sends wait for other nodes' reports.
 *
 * <p>Each check is a round trip to Redis, bounded by {@code cryo.cluster.redis.command-timeout};
 * during the short pause after a failed command it answers DOWN at once, without asking Redis.
 */
public class CryoClusterHealthIndicator implements HealthIndicator {

	private final RedisClusterBroadcaster broadcaster;

	/**
	 * Creates an indicator.
	 * @param broadcaster the node's broadcaster, whose subscription and connection are checked
	 */
	public CryoClusterHealthIndicator(RedisClusterBroadcaster broadcaster) {
		this.broadcaster = broadcaster;
	}

	@Override
	public Health health() {
		RedisClusterSettings settings = this.broadcaster.settings();
		boolean subscribed = this.broadcaster.isSubscribed();
		Health.Builder builder;
		try {
			this.broadcaster.ping();
			builder = subscribed ? Health.up()
					: Health.down().withDetail("reason", "not subscribed to the cluster channel");
		}
		catch (RedisClusterUnavailableException ex) {
			// The cause of the last real attempt, rather than "retrying in a moment" of a pause.
			String cause = this.broadcaster.lastFailure().orElse(String.valueOf(ex.getMessage()));
			builder = Health.down().withDetail("reason", "Redis unreachable: " + cause);
		}
		return builder.withDetail("nodeId", settings.nodeId())
			.withDetail("keyPrefix", settings.keyPrefix())
			.withDetail("subscribed", subscribed)
			.withDetail("liveNodes", this.broadcaster.liveNodes())
			.withDetail("pendingReports", this.broadcaster.pendingReports())
			.build();
	}

}
