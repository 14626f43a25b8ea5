package dev.cryo.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.web.context.ServletContextAware;

/**
 * Sizes the servlet WebSocket container's per-connection message buffers from
 * {@code cryo.message-buffer-size}. The container allocates them for every connection, idle or
 * not, from its defaults (8 KiB binary and 8 Ki characters text on Tomcat); the Cryo endpoint
 * accepts partial messages, so it needs no buffer as large as its largest message and an idle
 * session should not pay for one.
 *
 * <p>The defaults are the container's, shared by every WebSocket endpoint of the application.
 * Other endpoints usually take whole messages only, and a smaller buffer would close their
 * larger messages with 1009; so unless the size is set explicitly, it is changed only when no
 * other WebSocket endpoint is declared ({@code WebSocketConfigurer},
 * {@code WebSocketMessageBrokerConfigurer} or {@code ServerEndpointExporter} beans).
 *
 * <p>The sizes are applied when the bean is initialized, as Spring's
 * {@code ServletServerContainerFactoryBean} does: after the embedded server has created its
 * container and before its connectors accept connections.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ServerContainer.class)
class CryoWebSocketContainerConfiguration {

	private static final Log logger = LogFactory.getLog(CryoWebSocketContainerConfiguration.class);

	/** What an unset {@code cryo.message-buffer-size} means when Cryo is the only endpoint. */
	static final DataSize DEFAULT_SIZE = DataSize.ofKilobytes(1);

	/** Beans that declare WebSocket endpoints besides Cryo's. */
	private static final String[] OTHER_ENDPOINT_TYPES = {
			"org.springframework.web.socket.config.annotation.WebSocketConfigurer",
			"org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer",
			"org.springframework.web.socket.server.standard.ServerEndpointExporter" };

	@Bean
	MessageBufferSizes cryoMessageBufferSizes(CryoProperties properties, ListableBeanFactory beanFactory) {
		DataSize configured = properties.getMessageBufferSize();
		if (configured != null) {
			return new MessageBufferSizes((int) configured.toBytes());
		}
		List<String> others = otherEndpointBeans(beanFactory);
		if (!others.isEmpty()) {
			logger.info("Keeping the WebSocket container's message buffer sizes: the application declares other "
					+ "WebSocket endpoints " + others + "; set cryo.message-buffer-size to size them anyway");
			return new MessageBufferSizes(null);
		}
		return new MessageBufferSizes((int) DEFAULT_SIZE.toBytes());
	}

	private static List<String> otherEndpointBeans(ListableBeanFactory beanFactory) {
		List<String> names = new ArrayList<>();
		ClassLoader classLoader = CryoWebSocketContainerConfiguration.class.getClassLoader();
		for (String typeName : OTHER_ENDPOINT_TYPES) {
			if (ClassUtils.isPresent(typeName, classLoader)) {
				Class<?> type = ClassUtils.resolveClassName(typeName, classLoader);
				names.addAll(List.of(beanFactory.getBeanNamesForType(type, true, false)));
			}
		}
		return names;
	}

	/** Applies the sizes to the container found in the servlet context, if there is one. */
	static final class MessageBufferSizes implements ServletContextAware {

		private final @Nullable Integer size;

		MessageBufferSizes(@Nullable Integer size) {
			this.size = size;
		}

		/**
		 * Returns the size applied to the container.
		 * @return the size in bytes, or {@code null} when the container's defaults are kept
		 */
		@Nullable Integer size() {
			return this.size;
		}

		@Override
		public void setServletContext(ServletContext servletContext) {
			Integer target = this.size;
			if (target != null
					&& servletContext.getAttribute(ServerContainer.class.getName()) instanceof ServerContainer container) {
				container.setDefaultMaxBinaryMessageBufferSize(target);
				container.setDefaultMaxTextMessageBufferSize(target);
			}
		}

	}

}
