package dev.cryo.boot.autoconfigure.endpoints;

import java.security.Principal;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import dev.cryo.boot.autoconfigure.CryoAutoConfiguration;
import dev.cryo.endpoint.EndpointRegistry;
import dev.cryo.endpoint.Multicaster;
import dev.cryo.endpoint.SettingsFilter;
import dev.cryo.endpoint.EndpointResponse;
import dev.cryo.endpoint.plugin.ApiPlugin;
import dev.cryo.endpoint.plugin.YoctopusPlugin;
import dev.cryo.endpoint.support.AuthorityResolver;
import dev.cryo.endpoint.support.ClusterMulticaster;
import dev.cryo.endpoint.support.ConnectionRegister;
import dev.cryo.endpoint.support.DefaultMulticaster;
import dev.cryo.endpoint.support.Envelopes;
import dev.cryo.endpoint.support.EndpointDispatcher;
import dev.cryo.endpoint.testing.InMemoryCluster;
import dev.cryo.endpoint.testing.RecordingConnection;
import dev.cryo.endpoint.wire.CryoEndpointMessageHandler;
import dev.cryo.endpoint.wire.YoctopusHandshakeInterceptor;
import dev.cryo.endpoint.wire.YoctopusWebSocketHandler;
import dev.cryo.server.CryoPrincipal;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.handler.CryoMessageHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conditions of {@link CryoEndpointsAutoConfiguration}.
 */
class CryoEndpointsAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CryoAutoConfiguration.class, CryoEndpointsAutoConfiguration.class))
		.withBean(TokenValidator.class, () -> "secret"::equals);

	@Test
	void contributesTheLayerAndRegistersTheBundledPlugins() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(EndpointDispatcher.class)
				.hasSingleBean(CryoEndpointMessageHandler.class)
				.hasSingleBean(YoctopusPlugin.class)
				.hasSingleBean(ApiPlugin.class)
				.hasSingleBean(CryoEndpointsScheduler.class)
				// The scheduler is no ScheduledExecutorService bean, which would take over @Scheduled.
				.doesNotHaveBean(ScheduledExecutorService.class)
				.doesNotHaveBean(YoctopusWebSocketHandler.class);
			EndpointRegistry registry = context.getBean(EndpointRegistry.class);
			assertThat(registry.plugin("yoctopus")).isPresent();
			assertThat(registry.plugin("api")).isPresent();
		});
	}

	@Test
	void theCryoWireComesBeforeMessageHandlersWithoutAnOrder() {
		CryoMessageHandler unordered = new CryoMessageHandler() {
		};
		this.contextRunner.withBean("unordered", CryoMessageHandler.class, () -> unordered)
			.run((context) -> assertThat(context.getBeanProvider(CryoMessageHandler.class).orderedStream().toList())
				.containsExactly(context.getBean(CryoEndpointMessageHandler.class), unordered));
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("cryo.endpoints.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(EndpointDispatcher.class)
				.doesNotHaveBean(CryoEndpointMessageHandler.class));
	}

	@Test
	void backsOffWithoutTheEndpointModule() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(EndpointDispatcher.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CryoEndpointMessageHandler.class));
	}

	@Test
	void theApiPluginCanBeSwitchedOff() {
		this.contextRunner.withPropertyValues("cryo.endpoints.api.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(ApiPlugin.class).hasSingleBean(YoctopusPlugin.class);
			assertThat(context.getBean(EndpointRegistry.class).plugin("api")).isEmpty();
		});
	}

	@Test
	void applicationBeansReplaceTheDefaults() {
		WireTestDispatcher dispatcher = new WireTestDispatcher();
		AuthorityResolver authorities = (principal) -> List.of("ROLE_TEST");
		this.contextRunner.withBean(EndpointDispatcher.class, () -> dispatcher)
			.withBean(AuthorityResolver.class, () -> authorities)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(EndpointDispatcher.class)).isSameAs(dispatcher);
				assertThat(context.getBean(AuthorityResolver.class)).isSameAs(authorities);
			});
	}

	@Test
	void theYoctopusEndpointIsMountedAtItsPath() {
		this.contextRunner.withPropertyValues("cryo.endpoints.websocket.path=/yoctopus")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(YoctopusWebSocketHandler.class)
				.hasSingleBean(YoctopusHandshakeInterceptor.class)
				.hasBean("yoctopusWebSocketHandlerMapping"));
	}

	@Test
	void theYoctopusPathMustDifferFromTheCryoPath() {
		this.contextRunner.withPropertyValues("cryo.endpoints.websocket.path=/cryo")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("cryo.endpoints.websocket.path must differ"));
	}

	@Test
	void invalidPropertiesFailTheStartup() {
		this.contextRunner.withPropertyValues("cryo.endpoints.websocket.max-lost-pings=-1")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("cryo.endpoints.websocket.max-lost-pings must not be negative"));
	}

	@Test
	void withSpringSecurityTheAuthoritiesAreThoseOfTheAuthentication() {
		this.contextRunner.run((context) -> {
			AuthorityResolver resolver = context.getBean(AuthorityResolver.class);
			Principal authentication = UsernamePasswordAuthenticationToken.authenticated("ada", "n/a",
					List.of(new SimpleGrantedAuthority("ROLE_ADMIN")));
			assertThat(resolver.authoritiesOf(authentication)).containsExactly("ROLE_ADMIN");
			assertThat(resolver.authoritiesOf(new CryoPrincipal("ada"))).isEmpty();
		});
	}

	@Test
	void withoutSpringSecurityNoPrincipalHasAuthorities() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Authentication.class))
			.run((context) -> assertThat(context.getBean(AuthorityResolver.class)).isSameAs(AuthorityResolver.NONE));
	}

	@Test
	void theMetersCountResponsesByOutcomeAndConnectionsByWire() {
		this.contextRunner.run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			CryoEndpointsMeterBinder binder = context.getBean(CryoEndpointsMeterBinder.class);
			binder.bindTo(registry);
			JsonMapper mapper = JsonMapper.builder().build();
			EndpointResponse ok = new EndpointResponse(mapper.createObjectNode(), mapper.nullNode(), List.of());
			EndpointResponse error = new EndpointResponse(mapper.createObjectNode(), null, List.of("bad"));
			binder.onResponseSent(null, null, ok);
			binder.onResponseSent(null, null, ok);
			binder.onResponseSent(null, null, error);
			assertThat(registry.get(CryoEndpointsMeterBinder.REQUESTS).tag("outcome", "ok").counter().count())
				.isEqualTo(2);
			assertThat(registry.get(CryoEndpointsMeterBinder.REQUESTS).tag("outcome", "error").counter().count())
				.isEqualTo(1);
			assertThat(registry.get(CryoEndpointsMeterBinder.CONNECTIONS).tag("wire", "cryo").gauge().value())
				.isZero();
			assertThat(registry.find(CryoEndpointsMeterBinder.CONNECTIONS).tag("wire", "yoctopus").gauge()).isNull();
		});
	}

	@Test
	void theDispatchersLimitsAreCountedByTheMetersAndPendingRequestsAreAGauge() {
		this.contextRunner.withPropertyValues("cryo.endpoints.max-request-length=16").run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(CryoEndpointsMeterBinder.class).bindTo(registry);
			EndpointDispatcher dispatcher = context.getBean(EndpointDispatcher.class);
			RecordingConnection connection = new RecordingConnection("limits");
			connection.setSettings(dispatcher.createSettings(connection));
			dispatcher.opened(connection);
			dispatcher.dispatch(connection, "{\"meta\":{\"id\":\"1\",\"endpoint\":\"api:api\",\"method\":\"read\"}}");
			assertThat(connection.nextJson().get("error").asString())
				.isEqualTo("Request too large (limit 16 characters).");
			assertThat(registry.get(CryoEndpointsMeterBinder.LIMITS_EXCEEDED).tag("limit", "request-length").counter()
				.count()).isEqualTo(1);
			assertThat(registry.get(CryoEndpointsMeterBinder.LIMITS_EXCEEDED).tag("limit", "lost-pings").counter()
				.count()).isZero();
			assertThat(registry.get(CryoEndpointsMeterBinder.PENDING).gauge().value()).isZero();
			dispatcher.closed(connection);
		});
	}

	@Test
	void aSingleNodeMulticastsLocally() {
		this.contextRunner.run((context) -> assertThat(context).getBean(Multicaster.class)
			.isInstanceOf(DefaultMulticaster.class));
	}

	@Test
	void withAClusterBroadcasterMulticastsTravelBothWaysAndAreCounted() throws Exception {
		try (InMemoryCluster cluster = new InMemoryCluster()) {
			ClusterBroadcaster contextNode = cluster.node("context");
			JsonMapper mapper = JsonMapper.builder().build();
			ConnectionRegister otherRegister = new ConnectionRegister();
			ClusterMulticaster otherNode = new ClusterMulticaster(otherRegister, new Envelopes(mapper),
					cluster.node("other"), mapper, ClusterMulticaster.DEFAULT_MAX_MESSAGE_SIZE);
			otherNode.start();
			this.contextRunner.withBean(ClusterBroadcaster.class, () -> contextNode).run((context) -> {
				assertThat(context).hasNotFailed().getBean(Multicaster.class).isInstanceOf(ClusterMulticaster.class);
				ClusterMulticaster multicaster = (ClusterMulticaster) context.getBean(Multicaster.class);
				assertThat(multicaster.isRunning()).as("subscribed when the context started").isTrue();
				EndpointDispatcher dispatcher = context.getBean(EndpointDispatcher.class);
				RecordingConnection here = new RecordingConnection("here");
				here.setSettings(dispatcher.createSettings(here));
				dispatcher.opened(here);
				RecordingConnection there = new RecordingConnection("there");
				there.setSettings(dispatcher.createSettings(there));
				otherRegister.add(there);

				otherNode.multicast(SettingsFilter.all(), "ping", "from the other node");
				assertThat(here.nextJson().get("data").asString()).isEqualTo("from the other node");
				assertThat(there.nextJson().get("data").asString()).isEqualTo("from the other node");
				assertThat(multicaster.multicast(SettingsFilter.all(), "ping", "from the context")).isOne();
				assertThat(here.nextJson().get("data").asString()).isEqualTo("from the context");
				assertThat(there.nextJson().get("data").asString()).isEqualTo("from the context");

				// A message is counted as received after its delivery returned, which may be
				// just after "here" saw it.
				cluster.settle();
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(CryoEndpointsMeterBinder.class).bindTo(registry);
				assertThat(registry.get(CryoEndpointsMeterBinder.CLUSTER_MULTICASTS)
					.tag("direction", "published")
					.functionCounter()
					.count()).isEqualTo(1);
				assertThat(registry.get(CryoEndpointsMeterBinder.CLUSTER_MULTICASTS)
					.tag("direction", "received")
					.functionCounter()
					.count()).isEqualTo(1);
				assertThat(registry.get(CryoEndpointsMeterBinder.CLUSTER_MULTICASTS_DROPPED)
					.tag("reason", "too-large")
					.functionCounter()
					.count()).isZero();
				dispatcher.closed(here);
				context.close();
				assertThat(multicaster.isRunning()).as("unsubscribed when the context closed").isFalse();
			});
			otherNode.close();
		}
	}

	@Test
	void theClusterMessageSizeIsConfigurableAndChecked() {
		this.contextRunner.withPropertyValues("cryo.endpoints.cluster.max-message-size=10B")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void anApplicationMulticasterWinsInACluster() {
		Multicaster own = (filter, type, data) -> 0;
		try (InMemoryCluster cluster = new InMemoryCluster()) {
			this.contextRunner.withBean(ClusterBroadcaster.class, () -> cluster.node("context"))
				.withBean(Multicaster.class, () -> own)
				.run((context) -> assertThat(context).getBean(Multicaster.class).isSameAs(own));
		}
	}

}
