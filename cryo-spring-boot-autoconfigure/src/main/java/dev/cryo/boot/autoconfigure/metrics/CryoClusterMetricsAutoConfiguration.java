package dev.cryo.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.cryo.boot.autoconfigure.cluster.CryoRedisClusterAutoConfiguration;
import dev.cryo.redis.RedisClusterBroadcaster;
import dev.cryo.redis.RedisSessionDirectory;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * the Micrometer meters of a node of a Cryo cluster on Redis ({@link CryoClusterMeterBinder}):
 * only when the cluster is on ({@code cryo.cluster.redis.enabled=true}, so a
 * {@link RedisClusterBroadcaster} exists) and a {@link MeterRegistry} bean exists.
 */
@AutoConfiguration(after = CryoRedisClusterAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(name = { "io.micrometer.core.instrument.MeterRegistry", "dev.cryo.redis.RedisClusterBroadcaster" })
@ConditionalOnBean({ MeterRegistry.class, RedisClusterBroadcaster.class })
public final class CryoClusterMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CryoClusterMeterBinder cryoClusterMeterBinder(RedisClusterBroadcaster broadcaster,
			ObjectProvider<RedisSessionDirectory> directory) {
		return new CryoClusterMeterBinder(broadcaster, directory.getIfUnique());
	}

}
