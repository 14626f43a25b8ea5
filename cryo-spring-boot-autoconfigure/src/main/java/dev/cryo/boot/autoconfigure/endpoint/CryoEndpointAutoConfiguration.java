package dev.cryo.boot.autoconfigure.endpoint;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cryo.boot.autoconfigure.CryoAutoConfiguration;
import dev.cryo.boot.autoconfigure.cluster.CryoRedisClusterAutoConfiguration;
import dev.cryo.redis.RedisClusterSettings;
import dev.cryo.server.CryoServer;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * the {@link CryoEndpoint cryo endpoint}. The bean exists only when the endpoint is available
 * (access allowed and exposed, {@code management.endpoints.web.exposure.include=cryo}).
 */
@AutoConfiguration(after = { CryoAutoConfiguration.class, CryoRedisClusterAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class, CryoServer.class })
@ConditionalOnBean(CryoServer.class)
@ConditionalOnAvailableEndpoint(CryoEndpoint.class)
public final class CryoEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CryoEndpoint cryoEndpoint(CryoServer server, ObjectProvider<CryoEndpoint.Cluster> cluster) {
		return new CryoEndpoint(server, cluster.getIfAvailable(() -> CryoEndpoint.Cluster.SINGLE_NODE));
	}

	/** The node id of a node of the Redis cluster, when the module is present and the cluster on. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "dev.cryo.redis.RedisClusterSettings")
	static class RedisClusterNodeConfiguration {

		@Bean
		@ConditionalOnBean(RedisClusterSettings.class)
		CryoEndpoint.Cluster cryoEndpointCluster(RedisClusterSettings settings) {
			return new CryoEndpoint.Cluster(true, settings.nodeId());
		}

	}

}
