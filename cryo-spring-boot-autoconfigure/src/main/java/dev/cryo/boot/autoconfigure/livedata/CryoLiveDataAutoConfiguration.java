package dev.cryo.boot.autoconfigure.livedata;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.EntityManagerFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.EndpointRegistry;
import dev.cryo.livedata.LiveDataSubscriptions;
import dev.cryo.livedata.support.LiveDataModelDefinition;
import dev.cryo.livedata.support.LiveDataPlugin;
import dev.cryo.livedata.support.LiveDataSupport;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.LocalClusterBroadcaster;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * live data: with Hibernate and one {@link EntityManagerFactory}, the entities annotated
 * {@link dev.cryo.livedata.LiveData @LiveData} or configured under
 * {@code cryo.endpoints.live-data.models} are watched; the {@link LiveDataSubscriptions} bean
 * subscribes connections, the {@code live-data} plugin is registered with the
 * {@link EndpointRegistry} and the connection listener is an {@link EndpointListener} bean.
 *
 * <p>In a cluster (the context's {@link ClusterBroadcaster} is not the local one, e.g. with
 * {@code cryo.cluster.redis.enabled=true}), committed changes are published to the other nodes
 * and theirs delivered here; the {@link LiveDataSupport} bean subscribes when the context starts.
 */
@AutoConfiguration(afterName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ConditionalOnClass(name = { "dev.cryo.livedata.support.LiveDataSupport", "org.hibernate.SessionFactory",
		"jakarta.persistence.EntityManagerFactory" })
@ConditionalOnSingleCandidate(EntityManagerFactory.class)
@ConditionalOnBooleanProperty(name = "cryo.endpoints.live-data.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CryoLiveDataProperties.class)
public final class CryoLiveDataAutoConfiguration {

	private static final Log logger = LogFactory.getLog(CryoLiveDataAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	LiveDataSupport cryoLiveDataSupport(EntityManagerFactory entityManagerFactory, CryoLiveDataProperties properties,
			ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<ClusterBroadcaster> broadcaster) {
		List<LiveDataModelDefinition> models = new ArrayList<>();
		properties.getModels().forEach((name, model) -> {
			String entity = model.getEntity();
			Assert.state(entity != null && !entity.isBlank(),
					() -> "cryo.endpoints.live-data.models." + name + ".entity must name the entity class");
			models.add(new LiveDataModelDefinition(name, entity, model.getFields(), model.isAutoSubscribe()));
		});
		return LiveDataSupport.on(entityManagerFactory)
			.models(models)
			.maxSubscriptionsPerConnection(properties.getMaxSubscriptionsPerConnection())
			.maxChangesPerTransaction(properties.getMaxChangesPerTransaction())
			.jsonMapper(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()))
			.broadcaster(clusterBroadcaster(broadcaster))
			.maxClusterMessageSize(maxClusterMessageSize(properties))
			.install();
	}

	/**
	 * The broadcaster of a cluster, or none on a single node: the local broadcaster publishes to
	 * nobody, so changes are not even encoded for it.
	 */
	private static @Nullable ClusterBroadcaster clusterBroadcaster(ObjectProvider<ClusterBroadcaster> broadcaster) {
		ClusterBroadcaster candidate = broadcaster.getIfUnique();
		return (candidate instanceof LocalClusterBroadcaster) ? null : candidate;
	}

	private static int maxClusterMessageSize(CryoLiveDataProperties properties) {
		DataSize size = properties.getMaxClusterMessageSize();
		Assert.state(size != null && size.toBytes() >= 64 && size.toBytes() <= Integer.MAX_VALUE,
				"cryo.endpoints.live-data.max-cluster-message-size must be between 64B and 2GB");
		return (int) size.toBytes();
	}

	@Bean
	@ConditionalOnMissingBean
	LiveDataSubscriptions cryoLiveDataSubscriptions(LiveDataSupport liveData) {
		return liveData.subscriptions();
	}

	@Bean
	EndpointListener cryoLiveDataConnectionListener(LiveDataSupport liveData) {
		return liveData.listener();
	}

	/**
	 * Registers the bundled plugin once every singleton exists, when the application has the
	 * endpoint layer's registry: that registry may be defined by an auto-configuration ordered
	 * after this one, which a {@code @ConditionalOnBean} here could not see. A plugin of the same
	 * name registered by the application wins.
	 * @param liveData the live data
	 * @param registry the endpoint layer's registry, if the application has one
	 * @return the registrar
	 */
	@Bean
	static SmartInitializingSingleton cryoLiveDataPluginRegistrar(ObjectProvider<LiveDataSupport> liveData,
			ObjectProvider<EndpointRegistry> registry) {
		return () -> registry.ifUnique((endpoints) -> {
			if (endpoints.plugin(LiveDataPlugin.NAME).isPresent()) {
				logger.debug("A 'live-data' plugin is registered already; the bundled one is not");
				return;
			}
			endpoints.register(liveData.getObject().plugin());
		});
	}

	/** The meters, when Micrometer is present; Boot binds them to its registry. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CryoLiveDataMeterBinder cryoLiveDataMeterBinder(LiveDataSupport liveData) {
			return new CryoLiveDataMeterBinder(liveData);
		}

	}

}
