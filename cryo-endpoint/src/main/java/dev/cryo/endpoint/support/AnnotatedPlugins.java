package dev.cryo.endpoint.support;

import java.util.function.Function;

import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.RequirementCheck;

/**
 * TEMP placeholder of the engine for the wire branch.
 */
public final class AnnotatedPlugins {

	/**
	 * Creates the placeholder.
	 * @param binder the binder
	 * @param checks resolves checks by name
	 */
	public AnnotatedPlugins(JsonBinder binder, Function<String, RequirementCheck> checks) {
	}

	/**
	 * Not written here.
	 * @param bean the plugin bean
	 * @return never
	 */
	public PluginDefinition definitionOf(Object bean) {
		throw new UnsupportedOperationException("to be written");
	}

}
