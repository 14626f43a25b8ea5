package dev.cryo.endpoint;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * Chooses the connections of a multicast by their settings, as yoctopus's nested filters do:
 * {@code {"auth":{"isAdmin":true}}} selects connections whose {@code auth.isAdmin} setting is
 * {@code true}. Every leaf must be equal (JSON equality: {@code 1} equals {@code 1.0}); a map
 * leaf descends into a setting whose value is a map. An empty filter selects every connection. It
 * is a serializable value so that it can travel to other nodes.
 */
public final class SettingsFilter implements Serializable {

	private static final long serialVersionUID = 1L;

	private static final SettingsFilter ALL = new SettingsFilter(Map.of());

	private final Map<String, Object> criteria;

	private SettingsFilter(Map<String, Object> criteria) {
		this.criteria = criteria;
	}

	/**
	 * Returns a filter from its nested form: plugin name to (setting name to value), as a client
	 * or handler writes it.
	 * @param criteria the filter; leaves are JSON values
	 * @return the filter
	 */
	public static SettingsFilter of(Map<String, ?> criteria) {
		Assert.notNull(criteria, "'criteria' must not be null");
		return new SettingsFilter(copy(criteria));
	}

	/**
	 * Returns a filter on one setting.
	 * @param plugin the plugin
	 * @param setting the setting
	 * @param value the value it must have
	 * @return the filter
	 */
	public static SettingsFilter where(String plugin, String setting, @Nullable Object value) {
		Map<String, Object> inner = new LinkedHashMap<>();
		inner.put(setting, value);
		return of(Map.of(plugin, inner));
	}

	/**
	 * Returns the filter that selects every connection.
	 * @return the filter
	 */
	public static SettingsFilter all() {
		return ALL;
	}

	/**
	 * Returns a filter that also requires one more setting.
	 * @param plugin the plugin
	 * @param setting the setting
	 * @param value the value it must have
	 * @return the combined filter
	 */
	@SuppressWarnings("unchecked")
	public SettingsFilter and(String plugin, String setting, @Nullable Object value) {
		Map<String, Object> combined = new LinkedHashMap<>(this.criteria);
		Object existing = combined.get(plugin);
		Map<String, Object> inner = (existing instanceof Map<?, ?> map) ? new LinkedHashMap<>((Map<String, Object>) map)
				: new LinkedHashMap<>();
		inner.put(setting, value);
		combined.put(plugin, inner);
		return of(combined);
	}

	/**
	 * Returns the nested form.
	 * @return plugin name to (setting name to value), unmodifiable
	 */
	public Map<String, Object> criteria() {
		return this.criteria;
	}

	/**
	 * Returns whether a connection's settings match.
	 * @param settings the settings
	 * @return whether every leaf of the filter equals the setting at its path
	 */
	public boolean matches(ConnectionSettings settings) {
		for (Map.Entry<String, Object> plugin : this.criteria.entrySet()) {
			if (!(plugin.getValue() instanceof Map<?, ?> wanted)) {
				return false;
			}
			for (Map.Entry<?, ?> setting : wanted.entrySet()) {
				Object actual = settings.get(plugin.getKey(), String.valueOf(setting.getKey()));
				if (!matchesValue(setting.getValue(), actual)) {
					return false;
				}
			}
		}
		return true;
	}

	private static boolean matchesValue(@Nullable Object wanted, @Nullable Object actual) {
		if (wanted instanceof Map<?, ?> wantedMap) {
			if (!(actual instanceof Map<?, ?> actualMap)) {
				return false;
			}
			for (Map.Entry<?, ?> entry : wantedMap.entrySet()) {
				if (!matchesValue(entry.getValue(), actualMap.get(entry.getKey()))) {
					return false;
				}
			}
			return true;
		}
		if (wanted instanceof Number wantedNumber && actual instanceof Number actualNumber) {
			return Double.compare(wantedNumber.doubleValue(), actualNumber.doubleValue()) == 0;
		}
		return Objects.equals(wanted, actual);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> copy(Map<String, ?> source) {
		Map<String, Object> copy = new LinkedHashMap<>();
		source.forEach((key, value) -> copy.put(key,
				(value instanceof Map<?, ?> map) ? copy((Map<String, ?>) map)
						: (value instanceof List<?> list) ? List.copyOf(list) : value));
		return Collections.unmodifiableMap(copy);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof SettingsFilter that) && this.criteria.equals(that.criteria);
	}

	@Override
	public int hashCode() {
		return this.criteria.hashCode();
	}

	@Override
	public String toString() {
		return "SettingsFilter" + this.criteria;
	}

}
