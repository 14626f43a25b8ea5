package dev.cryo.boot.autoconfigure.cluster;

import java.time.Duration;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.cryo.boot.autoconfigure.CryoAutoConfiguration;
import dev.cryo.boot.autoconfigure.CryoProperties;
import dev.cryo.redis.RedisClusterBroadcaster;
import dev.cryo.redis.RedisClusterSettings;
import dev.cryo.redis.RedisSessionDirectory;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.SessionDirectory;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of a
 * cluster of Cryo servers coordinated through Redis: with {@code cryo.cluster.redis.enabled=true}
 * and the cryo-redis module, the server's {@link SessionDirectory} is a
 * {@link RedisSessionDirectory} (session ids claimed cluster-wide) and its
 * {@link ClusterBroadcaster} a {@link RedisClusterBroadcaster} (multicasts published to every
 * node), both on Boot's {@link RedisConnectionFactory} ({@code spring.data.redis.*}). Ordered
 * before {@link CryoAutoConfiguration}, whose local beans back off when these exist; an
 * application's own directory or broadcaster wins over both.
 *
 * <p>Off by default: an application that merely has the module on its class path stays
 * single-node, and nothing here touches Redis. An application that switches it on depends on
 * {@code dev.cryo:cryo-redis} and on Boot's Redis support ({@code spring-boot-starter-data-redis}),
 * which defines the connection; {@code cryo.cluster.redis.session-ttl} must be longer than
 * {@code cryo.keep-alive-interval}, and {@code cryo.cluster.redis.delivery-timeout} longer than
 * {@code cryo.ack-timeout}, or the application does not start.
 */
@AutoConfiguration(before = CryoAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(name = { "dev.cryo.redis.RedisSessionDirectory",
		"org.springframework.data.redis.connection.RedisConnectionFactory" })
@ConditionalOnBooleanProperty(name = "cryo.cluster.redis.enabled")
@EnableConfigurationProperties({ CryoRedisClusterProperties.class, CryoProperties.class })
public final class CryoRedisClusterAutoConfiguration {

	private static final Log logger = LogFactory.getLog(CryoRedisClusterAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	RedisClusterSettings cryoRedisClusterSettings(CryoRedisClusterProperties properties, CryoProperties cryo) {
		Duration ttl = properties.getSessionTtl();
		Duration heartbeat = cryo.getKeepAliveInterval();
		if (ttl.compareTo(heartbeat) <= 0) {
			throw new IllegalStateException("cryo.cluster.redis.session-ttl (" + ttl
					+ ") must be longer than cryo.keep-alive-interval (" + heartbeat
					+ "): session id claims are refreshed on every heartbeat and would expire between two");
		}
		Duration deliveryTimeout = properties.getDeliveryTimeout();
		Duration ackTimeout = cryo.getAckTimeout();
		if (deliveryTimeout.compareTo(ackTimeout) <= 0) {
			throw new IllegalStateException("cryo.cluster.redis.delivery-timeout (" + deliveryTimeout
					+ ") must be longer than cryo.ack-timeout (" + ackTimeout
					+ "): a node reports its sessions' ACKs, which take up to the ACK timeout, to the node that sent");
		}
		long maxMessageSize = properties.getMaxMessageSize().toBytes();
		if (maxMessageSize <= 0 || maxMessageSize > Integer.MAX_VALUE - 1024) {
			throw new IllegalStateException("cryo.cluster.redis.max-message-size (" + properties.getMaxMessageSize()
					+ ") must be positive and below 2 GB");
		}
		String nodeId = properties.getNodeId();
		if (nodeId == null || nodeId.isBlank()) {
			nodeId = UUID.randomUUID().toString();
			logger.info("Cryo cluster node id (random, set cryo.cluster.redis.node-id to choose one): " + nodeId);
		}
		else {
			logger.info("Cryo cluster node id: " + nodeId);
		}
		return new RedisClusterSettings(nodeId, properties.getKeyPrefix(), ttl, properties.getCommandTimeout(),
				deliveryTimeout, properties.getMaxPendingReports(), (int) maxMessageSize);
	}

	@Bean
	@ConditionalOnMissingBean(SessionDirectory.class)
	RedisSessionDirectory cryoRedisSessionDirectory(ObjectProvider<RedisConnectionFactory> connectionFactory,
			RedisClusterSettings settings) {
		return new RedisSessionDirectory(required(connectionFactory), settings);
	}

	@Bean
	@ConditionalOnMissingBean(ClusterBroadcaster.class)
	RedisClusterBroadcaster cryoRedisClusterBroadcaster(ObjectProvider<RedisConnectionFactory> connectionFactory,
			RedisClusterSettings settings) {
		return new RedisClusterBroadcaster(required(connectionFactory), settings);
	}

	private static RedisConnectionFactory required(ObjectProvider<RedisConnectionFactory> connectionFactory) {
		RedisConnectionFactory factory = connectionFactory.getIfUnique();
		if (factory == null) {
			throw new IllegalStateException("cryo.cluster.redis.enabled=true needs one RedisConnectionFactory: "
					+ "add spring-boot-starter-data-redis and configure spring.data.redis.*");
		}
		return factory;
	}

}
