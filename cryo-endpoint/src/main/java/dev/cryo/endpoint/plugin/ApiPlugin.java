package dev.cryo.endpoint.plugin;

import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.EndpointRegistry;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.support.ConnectionRegister;
import dev.cryo.endpoint.support.Envelopes;

/**
 * TEMP placeholder of the bundled plugins for the wire branch.
 */
public final class ApiPlugin implements EndpointListener {

	/**
	 * Creates the placeholder.
	 * @param registry the registry
	 * @param formats the formats
	 * @param envelopes the envelopes
	 * @param register the register
	 */
	public ApiPlugin(EndpointRegistry registry, RequestFormats formats, Envelopes envelopes,
			ConnectionRegister register) {
	}

	/**
	 * Returns an empty definition.
	 * @return the definition
	 */
	public PluginDefinition definition() {
		return PluginDefinition.builder("api").build();
	}

}
