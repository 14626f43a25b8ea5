package dev.cryo.boot.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.tomcat.SslConnectorCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Serves the Cryo endpoint on a dedicated Tomcat connector ({@code cryo.port}), optionally with
 * TLS from an SSL bundle ({@code cryo.ssl.bundle}), and publishes the bound port as
 * {@code local.cryo.port}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(TomcatServletWebServerFactory.class)
@ConditionalOnProperty("cryo.port")
@ConditionalOnProperty(name = "cryo.transport", havingValue = "servlet", matchIfMissing = true)
class CryoDedicatedPortConfiguration {

	private static final Log logger = LogFactory.getLog(CryoDedicatedPortConfiguration.class);

	@Bean
	CryoConnector cryoConnector(CryoProperties properties, ObjectProvider<SslBundles> sslBundles) {
		Integer port = properties.getPort();
		CryoConnector connector = new CryoConnector((port != null) ? port : 0,
				properties.getTomcat().isSeparateSendCompletions());
		String bundle = properties.getSsl().getBundle();
		if (bundle != null) {
			SslBundles bundles = sslBundles.getObject();
			SslConnectorCustomizer customizer = new SslConnectorCustomizer(logger, connector.connector(),
					properties.getSsl().getClientAuth());
			customizer.customize(bundles.getBundle(bundle), Map.of());
			// As Boot does for server.ssl: a bundle that reloads on update (renewed certificates)
			// reaches the running connector, and new connections get it without a restart.
			bundles.addBundleUpdateHandler(bundle, (updated) -> customizer.update(null, updated));
		}
		return connector;
	}

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> cryoConnectorCustomizer(CryoConnector connector) {
		return (factory) -> factory.addAdditionalConnectors(connector.connector());
	}

	@Bean
	FilterRegistrationBean<CryoPortFilter> cryoPortFilter(CryoConnector connector, CryoProperties properties,
			Environment environment) {
		FilterRegistrationBean<CryoPortFilter> registration = new FilterRegistrationBean<>(new CryoPortFilter(connector,
				properties.endpointPaths(), sharedPrefixes(properties), sharedPaths(environment)));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/** The JavaScript client is served on both ports, so a page can take it from either. */
	private static List<String> sharedPrefixes(CryoProperties properties) {
		CryoProperties.ClientScript clientScript = properties.getClientScript();
		return clientScript.isEnabled() ? List.of(clientScript.getPath() + "/") : List.of();
	}

	/**
	 * yoctopus's WebSocket endpoint (cryo-endpoint) is served on both ports, as the Cryo endpoint's
	 * clients may reach it on either. Read by name: the endpoint layer is optional.
	 */
	private static Set<String> sharedPaths(Environment environment) {
		String yoctopusPath = environment.getProperty("cryo.endpoints.websocket.path");
		return StringUtils.hasText(yoctopusPath) ? Set.of(yoctopusPath) : Set.of();
	}

	@Bean
	static ApplicationListener<WebServerInitializedEvent> cryoPortPublisher(ObjectProvider<CryoConnector> connector) {
		return (event) -> CryoPortPublisher.publish(event.getApplicationContext(), connector.getObject().localPort());
	}

}
