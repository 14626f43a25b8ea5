package dev.cryo.endpoint;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The settings of one connection, every plugin's, as yoctopus keeps them: readable by any
 * handler, changed only by the plugin that declares them (through an {@link EndpointResult} or
 * {@link #update(String, Map)} on that plugin's behalf). Values are JSON values: strings,
 * numbers, booleans, {@code null}, lists and maps.
 */
public interface ConnectionSettings {

	/**
	 * Returns one setting.
	 * @param plugin the plugin that declares it
	 * @param setting the setting's name
	 * @return its value, {@code null} when unset or unknown
	 */
	@Nullable Object get(String plugin, String setting);

	/**
	 * Returns one plugin's settings bound to its declared type.
	 * @param <T> the settings type
	 * @param plugin the plugin
	 * @param type the type the plugin declared in {@link CryoPlugin#settings()}
	 * @return the current settings
	 * @throws IllegalArgumentException when the plugin declares no settings of that type
	 */
	<T> T get(String plugin, Class<T> type);

	/**
	 * Returns every plugin's settings: plugin name to setting name to value, a snapshot.
	 * @return the settings
	 */
	Map<String, Map<String, @Nullable Object>> asMap();

	/**
	 * Changes settings of one plugin: the values are merged into the current ones, bound to the
	 * plugin's settings type strictly and validated; only when all are valid is anything
	 * changed. Listeners of the changed settings run afterwards, then
	 * {@link EndpointListener#onConnectionChanged}.
	 * @param plugin the plugin whose settings change
	 * @param changes setting name to new value
	 * @throws EndpointException when a value is invalid or the plugin has no such setting
	 */
	void update(String plugin, Map<String, ? extends @Nullable Object> changes);

}
