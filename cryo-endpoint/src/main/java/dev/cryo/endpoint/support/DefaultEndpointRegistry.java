package dev.cryo.endpoint.support;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.cryo.endpoint.EndpointRegistry;
import dev.cryo.endpoint.PluginDefinition;

/**
 * TEMP placeholder of the engine for the wire branch: a map of plugins.
 */
public final class DefaultEndpointRegistry implements EndpointRegistry {

	private final Map<String, PluginDefinition> plugins = new ConcurrentHashMap<>();

	@Override
	public Registration register(PluginDefinition plugin) {
		this.plugins.put(plugin.name(), plugin);
		return () -> this.plugins.remove(plugin.name());
	}

	@Override
	public Optional<PluginDefinition> plugin(String name) {
		return Optional.ofNullable(this.plugins.get(name));
	}

	@Override
	public List<PluginDefinition> plugins() {
		return List.copyOf(this.plugins.values());
	}

	@Override
	public void addChangeListener(Runnable listener) {
	}

}
