package dev.cryo.endpoint.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointException;
import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.PluginDefinition.SettingListenerDefinition;
import dev.cryo.endpoint.SettingChange;

/**
 * The settings of one connection. Reads go to an immutable snapshot published through a volatile
 * field, so that requirement checks and multicast filters never bind or lock; an update binds,
 * validates and publishes a new snapshot under the connection's lock, then runs the listeners
 * outside it (a listener may notify, or change settings of this or another connection, without
 * holding up or deadlocking with other updates). A typed read returns the object bound at the
 * last change, shared by every reader until the next one: it is to be read, not modified.
 */
final class DefaultConnectionSettings implements ConnectionSettings {

	private static final Log logger = LogFactory.getLog(DefaultConnectionSettings.class);

	private final SettingsFactory factory;

	private final EndpointConnection owner;

	private final ReentrantLock lock = new ReentrantLock();

	private volatile Map<String, PluginSettings> plugins = Collections.emptyMap();

	DefaultConnectionSettings(SettingsFactory factory, EndpointConnection owner) {
		this.factory = factory;
		this.owner = owner;
	}

	@Override
	public @Nullable Object get(String plugin, String setting) {
		PluginSettings settings = this.plugins.get(plugin);
		if (settings == null) {
			settings = initialize(plugin);
		}
		return (settings != null) ? settings.values().get(setting) : null;
	}

	@Override
	public <T> T get(String plugin, Class<T> type) {
		Class<?> declared = this.factory.settingsTypeOf(plugin);
		if (declared == null || !type.isAssignableFrom(declared)) {
			throw new IllegalArgumentException(
					"Plugin '" + plugin + "' declares no settings of type " + type.getName());
		}
		PluginSettings settings = current(plugin, declared);
		Object typed = settings.typed;
		if (typed == null) {
			// The values were validated when they were set (or are the type's defaults): binding
			// them back needs no strictness, only the type.
			typed = this.factory.lenientMapper().convertValue(settings.values(), declared);
			settings.typed = typed;
		}
		return type.cast(typed);
	}

	@Override
	public Map<String, Map<String, @Nullable Object>> asMap() {
		Map<String, Map<String, @Nullable Object>> result = new LinkedHashMap<>();
		for (PluginDefinition plugin : this.factory.registry().plugins()) {
			PluginSettings settings = this.plugins.get(plugin.name());
			if (settings == null) {
				settings = initialize(plugin.name());
			}
			if (settings != null) {
				result.put(plugin.name(), settings.values());
			}
		}
		// A plugin unregistered since keeps the values this connection had.
		this.plugins.forEach((name, settings) -> result.putIfAbsent(name, settings.values()));
		return Collections.unmodifiableMap(result);
	}

	@Override
	public void update(String plugin, Map<String, ? extends @Nullable Object> changes) {
		if (changes.isEmpty()) {
			return;
		}
		List<SettingChange> applied;
		this.lock.lock();
		try {
			Class<?> type = this.factory.settingsTypeOf(plugin);
			if (type == null) {
				throw unknownSettings(plugin, changes.keySet());
			}
			PluginSettings current = this.plugins.get(plugin);
			if (current == null || current.type() != type) {
				current = new PluginSettings(type, this.factory.defaultsOf(type));
			}
			Set<String> unknown = new LinkedHashSet<>(changes.keySet());
			unknown.removeAll(current.values().keySet());
			if (!unknown.isEmpty()) {
				throw unknownSettings(plugin, unknown);
			}
			Map<String, @Nullable Object> merged = new LinkedHashMap<>(current.values());
			merged.putAll(changes);
			JsonNode json = this.factory.binder().mapper().valueToTree(merged);
			Object bound = this.factory.binder().bind(json, type, "settings." + plugin);
			// The stored values are what the bound object writes, so that they are the type's
			// canonical JSON whatever form the change came in.
			Map<String, @Nullable Object> values = this.factory.toValues(bound);
			applied = differences(plugin, current.values(), values);
			PluginSettings next = new PluginSettings(type, values);
			next.typed = bound;
			publish(plugin, next);
		}
		finally {
			this.lock.unlock();
		}
		if (!applied.isEmpty()) {
			notifyListeners(applied);
		}
	}

	private @Nullable PluginSettings initialize(String plugin) {
		Class<?> type = this.factory.settingsTypeOf(plugin);
		return (type != null) ? current(plugin, type) : null;
	}

	/**
	 * Returns a plugin's settings for its declared type, creating the defaults when the plugin's
	 * settings were never read or it was registered again with another type.
	 */
	private PluginSettings current(String plugin, Class<?> type) {
		PluginSettings settings = this.plugins.get(plugin);
		if (settings != null && settings.type() == type) {
			return settings;
		}
		this.lock.lock();
		try {
			settings = this.plugins.get(plugin);
			if (settings == null || settings.type() != type) {
				settings = new PluginSettings(type, this.factory.defaultsOf(type));
				publish(plugin, settings);
			}
			return settings;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Publishes a new snapshot; called with the lock held. */
	private void publish(String plugin, PluginSettings settings) {
		Map<String, PluginSettings> next = new LinkedHashMap<>(this.plugins);
		next.put(plugin, settings);
		this.plugins = Collections.unmodifiableMap(next);
	}

	private static EndpointException unknownSettings(String plugin, Set<String> settings) {
		List<String> messages = new ArrayList<>();
		// Names are the client's: quoted as they are would let a long or odd one into the
		// response and logs, so they are bounded.
		settings.forEach((setting) -> messages.add("Unknown setting '" + plugin + "." + bounded(setting) + "'."));
		return new EndpointException(messages);
	}

	private static String bounded(String text) {
		StringBuilder result = new StringBuilder();
		int limit = Math.min(text.length(), 64);
		for (int i = 0; i < limit; i++) {
			char c = text.charAt(i);
			result.append(Character.isISOControl(c) ? '?' : c);
		}
		return (text.length() > limit) ? result + "…" : result.toString();
	}

	private static List<SettingChange> differences(String plugin, Map<String, @Nullable Object> before,
			Map<String, @Nullable Object> after) {
		List<SettingChange> changes = new ArrayList<>();
		Set<String> names = new LinkedHashSet<>(before.keySet());
		names.addAll(after.keySet());
		for (String name : names) {
			Object oldValue = before.get(name);
			Object newValue = after.get(name);
			if (!Objects.equals(oldValue, newValue)) {
				changes.add(new SettingChange(plugin, name, oldValue, newValue));
			}
		}
		return changes;
	}

	private void notifyListeners(List<SettingChange> changes) {
		List<SettingListenerDefinition> definitions = new ArrayList<>();
		this.factory.registry().plugins().forEach((plugin) -> definitions.addAll(plugin.settingListeners()));
		for (SettingChange change : changes) {
			for (SettingListenerDefinition definition : definitions) {
				if (definition.plugin().equals(change.plugin())
						&& (definition.setting() == null || definition.setting().equals(change.setting()))) {
					try {
						definition.listener().settingChanged(this.owner, change);
					}
					catch (RuntimeException ex) {
						logger.warn("Listener of setting '" + change.plugin() + "." + change.setting()
								+ "' threw for connection " + this.owner.id(), ex);
					}
				}
			}
		}
		List<SettingChange> unmodifiable = List.copyOf(changes);
		for (EndpointListener listener : this.factory.listeners()) {
			try {
				listener.onConnectionChanged(this.owner, unmodifiable);
			}
			catch (RuntimeException ex) {
				logger.warn("Endpoint listener " + listener.getClass().getName()
						+ " threw in onConnectionChanged for connection " + this.owner.id(), ex);
			}
		}
	}

	@Override
	public String toString() {
		// What was read or set so far: toString must not create defaults or ask the registry.
		Map<String, Map<String, @Nullable Object>> values = new LinkedHashMap<>();
		this.plugins.forEach((name, settings) -> values.put(name, settings.values()));
		return "ConnectionSettings" + values;
	}

	/**
	 * One plugin's settings: the values, and the typed object bound from them once asked for.
	 */
	private static final class PluginSettings {

		private final Class<?> type;

		private final Map<String, @Nullable Object> values;

		/** Bound on the first typed read; racing readers bind equal objects, either may win. */
		volatile @Nullable Object typed;

		PluginSettings(Class<?> type, Map<String, @Nullable Object> values) {
			this.type = type;
			this.values = values;
		}

		Class<?> type() {
			return this.type;
		}

		Map<String, @Nullable Object> values() {
			return this.values;
		}

	}

}
