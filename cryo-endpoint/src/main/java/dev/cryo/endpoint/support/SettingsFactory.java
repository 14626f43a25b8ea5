package dev.cryo.endpoint.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.EndpointRegistry;
import dev.cryo.endpoint.PluginDefinition;

/**
 * Creates the {@link ConnectionSettings} of each connection. The settings of a plugin are its
 * settings type's serialized properties; a connection gets a plugin's defaults the first time
 * that plugin's settings are read, so a plugin registered at runtime has them too.
 *
 * <p>A type's defaults are the JSON {@code {}} bound to it by a lenient copy of the binder's
 * mapper: missing record components become {@code null}, or {@code false}/{@code 0} for
 * primitives, and a JavaBean keeps what its no-argument constructor set. Defaults are not
 * validated: they are the type's own; every change is bound strictly and validated.
 */
public final class SettingsFactory {

	private final EndpointRegistry registry;

	private final JsonBinder binder;

	private final JsonMapper lenientMapper;

	private final List<EndpointListener> listeners;

	private final Map<Class<?>, Map<String, @Nullable Object>> defaults = new ConcurrentHashMap<>();

	/**
	 * Creates the factory.
	 * @param registry tells each plugin's settings type and setting listeners
	 * @param binder binds and validates changes
	 * @param listeners told of every change with {@link EndpointListener#onConnectionChanged}, in
	 * this order
	 */
	public SettingsFactory(EndpointRegistry registry, JsonBinder binder, List<EndpointListener> listeners) {
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(binder, "'binder' must not be null");
		Assert.notNull(listeners, "'listeners' must not be null");
		this.registry = registry;
		this.binder = binder;
		this.listeners = List.copyOf(listeners);
		// Only the defaults and reads of values that were validated when they were set go through
		// this mapper; it must not fail on what the strict one rejects in a client's change.
		this.lenientMapper = binder.mapper()
			.rebuild()
			.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
					DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
			.build();
	}

	/**
	 * Creates the settings of a new connection.
	 * @param owner the connection they belong to, given to the listeners
	 * @return the settings, with every plugin's defaults
	 */
	public ConnectionSettings create(EndpointConnection owner) {
		Assert.notNull(owner, "'owner' must not be null");
		return new DefaultConnectionSettings(this, owner);
	}

	EndpointRegistry registry() {
		return this.registry;
	}

	JsonBinder binder() {
		return this.binder;
	}

	JsonMapper lenientMapper() {
		return this.lenientMapper;
	}

	List<EndpointListener> listeners() {
		return this.listeners;
	}

	/**
	 * Returns the settings type a plugin declares now.
	 * @param plugin the plugin's name
	 * @return the type, {@code null} when the plugin is not registered or declares none
	 */
	@Nullable Class<?> settingsTypeOf(String plugin) {
		Class<?> type = this.registry.plugin(plugin).map(PluginDefinition::settingsType).orElse(null);
		return (type != null && type != Void.class && type != void.class) ? type : null;
	}

	/**
	 * Returns a settings type's defaults, computed once per type.
	 * @param type the settings type
	 * @return setting name to default value, deeply unmodifiable
	 */
	Map<String, @Nullable Object> defaultsOf(Class<?> type) {
		return this.defaults.computeIfAbsent(type, this::computeDefaults);
	}

	private Map<String, @Nullable Object> computeDefaults(Class<?> type) {
		try {
			Object instance = this.lenientMapper.treeToValue(this.lenientMapper.createObjectNode(), type);
			return toValues(instance);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw new IllegalStateException("Settings type " + type.getName()
					+ " has no defaults: the JSON {} cannot be bound to it (" + ex.getMessage() + ")", ex);
		}
	}

	/**
	 * Returns the JSON values of a settings object.
	 * @param settings the settings object
	 * @return setting name to value, deeply unmodifiable
	 */
	@SuppressWarnings("unchecked")
	Map<String, @Nullable Object> toValues(@Nullable Object settings) {
		if (settings == null) {
			return Collections.emptyMap();
		}
		Map<String, @Nullable Object> values = this.binder.mapper().convertValue(settings, Map.class);
		return (Map<String, @Nullable Object>) freeze(values);
	}

	/**
	 * Returns a deeply unmodifiable copy of a JSON value, so that what a reader is given cannot
	 * change the stored settings.
	 * @param value the value
	 * @return the copy
	 */
	static @Nullable Object freeze(@Nullable Object value) {
		if (value instanceof Map<?, ?> map) {
			Map<String, @Nullable Object> copy = new LinkedHashMap<>();
			map.forEach((key, item) -> copy.put(String.valueOf(key), freeze(item)));
			return Collections.unmodifiableMap(copy);
		}
		if (value instanceof List<?> list) {
			List<@Nullable Object> copy = new ArrayList<>(list.size());
			list.forEach((item) -> copy.add(freeze(item)));
			return Collections.unmodifiableList(copy);
		}
		return value;
	}

}
