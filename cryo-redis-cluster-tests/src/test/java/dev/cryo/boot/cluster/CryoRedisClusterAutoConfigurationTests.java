package dev.cryo.boot.cluster;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.cryo.boot.autoconfigure.CryoAutoConfiguration;
import dev.cryo.boot.autoconfigure.cluster.CryoRedisClusterAutoConfiguration;
import dev.cryo.boot.autoconfigure.endpoint.CryoEndpoint;
import dev.cryo.boot.autoconfigure.endpoint.CryoEndpointAutoConfiguration;
import dev.cryo.boot.autoconfigure.health.CryoClusterHealthContributorAutoConfiguration;
import dev.cryo.boot.autoconfigure.health.CryoClusterHealthIndicator;
import dev.cryo.boot.autoconfigure.metrics.CryoClusterMeterBinder;
import dev.cryo.boot.autoconfigure.metrics.CryoClusterMetricsAutoConfiguration;
import dev.cryo.redis.RedisClusterSettings;
import dev.cryo.redis.RedisSessionDirectory;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.LocalClusterBroadcaster;
import dev.cryo.server.cluster.LocalSessionDirectory;
import dev.cryo.server.cluster.SessionDirectory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The switch and the start-up checks of the Redis cluster auto-configuration, with the module
 * and Boot's Redis connection on the class path.
 */
class CryoRedisClusterAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DataRedisAutoConfiguration.class, CryoRedisClusterAutoConfiguration.class,
					CryoAutoConfiguration.class));

	@Test
	void disabledByDefaultStaysSingleNodeAndNeverConnectsToRedis() throws Exception {
		try (ServerSocket fakeRedis = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			this.runner.withPropertyValues("spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=" + fakeRedis.getLocalPort())
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context).doesNotHaveBean(RedisSessionDirectory.class);
					assertThat(context).doesNotHaveBean(RedisClusterSettings.class);
					assertThat(context).getBean(SessionDirectory.class).isInstanceOf(LocalSessionDirectory.class);
					assertThat(context).getBean(ClusterBroadcaster.class)
						.isInstanceOf(LocalClusterBroadcaster.class);
				});
			fakeRedis.setSoTimeout(300);
			assertThatExceptionOfType(SocketTimeoutException.class).as("a connection to Redis")
				.isThrownBy(fakeRedis::accept);
		}
	}

	@Test
	void sessionTtlNotLongerThanTheHeartbeatFailsTheStart() {
		this.runner
			.withPropertyValues("cryo.cluster.redis.enabled=true", "cryo.keep-alive-interval=15s",
					"cryo.cluster.redis.session-ttl=15s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("cryo.cluster.redis.session-ttl (PT15S) must be longer than cryo.keep-alive-interval"));
	}

	@Test
	void deliveryTimeoutNotLongerThanTheAckTimeoutFailsTheStart() {
		this.runner
			.withPropertyValues("cryo.cluster.redis.enabled=true", "cryo.ack-timeout=5s",
					"cryo.cluster.redis.delivery-timeout=5s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("cryo.cluster.redis.delivery-timeout (PT5S) must be longer than cryo.ack-timeout"));
	}

	@Test
	void deliveryTimeoutAndLimitsReachTheSettings() {
		this.runner
			.withPropertyValues("cryo.cluster.redis.enabled=true", "cryo.cluster.redis.delivery-timeout=7s",
					"cryo.cluster.redis.max-pending-reports=12", "cryo.cluster.redis.max-message-size=1MB")
			.run((context) -> {
				RedisClusterSettings settings = context.getBean(RedisClusterSettings.class);
				assertThat(settings.deliveryTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(settings.maxPendingReports()).isEqualTo(12);
				assertThat(settings.maxMessageSize()).isEqualTo(1024 * 1024);
			});
	}

	@Test
	void randomNodeIdWhenNoneIsConfiguredAndTheApplicationsOwnBroadcasterWins() {
		this.runner.withPropertyValues("cryo.cluster.redis.enabled=true", "cryo.cluster.redis.key-prefix=app:")
			.withBean(ClusterBroadcaster.class, LocalClusterBroadcaster::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(ClusterBroadcaster.class);
				assertThat(context).getBean(ClusterBroadcaster.class).isInstanceOf(LocalClusterBroadcaster.class);
				assertThat(context).getBean(SessionDirectory.class).isInstanceOf(RedisSessionDirectory.class);
				RedisClusterSettings settings = context.getBean(RedisClusterSettings.class);
				assertThat(UUID.fromString(settings.nodeId())).isNotNull();
				assertThat(settings.keyPrefix()).isEqualTo("app:");
				assertThat(settings.sessionTtl()).hasSeconds(30);
			});
	}

	@Test
	void clusterHealthAndMetersOnlyWhenTheClusterIsOn() {
		WebApplicationContextRunner observed = this.runner
			.withConfiguration(AutoConfigurations.of(CryoClusterHealthContributorAutoConfiguration.class,
					CryoClusterMetricsAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new);
		observed.run((context) -> {
			assertThat(context).doesNotHaveBean("clusterHealthIndicator");
			assertThat(context).doesNotHaveBean(CryoClusterMeterBinder.class);
		});
		observed.withPropertyValues("cryo.cluster.redis.enabled=true").run((context) -> {
			assertThat(context).getBean("clusterHealthIndicator").isInstanceOf(CryoClusterHealthIndicator.class);
			assertThat(context).hasSingleBean(CryoClusterMeterBinder.class);
		});
		observed.withPropertyValues("cryo.cluster.redis.enabled=true", "management.health.cluster.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("clusterHealthIndicator"));
	}

	@Test
	void theCryoEndpointNamesTheClusterNode() {
		this.runner.withConfiguration(AutoConfigurations.of(CryoEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=cryo", "cryo.cluster.redis.enabled=true",
					"cryo.cluster.redis.node-id=node-7")
			.run((context) -> assertThat(context.getBean(CryoEndpoint.class).cryo().cluster())
				.isEqualTo(new CryoEndpoint.Cluster(true, "node-7")));
	}

}
