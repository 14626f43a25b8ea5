package dev.cryo.endpoint.support;

import java.util.List;

import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.EndpointRegistry;

/**
 * TEMP placeholder of the engine for the wire branch.
 */
public final class SettingsFactory {

	/**
	 * Creates the placeholder.
	 * @param registry the registry
	 * @param binder the binder
	 * @param listeners the listeners
	 */
	public SettingsFactory(EndpointRegistry registry, JsonBinder binder, List<EndpointListener> listeners) {
	}

}
