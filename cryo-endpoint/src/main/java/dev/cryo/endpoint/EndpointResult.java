package dev.cryo.endpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a handler returns when it also changes its plugin's settings on the connection, yoctopus's
 * {@code {settings:{…}, response:{…}}}: the settings are applied (bound and validated like
 * {@link ConnectionSettings#update}) before the response is sent, so a client that receives the
 * response can rely on them. If they are invalid, the client gets an error response instead.
 *
 * @param <T> the response type
 * @param response the response's data, written by Jackson
 * @param settings setting name to new value, for the handler's own plugin
 */
public record EndpointResult<T>(@Nullable T response, Map<String, @Nullable Object> settings) {

	public EndpointResult {
		settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
	}

	/**
	 * Returns a result that changes no settings.
	 * @param <T> the response type
	 * @param response the response's data
	 * @return the result
	 */
	public static <T> EndpointResult<T> of(@Nullable T response) {
		return new EndpointResult<>(response, Map.of());
	}

	/**
	 * Returns a copy that also sets one setting of the handler's plugin.
	 * @param setting the setting's name
	 * @param value its new value
	 * @return the result
	 */
	public EndpointResult<T> withSetting(String setting, @Nullable Object value) {
		Map<String, @Nullable Object> changed = new LinkedHashMap<>(this.settings);
		changed.put(setting, value);
		return new EndpointResult<>(this.response, changed);
	}

}
