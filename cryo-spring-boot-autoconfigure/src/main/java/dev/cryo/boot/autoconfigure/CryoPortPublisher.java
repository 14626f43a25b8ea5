package dev.cryo.boot.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Publishes the port the Cryo endpoint listens on as {@code local.cryo.port}, next to Boot's own
 * {@code local.server.port}, in this context and its parents, whichever transport bound it.
 */
final class CryoPortPublisher {

	/** Boot keeps the {@code local.*.port} values in a property source of this name. */
	private static final String SERVER_PORTS_PROPERTY_SOURCE = "server.ports";

	private CryoPortPublisher() {
	}

	@SuppressWarnings("unchecked")
	static void publish(ApplicationContext context, int port) {
		if (context instanceof ConfigurableApplicationContext configurable) {
			MutablePropertySources sources = configurable.getEnvironment().getPropertySources();
			PropertySource<?> source = sources.get(SERVER_PORTS_PROPERTY_SOURCE);
			if (source == null) {
				source = new MapPropertySource(SERVER_PORTS_PROPERTY_SOURCE, new HashMap<>());
				sources.addFirst(source);
			}
			((Map<String, Object>) source.getSource()).put("local.cryo.port", port);
		}
		if (context.getParent() != null) {
			publish(context.getParent(), port);
		}
	}

}
