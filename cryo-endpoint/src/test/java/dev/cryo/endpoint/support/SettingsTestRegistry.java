package dev.cryo.endpoint.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.cryo.endpoint.EndpointRegistry;
import dev.cryo.endpoint.PluginDefinition;

/**
 * A minimal {@link EndpointRegistry} for the settings, multicast and plugin tests: plugins by
 * name in registration order, change listeners run after each change.
 */
public final class SettingsTestRegistry implements EndpointRegistry {

	private final Map<String, PluginDefinition> plugins = new LinkedHashMap<>();

	private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();

	@Override
	public Registration register(PluginDefinition plugin) {
		synchronized (this.plugins) {
			if (this.plugins.putIfAbsent(plugin.name(), plugin) != null) {
				throw new IllegalStateException("Plugin '" + plugin.name() + "' is already registered");
			}
		}
		this.changeListeners.forEach(Runnable::run);
		return () -> {
			boolean removed;
			synchronized (this.plugins) {
				removed = this.plugins.remove(plugin.name(), plugin);
			}
			if (removed) {
				this.changeListeners.forEach(Runnable::run);
			}
		};
	}

	@Override
	public Optional<PluginDefinition> plugin(String name) {
		synchronized (this.plugins) {
			return Optional.ofNullable(this.plugins.get(name));
		}
	}

	@Override
	public List<PluginDefinition> plugins() {
		synchronized (this.plugins) {
			return new ArrayList<>(this.plugins.values());
		}
	}

	@Override
	public void addChangeListener(Runnable listener) {
		this.changeListeners.add(listener);
	}

}
