package dev.cryo.boot.autoconfigure.health;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import dev.cryo.boot.autoconfigure.cluster.CryoRedisClusterAutoConfiguration;
import dev.cryo.redis.RedisClusterBroadcaster;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * the {@code cluster} health indicator ({@code management.health.cluster.enabled}) of a node of
 * a Cryo cluster on Redis: registered only when the cluster is on
 * ({@code cryo.cluster.redis.enabled=true}, so a {@link RedisClusterBroadcaster} exists) and
 * Boot's health support is present.
 */
@AutoConfiguration(after = CryoRedisClusterAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(name = { "org.springframework.boot.health.contributor.HealthIndicator",
		"dev.cryo.redis.RedisClusterBroadcaster" })
@ConditionalOnBean(RedisClusterBroadcaster.class)
@ConditionalOnEnabledHealthIndicator("cluster")
public final class CryoClusterHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "clusterHealthIndicator")
	HealthIndicator clusterHealthIndicator(RedisClusterBroadcaster broadcaster) {
		return new CryoClusterHealthIndicator(broadcaster);
	}

}
