package dev.cryo.boot.autoconfigure.livedata;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.persistence.EntityManagerFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointException;
import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.EndpointRegistry;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.livedata.LiveDataSubscription;
import dev.cryo.livedata.LiveDataSubscriptions;
import dev.cryo.endpoint.testing.InMemoryCluster;
import dev.cryo.livedata.support.LiveDataSupport;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.LocalClusterBroadcaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * Tests for {@link CryoLiveDataAutoConfiguration}.
 */
class CryoLiveDataAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CryoLiveDataAutoConfiguration.class))
		.withPropertyValues("cryo.endpoints.live-data.models.Article.entity=" + LiveArticle.class.getName(),
				"cryo.endpoints.live-data.models.Article.fields=headline",
				"cryo.endpoints.live-data.models.Article.auto-subscribe=true");

	@Test
	void watchesTheConfiguredModelsAndRegistersThePluginAndTheListener() {
		this.runner.withUserConfiguration(JpaConfiguration.class, RegistryConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(LiveDataSupport.class).hasSingleBean(LiveDataSubscriptions.class);
			assertThat(context.getBean(LiveDataSubscriptions.class).models()).containsExactly("Article");
			assertThat(context.getBean(RecordingRegistry.class).plugins()).extracting(PluginDefinition::name)
				.containsExactly("live-data");
			EndpointConnection connection = mock(EndpointConnection.class);
			given(connection.isOpen()).willReturn(true);
			context.getBean(EndpointListener.class).onConnectionOpened(connection);
			assertThat(context.getBean(LiveDataSubscriptions.class).subscriptions(connection))
				.containsExactly(new LiveDataSubscription("Article", null));
			EntityManagerFactory factory = context.getBean(EntityManagerFactory.class);
			context.getBean(TransactionTemplate.class)
				.executeWithoutResult((status) -> SharedEntityManagerCreator.createSharedEntityManager(factory)
					.persist(new LiveArticle("Live data", "do not publish")));
			ArgumentCaptor<String> text = ArgumentCaptor.forClass(String.class);
			verify(connection).sendText(text.capture());
			JsonNode notification = JsonMapper.builder().build().readTree(text.getValue());
			assertThat(notification.get("meta").get("type").asString()).isEqualTo("data-changed");
			JsonNode data = notification.get("data");
			assertThat(data.get("model").asString()).isEqualTo("Article");
			assertThat(data.get("fields").propertyNames()).containsExactly("id", "headline");
		});
	}

	@Test
	void limitsSubscriptionsPerConnectionAsConfiguredAndCountsTheRefusals() {
		this.runner.withUserConfiguration(JpaConfiguration.class)
			.withPropertyValues("cryo.endpoints.live-data.max-subscriptions-per-connection=1")
			.run((context) -> {
				LiveDataSubscriptions subscriptions = context.getBean(LiveDataSubscriptions.class);
				EndpointConnection connection = mock(EndpointConnection.class);
				given(connection.isOpen()).willReturn(true);
				subscriptions.subscribe(connection, "Article", 1);
				assertThatExceptionOfType(EndpointException.class).isThrownBy(() -> subscriptions.subscribe(connection, "Article", 2))
					.withMessage("Too many subscriptions (limit 1).");
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(CryoLiveDataMeterBinder.class).bindTo(registry);
				assertThat(registry.get(CryoLiveDataMeterBinder.SUBSCRIPTIONS).gauge().value()).isEqualTo(1);
				assertThat(registry.get(CryoLiveDataMeterBinder.LIMITS_EXCEEDED)
					.tag("limit", "subscriptions-per-connection")
					.functionCounter()
					.count()).isEqualTo(1);
				assertThat(registry.get(CryoLiveDataMeterBinder.LIMITS_EXCEEDED)
					.tag("limit", "changes-per-transaction")
					.functionCounter()
					.count()).isZero();
			});
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withUserConfiguration(JpaConfiguration.class)
			.withPropertyValues("cryo.endpoints.live-data.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LiveDataSupport.class)
				.doesNotHaveBean(LiveDataSubscriptions.class));
	}

	@Test
	void backsOffWithoutAnEntityManagerFactory() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LiveDataSupport.class));
	}

	@Test
	void aSingleNodeExchangesNothing() {
		this.runner.withUserConfiguration(JpaConfiguration.class)
			.withBean(ClusterBroadcaster.class, LocalClusterBroadcaster::new)
			.run((context) -> assertThat(context.getBean(LiveDataSupport.class).isClustered()).isFalse());
	}

	@Test
	void withAClusterBroadcasterCommittedChangesArePublishedToTheOtherNodes() throws Exception {
		try (InMemoryCluster cluster = new InMemoryCluster()) {
			ClusterBroadcaster contextNode = cluster.node("context");
			BlockingQueue<byte[]> published = new LinkedBlockingQueue<>();
			cluster.node("other").subscribe(LiveDataSupport.CLUSTER_TOPIC, (origin, payload) -> published.add(payload));
			this.runner.withUserConfiguration(JpaConfiguration.class)
				.withBean(ClusterBroadcaster.class, () -> contextNode)
				.run((context) -> {
					LiveDataSupport liveData = context.getBean(LiveDataSupport.class);
					assertThat(liveData.isClustered()).isTrue();
					assertThat(liveData.isRunning()).as("subscribed when the context started").isTrue();
					EntityManagerFactory factory = context.getBean(EntityManagerFactory.class);
					context.getBean(TransactionTemplate.class)
						.executeWithoutResult((status) -> SharedEntityManagerCreator.createSharedEntityManager(factory)
							.persist(new LiveArticle("Across nodes", "do not publish")));
					byte[] message = published.poll(10, TimeUnit.SECONDS);
					assertThat(message).isNotNull();
					assertThat(new String(message, StandardCharsets.UTF_8)).contains("Across nodes")
						.doesNotContain("do not publish");
					SimpleMeterRegistry registry = new SimpleMeterRegistry();
					context.getBean(CryoLiveDataMeterBinder.class).bindTo(registry);
					assertThat(registry.get(CryoLiveDataMeterBinder.CLUSTER_TRANSACTIONS)
						.tag("direction", "published")
						.functionCounter()
						.count()).isEqualTo(1);
					assertThat(registry.get(CryoLiveDataMeterBinder.CLUSTER_TRANSACTIONS_DROPPED)
						.tag("reason", "malformed")
						.functionCounter()
						.count()).isZero();
					context.close();
					assertThat(liveData.isRunning()).isFalse();
				});
		}
	}

	@Test
	void theClusterMessageSizeIsChecked() {
		this.runner.withUserConfiguration(JpaConfiguration.class)
			.withPropertyValues("cryo.endpoints.live-data.max-cluster-message-size=10B")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Configuration(proxyBeanMethods = false)
	static class JpaConfiguration {

		@Bean
		LocalContainerEntityManagerFactoryBean entityManagerFactory() {
			LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
			factory.setDataSource(new SimpleDriverDataSource(new org.h2.Driver(),
					"jdbc:h2:mem:live-autoconfigure-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", ""));
			factory.setPackagesToScan(LiveArticle.class.getPackageName());
			factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
			Properties properties = new Properties();
			properties.setProperty("hibernate.hbm2ddl.auto", "create-drop");
			factory.setJpaProperties(properties);
			return factory;
		}

		@Bean
		TransactionTemplate transactionTemplate(EntityManagerFactory entityManagerFactory) {
			return new TransactionTemplate(new JpaTransactionManager(entityManagerFactory));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RegistryConfiguration {

		@Bean
		RecordingRegistry endpointRegistry() {
			return new RecordingRegistry();
		}

	}

	static final class RecordingRegistry implements EndpointRegistry {

		private final List<PluginDefinition> plugins = new ArrayList<>();

		@Override
		public Registration register(PluginDefinition plugin) {
			this.plugins.add(plugin);
			return () -> this.plugins.remove(plugin);
		}

		@Override
		public Optional<PluginDefinition> plugin(String name) {
			return this.plugins.stream().filter((plugin) -> plugin.name().equals(name)).findFirst();
		}

		@Override
		public List<PluginDefinition> plugins() {
			return List.copyOf(this.plugins);
		}

		@Override
		public void addChangeListener(Runnable listener) {
		}

	}

}
