package dev.cryo.endpoint.plugin;

import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.PluginDefinition;

/**
 * TEMP placeholder of the bundled plugins for the wire branch.
 */
public final class YoctopusPlugin implements EndpointListener {

	/**
	 * Returns an empty definition.
	 * @return the definition
	 */
	public PluginDefinition definition() {
		return PluginDefinition.builder("yoctopus").build();
	}

}
