package dev.cryo.endpoint.support;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

import org.jspecify.annotations.Nullable;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.EndpointRegistry;
import dev.cryo.endpoint.Multicaster;

/**
 * TEMP placeholder of the engine for the wire branch: claims nothing.
 */
public final class DefaultEndpointDispatcher implements EndpointDispatcher {

	/**
	 * Creates the placeholder.
	 * @param registry the registry
	 * @param binder the binder
	 * @param settingsFactory the settings factory
	 * @param register the register
	 * @param multicaster the multicaster
	 * @param listeners the listeners
	 * @param authorities the authorities
	 * @param limits the limits
	 * @param scheduler the scheduler
	 */
	public DefaultEndpointDispatcher(EndpointRegistry registry, JsonBinder binder, SettingsFactory settingsFactory,
			ConnectionRegister register, Multicaster multicaster, List<EndpointListener> listeners,
			AuthorityResolver authorities, DispatcherLimits limits, ScheduledExecutorService scheduler) {
	}

	@Override
	public ConnectionSettings createSettings(EndpointConnection owner) {
		return new ConnectionSettings() {

			@Override
			public @Nullable Object get(String plugin, String setting) {
				return null;
			}

			@Override
			public <T> T get(String plugin, Class<T> type) {
				throw new IllegalArgumentException(plugin);
			}

			@Override
			public Map<String, Map<String, @Nullable Object>> asMap() {
				return Map.of();
			}

			@Override
			public void update(String plugin, Map<String, ? extends @Nullable Object> changes) {
				throw new UnsupportedOperationException();
			}

		};
	}

	@Override
	public void opened(EndpointConnection connection) {
	}

	@Override
	public boolean isRequest(String text) {
		return false;
	}

	@Override
	public void dispatch(EndpointConnection connection, String text) {
	}

	@Override
	public boolean hasBinaryHandler() {
		return false;
	}

	@Override
	public void dispatchBinary(EndpointConnection connection, ByteBuffer payload) {
	}

	@Override
	public void closed(EndpointConnection connection) {
	}

}
