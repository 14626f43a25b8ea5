package dev.cryo.boot.autoconfigure;

import org.apache.coyote.http11.Http11NioProtocol;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cryo.boot.autoconfigure.tomcat.CryoHttp11NioProtocol;

/**
 * Gives Tomcat's connectors {@link CryoHttp11NioProtocol}, Tomcat's own NIO protocol with the
 * completions of asynchronous WebSocket sends on threads of their own, so that many clients
 * closing at once cannot stall the connector. Only a connector on Tomcat's default protocol is
 * changed: an application that chose another protocol keeps it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ TomcatServletWebServerFactory.class, Http11NioProtocol.class })
@ConditionalOnProperty(name = "cryo.transport", havingValue = "servlet", matchIfMissing = true)
@ConditionalOnProperty(name = "cryo.tomcat.separate-send-completions", havingValue = "true", matchIfMissing = true)
class CryoTomcatProtocolConfiguration {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> cryoTomcatProtocolCustomizer() {
		return (factory) -> {
			if (TomcatServletWebServerFactory.DEFAULT_PROTOCOL.equals(factory.getProtocol())) {
				factory.setProtocol(CryoHttp11NioProtocol.class.getName());
			}
		};
	}

}
