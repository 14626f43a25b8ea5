package dev.cryo.boot.autoconfigure.endpoints;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.validation.Validator;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import dev.cryo.boot.autoconfigure.CryoAutoConfiguration;
import dev.cryo.boot.autoconfigure.CryoProperties;
import dev.cryo.endpoint.CryoPlugin;
import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.EndpointRegistry;
import dev.cryo.endpoint.Multicaster;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.RequirementCheck;
import dev.cryo.endpoint.plugin.ApiPlugin;
import dev.cryo.endpoint.plugin.YoctopusPlugin;
import dev.cryo.endpoint.support.AnnotatedPlugins;
import dev.cryo.endpoint.support.AuthorityResolver;
import dev.cryo.endpoint.support.ClusterMulticaster;
import dev.cryo.endpoint.support.ConnectionRegister;
import dev.cryo.endpoint.support.DefaultEndpointDispatcher;
import dev.cryo.endpoint.support.DefaultEndpointRegistry;
import dev.cryo.endpoint.support.DefaultMulticaster;
import dev.cryo.endpoint.support.DispatcherLimits;
import dev.cryo.endpoint.support.EndpointDispatcher;
import dev.cryo.endpoint.support.EndpointLimitObserver;
import dev.cryo.endpoint.support.Envelopes;
import dev.cryo.endpoint.support.JsonBinder;
import dev.cryo.endpoint.support.RequestFormats;
import dev.cryo.endpoint.support.SettingsFactory;
import dev.cryo.endpoint.wire.CryoEndpointMessageHandler;
import dev.cryo.endpoint.wire.YoctopusHandshakeInterceptor;
import dev.cryo.endpoint.wire.YoctopusOriginInterceptor;
import dev.cryo.endpoint.wire.YoctopusOriginPolicy;
import dev.cryo.endpoint.wire.YoctopusWebSocketHandler;
import dev.cryo.endpoint.wire.YoctopusWireSettings;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.LocalClusterBroadcaster;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.web.CryoHandshakeHandler;
import dev.cryo.server.web.CryoOriginInterceptor;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the
 * endpoint layer ({@code cryo-endpoint}): the registry with the bundled {@code yoctopus} and
 * {@code api} plugins and every {@link CryoPlugin @CryoPlugin} bean, the dispatcher with every
 * {@link EndpointListener} bean (the bundled plugins first, then in {@code @Order}), the
 * {@link Multicaster} (in a cluster, one that carries multicasts to the other nodes through the
 * context's {@link ClusterBroadcaster}), and the wires: Cryo sessions always (a {@link CryoEndpointMessageHandler}
 * that claims endpoint requests), yoctopus's plain WebSocket at
 * {@code cryo.endpoints.websocket.path} when it is set. That endpoint shares the Cryo endpoint's
 * authenticator, authentication timeout and allowed origins ({@code cryo.allowed-origins}), unless
 * a {@link YoctopusOriginPolicy} bean decides the origins.
 *
 * <p>Request bodies are validated by the application's {@link Validator} bean when it has one
 * (Boot's), else by one of the default provider. The application may replace the dispatcher,
 * registry, multicaster, binder and authority resolver with beans of its own.
 */
@AutoConfiguration(after = CryoAutoConfiguration.class)
@ConditionalOnClass(EndpointDispatcher.class)
@ConditionalOnBooleanProperty(name = "cryo.endpoints.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CryoEndpointsProperties.class)
public final class CryoEndpointsAutoConfiguration {

	/**
	 * The order of the Cryo wire among the {@code CryoMessageHandler} beans: ahead of handlers
	 * without an order, since it claims only texts of the envelope's shape.
	 */
	public static final int MESSAGE_HANDLER_ORDER = 0;

	/** Ahead of the HTTP handler mappings, as the Cryo endpoint's mapping. */
	private static final int HANDLER_MAPPING_ORDER = -2;

	private static final String SCHEDULER = "cryoEndpointsScheduler";

	@Bean
	@ConditionalOnMissingBean
	JsonBinder cryoEndpointsJsonBinder(ObjectProvider<Validator> validators) {
		return new JsonBinder(validators.getIfUnique(CryoEndpointsAutoConfiguration::defaultValidator));
	}

	/** A validator of the default provider, for applications without Boot's validation. */
	private static Validator defaultValidator() {
		LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
		validator.afterPropertiesSet();
		return validator;
	}

	@Bean
	@ConditionalOnMissingBean
	Envelopes cryoEndpointsEnvelopes(JsonBinder binder) {
		return new Envelopes(binder.mapper());
	}

	@Bean
	@ConditionalOnMissingBean(EndpointRegistry.class)
	DefaultEndpointRegistry cryoEndpointRegistry() {
		return new DefaultEndpointRegistry();
	}

	@Bean
	@ConditionalOnMissingBean
	ConnectionRegister cryoEndpointsConnectionRegister() {
		return new ConnectionRegister();
	}

	/**
	 * The multicaster: this node's, or, when the context's {@link ClusterBroadcaster} reaches
	 * other nodes (it is not the local one), one that also publishes each multicast to them and
	 * delivers theirs here, subscribing when the context starts.
	 * @param register this node's connections
	 * @param envelopes writes notifications
	 * @param binder its mapper writes and reads filters
	 * @param broadcaster the context's broadcaster, if any
	 * @param properties the limits
	 * @return the multicaster
	 */
	@Bean
	@ConditionalOnMissingBean(Multicaster.class)
	Multicaster cryoEndpointsMulticaster(ConnectionRegister register, Envelopes envelopes, JsonBinder binder,
			ObjectProvider<ClusterBroadcaster> broadcaster, CryoEndpointsProperties properties) {
		ClusterBroadcaster cluster = broadcaster.getIfUnique();
		if (cluster == null || cluster instanceof LocalClusterBroadcaster) {
			// A single node: nobody to publish to, and a multicast that reaches nobody is not encoded.
			return new DefaultMulticaster(register, envelopes);
		}
		return new ClusterMulticaster(register, envelopes, cluster, binder.mapper(),
				(int) properties.getCluster().getMaxMessageSize().toBytes());
	}

	@Bean
	@ConditionalOnMissingBean
	RequestFormats cryoEndpointsRequestFormats(JsonBinder binder) {
		return new RequestFormats(binder.mapper());
	}

	@Bean
	@ConditionalOnMissingBean
	YoctopusPlugin cryoYoctopusPlugin() {
		return new YoctopusPlugin();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "cryo.endpoints.api.enabled", matchIfMissing = true)
	ApiPlugin cryoApiPlugin(EndpointRegistry registry, RequestFormats formats, Envelopes envelopes,
			ConnectionRegister register) {
		return new ApiPlugin(registry, formats, envelopes, register);
	}

	@Bean
	@ConditionalOnMissingBean
	AnnotatedPlugins cryoAnnotatedPlugins(EndpointRegistry registry, JsonBinder binder, Multicaster multicaster,
			ListableBeanFactory beanFactory) {
		// Checks are looked up when a plugin names them, so a misspelt name fails at startup.
		return new AnnotatedPlugins(registry, binder, multicaster,
				(name) -> beanFactory.getBean(name, RequirementCheck.class));
	}

	@Bean
	@ConditionalOnMissingBean
	SettingsFactory cryoEndpointsSettingsFactory(EndpointRegistry registry, JsonBinder binder,
			ObjectProvider<YoctopusPlugin> yoctopus, ObjectProvider<ApiPlugin> api,
			ObjectProvider<EndpointListener> listeners) {
		return new SettingsFactory(registry, binder, listeners(yoctopus, api, listeners));
	}

	/** The bundled plugins first, then every other listener in {@code @Order}. */
	private static List<EndpointListener> listeners(ObjectProvider<YoctopusPlugin> yoctopus,
			ObjectProvider<ApiPlugin> api, ObjectProvider<EndpointListener> listeners) {
		List<EndpointListener> ordered = new ArrayList<>();
		yoctopus.ifAvailable(ordered::add);
		api.ifAvailable(ordered::add);
		List<EndpointListener> bundled = List.copyOf(ordered);
		listeners.orderedStream().filter((listener) -> !bundled.contains(listener)).forEach(ordered::add);
		return ordered;
	}

	@Bean(SCHEDULER)
	@ConditionalOnMissingBean(name = SCHEDULER)
	CryoEndpointsScheduler cryoEndpointsScheduler() {
		return new CryoEndpointsScheduler();
	}

	@Bean
	@ConditionalOnMissingBean(EndpointDispatcher.class)
	DefaultEndpointDispatcher cryoEndpointDispatcher(EndpointRegistry registry, JsonBinder binder,
			SettingsFactory settingsFactory, ConnectionRegister register, Multicaster multicaster,
			ObjectProvider<YoctopusPlugin> yoctopus, ObjectProvider<ApiPlugin> api,
			ObjectProvider<EndpointListener> listeners, AuthorityResolver authorities,
			CryoEndpointsProperties properties, @Qualifier(SCHEDULER) CryoEndpointsScheduler scheduler,
			ObjectProvider<EndpointLimitObserver> limitObservers) {
		DispatcherLimits limits = new DispatcherLimits(properties.getMaxRequestLength(),
				properties.getMaxPendingRequests(), properties.getRequestTimeout(), properties.getRequirementTimeout());
		return new DefaultEndpointDispatcher(registry, binder, settingsFactory, register, multicaster,
				listeners(yoctopus, api, listeners), authorities, limits, scheduler.executor(),
				limitObserver(limitObservers));
	}

	/** Every observer of the limits (the meters, when Micrometer is present), or none. */
	private static EndpointLimitObserver limitObserver(ObjectProvider<EndpointLimitObserver> observers) {
		List<EndpointLimitObserver> all = observers.orderedStream().toList();
		return (all.size() == 1) ? all.get(0) : (limit) -> all.forEach((observer) -> observer.limitExceeded(limit));
	}

	@Bean
	CryoPluginRegistrar cryoPluginRegistrar(ListableBeanFactory beanFactory, EndpointRegistry registry,
			AnnotatedPlugins annotatedPlugins, ObjectProvider<YoctopusPlugin> yoctopus, ObjectProvider<ApiPlugin> api) {
		List<PluginDefinition> bundled = new ArrayList<>();
		yoctopus.ifAvailable((plugin) -> bundled.add(plugin.definition()));
		api.ifAvailable((plugin) -> bundled.add(plugin.definition()));
		return new CryoPluginRegistrar(beanFactory, registry, annotatedPlugins, bundled);
	}

	@Bean
	@ConditionalOnMissingBean
	@Order(MESSAGE_HANDLER_ORDER)
	CryoEndpointMessageHandler cryoEndpointMessageHandler(EndpointDispatcher dispatcher, Envelopes envelopes) {
		return new CryoEndpointMessageHandler(dispatcher, envelopes);
	}

	@Bean
	CryoEndpointsSessionEvents cryoEndpointsSessionEvents(CryoEndpointMessageHandler handler) {
		return new CryoEndpointsSessionEvents(handler);
	}

	/** Without Spring Security, no principal has authorities. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.security.core.Authentication")
	static class NoAuthoritiesConfiguration {

		@Bean
		@ConditionalOnMissingBean
		AuthorityResolver cryoEndpointsAuthorityResolver() {
			return AuthorityResolver.NONE;
		}

	}

	/**
	 * With Spring Security, a principal that is an {@link Authentication} (as Cryo sessions
	 * authenticated by the resource server have) has its granted authorities.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.core.Authentication")
	static class SpringSecurityAuthoritiesConfiguration {

		@Bean
		@ConditionalOnMissingBean
		AuthorityResolver cryoEndpointsAuthorityResolver() {
			return (principal) -> {
				if (principal instanceof Authentication authentication) {
					return authentication.getAuthorities()
						.stream()
						.map(GrantedAuthority::getAuthority)
						.filter((authority) -> authority != null)
						.toList();
				}
				return List.of();
			};
		}

	}

	/** The meters, when Micrometer is present; Boot binds them to its registry. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CryoEndpointsMeterBinder cryoEndpointsMeterBinder(ObjectProvider<CryoEndpointMessageHandler> cryoWire,
				ObjectProvider<YoctopusWebSocketHandler> yoctopusWire, ObjectProvider<EndpointDispatcher> dispatcher,
				ObjectProvider<Multicaster> multicaster) {
			return new CryoEndpointsMeterBinder(cryoWire, yoctopusWire, dispatcher, multicaster);
		}

	}

	/**
	 * yoctopus's plain-WebSocket endpoint at {@code cryo.endpoints.websocket.path}, mounted as the
	 * Cryo endpoint is (a handler mapping); with {@code cryo.port} it is served on both ports.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ WebSocketHandler.class, HandlerMapping.class })
	@ConditionalOnProperty("cryo.endpoints.websocket.path")
	@EnableConfigurationProperties(CryoProperties.class)
	static class YoctopusWireConfiguration {

		@Bean
		@ConditionalOnMissingBean
		YoctopusWebSocketHandler yoctopusWebSocketHandler(EndpointDispatcher dispatcher, Envelopes envelopes,
				CryoEndpointsProperties properties, @Qualifier(SCHEDULER) CryoEndpointsScheduler scheduler,
				ObjectProvider<EndpointLimitObserver> limitObservers) {
			CryoEndpointsProperties.WebSocket websocket = properties.getWebsocket();
			YoctopusWireSettings settings = new YoctopusWireSettings(websocket.getPingInterval(),
					websocket.getMaxLostPings(), (int) websocket.getMaxMessageSize().toBytes(),
					websocket.getSendTimeLimit(), (int) websocket.getSendBufferLimit().toBytes());
			return new YoctopusWebSocketHandler(dispatcher, envelopes, settings, scheduler.executor(),
					limitObserver(limitObservers));
		}

		@Bean
		@ConditionalOnMissingBean
		YoctopusHandshakeInterceptor yoctopusHandshakeInterceptor(ObjectProvider<CryoAuthenticator> authenticator,
				CryoProperties cryoProperties, CryoEndpointsProperties properties) {
			// The Cryo endpoint's authenticator; without one (Cryo disabled) every token is refused.
			return new YoctopusHandshakeInterceptor(authenticator.getIfUnique(CryoAuthenticator::denyAll),
					cryoProperties.getAuthentication().getTimeout(),
					properties.getWebsocket().isRequireAuthentication());
		}

		@Bean
		@ConditionalOnMissingBean(name = "yoctopusWebSocketHandlerMapping")
		HandlerMapping yoctopusWebSocketHandlerMapping(YoctopusWebSocketHandler handler,
				YoctopusHandshakeInterceptor authentication, ObjectProvider<YoctopusOriginPolicy> originPolicy,
				CryoProperties cryoProperties, CryoEndpointsProperties properties,
				ObjectProvider<CryoServerObserver> observers) {
			String path = properties.getWebsocket().getPath();
			if (cryoProperties.endpointPaths().contains(path)) {
				throw new IllegalStateException("cryo.endpoints.websocket.path must differ from the Cryo endpoint's paths "
						+ cryoProperties.endpointPaths());
			}
			YoctopusOriginPolicy policy = originPolicy.getIfUnique();
			HandshakeInterceptor origins = (policy != null) ? new YoctopusOriginInterceptor(policy)
					: new CryoOriginInterceptor(cryoProperties.getAllowedOrigins(),
							cryoProperties.getAllowedOriginPatterns(),
							CryoServerObserver.of(observers.orderedStream().toList()));
			// No compression, and the container never sees the token in the query (the handshake handler hides it).
			WebSocketHttpRequestHandler requestHandler = new WebSocketHttpRequestHandler(handler,
					new CryoHandshakeHandler(false));
			// Origins first: a page of a foreign origin is refused (403) before its token is looked at.
			requestHandler.setHandshakeInterceptors(List.of(origins, authentication));
			WebSocketHandlerMapping mapping = new WebSocketHandlerMapping();
			mapping.setUrlMap(Map.of(path, requestHandler));
			mapping.setOrder(HANDLER_MAPPING_ORDER);
			return mapping;
		}

	}

}
