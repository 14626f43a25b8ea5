package dev.cryo.boot.autoconfigure;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.ServletContextAware;

/**
 * Sizes the servlet WebSocket container's per-connection message buffers from
 * {@code cryo.message-buffer-size}. The container allocates them for every connection, idle or
 * not, from its defaults (8 KiB binary and 8 Ki characters text on Tomcat); the Cryo endpoint
 * accepts partial messages, so it needs no buffer as large as its largest message and an idle
 * session should not pay for one.
 *
 * <p>The sizes are applied when the bean is initialized, as Spring's
 * {@code ServletServerContainerFactoryBean} does: after the embedded server has created its
 * container and before its connectors accept connections.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ServerContainer.class)
class CryoWebSocketContainerConfiguration {

	@Bean
	MessageBufferSizes cryoMessageBufferSizes(CryoProperties properties) {
		return new MessageBufferSizes((int) properties.getMessageBufferSize().toBytes());
	}

	/** Applies the sizes to the container found in the servlet context, if there is one. */
	static final class MessageBufferSizes implements ServletContextAware {

		private final int size;

		MessageBufferSizes(int size) {
			this.size = size;
		}

		@Override
		public void setServletContext(ServletContext servletContext) {
			if (servletContext.getAttribute(ServerContainer.class.getName()) instanceof ServerContainer container) {
				container.setDefaultMaxBinaryMessageBufferSize(this.size);
				container.setDefaultMaxTextMessageBufferSize(this.size);
			}
		}

	}

}
