package dev.cryo.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.camp.CampDialect;
import dev.cryo.core.dialect.legacy.LegacyDialect;
import dev.cryo.core.engine.BackpressureSettings;
import dev.cryo.core.engine.SessionOptions;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.CryoExtension;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoServerSettings;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.LocalClusterBroadcaster;
import dev.cryo.server.cluster.LocalSessionDirectory;
import dev.cryo.server.cluster.SessionDirectory;
import dev.cryo.server.handler.CryoMessageHandler;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.support.CryoServerLifecycle;
import dev.cryo.server.support.DefaultCryoServer;
import dev.cryo.server.support.PooledAuthenticator;
import dev.cryo.server.web.CryoHandshakeHandler;
import dev.cryo.server.web.CryoHandshakeInterceptor;
import dev.cryo.server.web.CryoOriginInterceptor;
import dev.cryo.server.web.CryoWebSocketHandler;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * the Cryo server: the {@link CryoServer} (a {@link DefaultCryoServer}) and its
 * {@link CryoServerLifecycle}, its WebSocket handler, its origin and handshake interceptors,
 * and a handler mapping that mounts the endpoint at {@code cryo.path}.
 *
 * <p>The server is given every {@link CryoExtension} and {@link CryoMessageHandler} bean in
 * order, the {@link SessionDirectory} and the {@link ClusterBroadcaster} beans (the local,
 * in-memory ones unless the application defines its own) and every {@link CryoServerObserver}.
 *
 * <p>{@link CryoDialect} beans are spoken next to Cryo v1: at each upgrade they are asked in
 * their order ({@code Ordered}, {@code @Order}) whether they recognise the request, and v1,
 * asked last, takes every request they leave. CAMP is such a bean, asked first, unless
 * {@code cryo.dialects.camp.enabled} is {@code false}, and the legacy generation another, asked
 * second, unless {@code cryo.dialects.legacy.enabled} is {@code false}.
 *
 * <p>Upgrades are authenticated by exactly one {@link CryoAuthenticator}: the application's
 * bean, else one made of Spring Security's resource server ({@code CryoSecurityAutoConfiguration}),
 * else one made of its {@link TokenValidator} bean (run on a pool of
 * {@code cryo.authentication.max-threads}, sessions of principal {@code anonymous}). With
 * neither, the application still starts, refuses every upgrade with 401, and logs one warning
 * that says why.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ WebSocketHandler.class, HandlerMapping.class, CryoServer.class })
@ConditionalOnBooleanProperty(name = "cryo.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CryoProperties.class)
@Import({ CryoDedicatedPortConfiguration.class, CryoNettyConfiguration.class, CryoWebSocketContainerConfiguration.class,
		CryoTomcatProtocolConfiguration.class })
public final class CryoAutoConfiguration {

	/** Ahead of the HTTP handler mappings, as Boot's GraphQL WebSocket endpoint does. */
	private static final int HANDLER_MAPPING_ORDER = -2;

	private static final Log logger = LogFactory.getLog(CryoAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	CryoServerSettings cryoServerSettings(CryoProperties properties) {
		BackpressureSettings backpressure = properties.getBackpressure()
			.toSettings()
			.withMaxExpeditedFrames(properties.getLimits().getMaxExpeditedFrames());
		SessionOptions sessionOptions = new SessionOptions(properties.getAckTimeout(),
				properties.getEndpointInfoTimeout(), properties.getMaxMalformedFrames(),
				SessionOptions.DEFAULTS.closeTimeout(), backpressure, properties.getSendTimeout(),
				properties.getTransactions().toOptions(), properties.getFirstFrameDelay(),
				properties.getEndpointInfoGrace(), properties.getV1().getTransactionLayout().toLayout());
		return new CryoServerSettings(properties.getKeepAliveInterval(), sessionOptions, properties.getMaxSessions(),
				properties.getShutdown().getGracePeriod(), properties.getLimits().toReceiveLimits(),
				properties.getGroups().toLimits());
	}

	/**
	 * CAMP (camp.md), asked before every other dialect bean: a request that offers the
	 * {@code camp} subprotocol or carries a CAMP sid parameter is CAMP whatever else it looks
	 * like (§1 rule 1).
	 */
	@Bean
	@ConditionalOnBooleanProperty(name = "cryo.dialects.camp.enabled", matchIfMissing = true)
	@Order(Ordered.HIGHEST_PRECEDENCE)
	CampDialect cryoCampDialect() {
		return CampDialect.INSTANCE;
	}

	/**
	 * The legacy generation (legacy-v0.md), asked right after CAMP: a request whose
	 * {@code x-cryo-sid} is a UUID (§10.1 rule 1), with CALE on the paths of
	 * {@code cryo.dialects.legacy.cale-paths} (§10.2). On by default, as issue 15 asks;
	 * legacy-v0.md §10 describes it as opt-in (default off), and
	 * {@code cryo.dialects.legacy.enabled=false} gives that behaviour: UUID sids are then refused
	 * by the v1 rules with 401 {@code Invalid SID supplied.}
	 */
	@Bean
	@ConditionalOnBooleanProperty(name = "cryo.dialects.legacy.enabled", matchIfMissing = true)
	@Order(Ordered.HIGHEST_PRECEDENCE + 1)
	LegacyDialect cryoLegacyDialect(CryoProperties properties) {
		CryoProperties.Dialects.Legacy legacy = properties.getDialects().getLegacy();
		return LegacyDialect.withCalePaths(legacy.getCalePaths(), legacy.getCaleFailureBlock())
			.withReconnectProbe(legacy.getReconnectProbe());
	}

	@Bean
	@ConditionalOnMissingBean
	SessionDirectory cryoSessionDirectory() {
		return new LocalSessionDirectory();
	}

	@Bean
	@ConditionalOnMissingBean
	ClusterBroadcaster cryoClusterBroadcaster() {
		return new LocalClusterBroadcaster();
	}

	@Bean
	@ConditionalOnMissingBean
	CryoServer cryoServer(CryoServerSettings settings, CryoProperties properties,
			ApplicationEventPublisher eventPublisher, ListableBeanFactory beanFactory,
			ObjectProvider<CryoServerObserver> observers,
			ObjectProvider<CryoMessageHandler> messageHandlers, SessionDirectory sessionDirectory,
			ClusterBroadcaster clusterBroadcaster, ObjectProvider<CryoDialect> dialects) {
		// Observers (metrics), handlers and dialects are fixed for the server's life: each session is built with them.
		DefaultCryoServer server = DefaultCryoServer.builder(settings, eventPublisher)
			.observer(CryoServerObserver.of(observers.orderedStream().toList()))
			.messageHandlers(messageHandlers.orderedStream().toList())
			.sessionDirectory(sessionDirectory)
			.clusterBroadcaster(clusterBroadcaster)
			.dialects(dialects.orderedStream().toList())
			.closeOnTokenExpiry(properties.getAuthentication().isCloseOnExpiry())
			.build();
		for (String name : beanFactory.getBeanNamesForType(CryoExtension.class)) {
			CryoExtension extension = beanFactory.getBean(name, CryoExtension.class);
			server.registerExtension(extension, orderOf(name, extension, beanFactory));
		}
		return server;
	}

	/** The bean's order: its {@code Ordered} value, else {@code @Order} on its class or its {@code @Bean} method. */
	private static int orderOf(String name, CryoExtension extension, ListableBeanFactory beanFactory) {
		if (extension instanceof Ordered ordered) {
			return ordered.getOrder();
		}
		Order order = beanFactory.findAnnotationOnBean(name, Order.class);
		return (order != null) ? order.value() : Ordered.LOWEST_PRECEDENCE;
	}

	@Bean
	@ConditionalOnMissingBean
	CryoServerLifecycle cryoServerLifecycle(CryoServer server) {
		return implementation(server).lifecycle();
	}

	/**
	 * The application's {@link TokenValidator} as an authenticator, on a pool of its own so that
	 * a slow validator never holds a container thread beyond the authentication timeout; closed
	 * with the context.
	 */
	@Bean
	@ConditionalOnMissingBean(CryoAuthenticator.class)
	CryoAuthenticator cryoAuthenticator(ObjectProvider<TokenValidator> tokenValidator, CryoProperties properties) {
		TokenValidator validator = tokenValidator.getIfAvailable();
		if (validator == null) {
			logger.warn("No TokenValidator bean is defined, nor a CryoAuthenticator: every Cryo upgrade will be "
					+ "refused with 401. Define a TokenValidator or CryoAuthenticator bean to accept clients.");
			return CryoAuthenticator.denyAll();
		}
		CryoProperties.Authentication authentication = properties.getAuthentication();
		return PooledAuthenticator.of(validator, authentication.getMaxThreads(),
				authentication.getQueueCapacity());
	}

	@Bean
	@ConditionalOnMissingBean
	CryoHandshakeInterceptor cryoHandshakeInterceptor(CryoServer server, CryoAuthenticator authenticator,
			CryoProperties properties) {
		DefaultCryoServer implementation = implementation(server);
		return new CryoHandshakeInterceptor(authenticator, properties.getAuthentication().getTimeout(),
				implementation.sessionRegistry(), implementation.sessionFactory().observer(),
				implementation.sessionFactory().dialects());
	}

	@Bean
	@ConditionalOnMissingBean
	CryoOriginInterceptor cryoOriginInterceptor(CryoProperties properties,
			ObjectProvider<CryoServerObserver> observers) {
		// Refusals of foreign origins are counted with the other upgrade refusals.
		return new CryoOriginInterceptor(properties.getAllowedOrigins(), properties.getAllowedOriginPatterns(),
				CryoServerObserver.of(observers.orderedStream().toList()));
	}

	@Bean
	@ConditionalOnMissingBean
	CryoWebSocketHandler cryoWebSocketHandler(CryoServer server) {
		return new CryoWebSocketHandler(implementation(server).sessionFactory());
	}

	/**
	 * The lifecycle, handler and interceptor are wired to the default implementation's
	 * registry and factory; a server of another kind brings those beans itself.
	 */
	private static DefaultCryoServer implementation(CryoServer server) {
		if (server instanceof DefaultCryoServer implementation) {
			return implementation;
		}
		throw new IllegalStateException("The auto-configured Cryo lifecycle, WebSocket handler and handshake "
				+ "interceptor need a DefaultCryoServer, but the CryoServer bean is a " + server.getClass().getName()
				+ "; define CryoServerLifecycle, CryoWebSocketHandler and CryoHandshakeInterceptor beans for it");
	}

	@Bean
	@ConditionalOnMissingBean(name = "cryoWebSocketHandlerMapping")
	@ConditionalOnProperty(name = "cryo.transport", havingValue = "servlet", matchIfMissing = true)
	HandlerMapping cryoWebSocketHandlerMapping(CryoWebSocketHandler handler, CryoOriginInterceptor origins,
			CryoHandshakeInterceptor interceptor, CryoProperties properties) {
		WebSocketHttpRequestHandler requestHandler = new WebSocketHttpRequestHandler(handler,
				new CryoHandshakeHandler(properties.getCompression().isEnabled()));
		// Origins first: a browser page from a foreign origin is refused (403) before its token is looked at.
		requestHandler
			.setHandshakeInterceptors(List.of(origins, interceptor));
		WebSocketHandlerMapping mapping = new WebSocketHandlerMapping();
		// The legacy CALE paths are further mappings of the same endpoint (legacy-v0.md §10.2).
		Map<String, Object> urlMap = new LinkedHashMap<>();
		for (String path : properties.endpointPaths()) {
			urlMap.put(path, requestHandler);
		}
		mapping.setUrlMap(urlMap);
		mapping.setOrder(HANDLER_MAPPING_ORDER);
		return mapping;
	}

}
