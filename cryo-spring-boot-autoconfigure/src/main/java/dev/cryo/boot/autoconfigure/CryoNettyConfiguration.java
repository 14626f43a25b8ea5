package dev.cryo.boot.autoconfigure;

import java.util.Arrays;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.web.server.Ssl;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextRefreshedEvent;

import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.CryoServer;
import dev.cryo.server.netty.NettyCryoServer;
import dev.cryo.server.support.DefaultCryoServer;

/**
 * Serves the Cryo endpoint with Netty ({@code cryo.transport=netty}, cryo-server-netty on the
 * class path) on {@code cryo.port}, optionally with TLS from an SSL bundle
 * ({@code cryo.ssl.bundle}, {@code cryo.ssl.client-auth}) as the dedicated Tomcat connector
 * does, and publishes the bound port as {@code local.cryo.port}. The servlet endpoint is not
 * mapped then, and no dedicated Tomcat connector is created.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "cryo.transport", havingValue = "netty")
class CryoNettyConfiguration {

	private static final Log logger = LogFactory.getLog(CryoNettyConfiguration.class);

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(NettyCryoServer.class)
	static class NettyServerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NettyCryoServer cryoNettyServer(CryoServer server, CryoAuthenticator authenticator, CryoProperties properties,
				ObjectProvider<SslBundles> sslBundles) {
			if (!(server instanceof DefaultCryoServer implementation)) {
				throw new IllegalStateException("cryo.transport=netty needs a DefaultCryoServer, but the CryoServer "
						+ "bean is a " + server.getClass().getName() + "; define a NettyCryoServer bean for it");
			}
			Integer port = properties.getPort();
			if (port == null) {
				// CryoProperties refuses this already; kept for a context without its validation.
				throw new IllegalStateException("cryo.transport=netty needs cryo.port: the Netty transport serves "
						+ "the Cryo endpoint on a port of its own");
			}
			if (properties.getCompression().isEnabled()) {
				logger.warn("cryo.compression.enabled has no effect with cryo.transport=netty: the Netty transport "
						+ "does not negotiate permessage-deflate");
			}
			CryoProperties.Netty netty = properties.getNetty();
			NettyCryoServer.Builder builder = NettyCryoServer.builder(implementation, authenticator)
				.port(port)
				.paths(properties.endpointPaths())
				.authenticationTimeout(properties.getAuthentication().getTimeout())
				.allowedOrigins(properties.getAllowedOrigins(), properties.getAllowedOriginPatterns())
				.handlerThreads(netty.getHandlerThreads())
				.upgradeThreads(netty.getUpgradeThreads(), netty.getUpgradeQueueCapacity())
				.upgradeTimeout(netty.getUpgradeTimeout())
				.maxUpgradeRequestSize((int) netty.getMaxUpgradeRequestSize().toBytes());
			if (netty.getEventLoopThreads() > 0) {
				builder.eventLoopThreads(netty.getEventLoopThreads());
			}
			String bundleName = properties.getSsl().getBundle();
			SslBundles bundles = (bundleName != null) ? sslBundles.getObject() : null;
			ClientAuth clientAuth = clientAuth(properties.getSsl().getClientAuth());
			if (bundles != null && bundleName != null) {
				builder.sslContext(sslContext(bundles.getBundle(bundleName), clientAuth));
			}
			NettyCryoServer nettyServer = builder.build();
			if (bundles != null && bundleName != null) {
				// As for the dedicated Tomcat connector: renewed certificates reach new connections.
				bundles.addBundleUpdateHandler(bundleName,
						(updated) -> nettyServer.updateSslContext(sslContext(updated, clientAuth)));
			}
			return nettyServer;
		}

		@Bean
		static ApplicationListener<ContextRefreshedEvent> cryoNettyPortPublisher(
				ObjectProvider<NettyCryoServer> server) {
			return (event) -> CryoPortPublisher.publish(event.getApplicationContext(), server.getObject().port());
		}

		/** The bundle's key and trust material, protocols and ciphers, as Boot's Reactor Netty server takes them. */
		private static SslContext sslContext(SslBundle bundle, ClientAuth clientAuth) {
			SslManagerBundle managers = bundle.getManagers();
			SslContextBuilder builder = SslContextBuilder.forServer(managers.getKeyManagerFactory())
				.trustManager(managers.getTrustManagerFactory())
				.clientAuth(clientAuth);
			SslOptions options = bundle.getOptions();
			String[] protocols = options.getEnabledProtocols();
			if (protocols != null) {
				builder.protocols(protocols);
			}
			String[] ciphers = options.getCiphers();
			if (ciphers != null) {
				builder.ciphers(Arrays.asList(ciphers));
			}
			try {
				return builder.build();
			}
			catch (SSLException ex) {
				throw new IllegalStateException("Cryo could not create the TLS context of the Netty transport", ex);
			}
		}

		private static ClientAuth clientAuth(Ssl.@Nullable ClientAuth clientAuth) {
			if (clientAuth == null) {
				return ClientAuth.NONE;
			}
			return switch (clientAuth) {
				case NONE -> ClientAuth.NONE;
				case WANT -> ClientAuth.OPTIONAL;
				case NEED -> ClientAuth.REQUIRE;
			};
		}

	}

	/** {@code cryo.transport=netty} without the module: fail at start rather than serve nothing. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("dev.cryo.server.netty.NettyCryoServer")
	static class MissingNettyConfiguration {

		MissingNettyConfiguration() {
			throw new IllegalStateException(
					"cryo.transport=netty needs dev.cryo:cryo-server-netty on the class path; add it, or remove "
							+ "cryo.transport to serve the Cryo endpoint with the servlet container");
		}

	}

}
