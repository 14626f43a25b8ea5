package dev.cryo.endpoint.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.EndpointRegistry;

/**
 * Creates the settings of each connection, every declared plugin's defaults.
 */
public final class SettingsFactory {

	private final JsonBinder binder;

	/**
	 * Creates the factory.
	 * @param registry the plugins whose settings types are used
	 * @param binder binds and validates changes
	 * @param listeners told about changes
	 */
	public SettingsFactory(EndpointRegistry registry, JsonBinder binder, List<EndpointListener> listeners) {
		this.binder = binder;
	}

	/**
	 * Creates the settings of a new connection.
	 * @param owner the connection
	 * @return its settings
	 */
	public ConnectionSettings create(EndpointConnection owner) {
		return new MapSettings(this.binder);
	}

	/** A placeholder store: settings as plain maps, without types or validation. */
	private static final class MapSettings implements ConnectionSettings {

		private final JsonBinder binder;

		private final Map<String, Map<String, @Nullable Object>> values = new ConcurrentHashMap<>();

		MapSettings(JsonBinder binder) {
			this.binder = binder;
		}

		@Override
		public @Nullable Object get(String plugin, String setting) {
			Map<String, @Nullable Object> settings = this.values.get(plugin);
			return (settings != null) ? settings.get(setting) : null;
		}

		@Override
		public <T> T get(String plugin, Class<T> type) {
			return this.binder.mapper().convertValue(this.values.getOrDefault(plugin, Map.of()), type);
		}

		@Override
		public Map<String, Map<String, @Nullable Object>> asMap() {
			Map<String, Map<String, @Nullable Object>> copy = new LinkedHashMap<>();
			this.values.forEach((plugin, settings) -> copy.put(plugin, new LinkedHashMap<>(settings)));
			return copy;
		}

		@Override
		public synchronized void update(String plugin, Map<String, ? extends @Nullable Object> changes) {
			Map<String, @Nullable Object> merged = new LinkedHashMap<>(this.values.getOrDefault(plugin, Map.of()));
			merged.putAll(changes);
			this.values.put(plugin, merged);
		}

	}

}
