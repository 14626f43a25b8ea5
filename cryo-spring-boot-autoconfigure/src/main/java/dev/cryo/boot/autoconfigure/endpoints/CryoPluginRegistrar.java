package dev.cryo.boot.autoconfigure.endpoints;

import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

import dev.cryo.endpoint.CryoPlugin;
import dev.cryo.endpoint.EndpointRegistry;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.support.AnnotatedPlugins;

/**
 * Registers the plugins once every singleton exists, before the web server takes connections:
 * the bundled ones first, then every {@link CryoPlugin @CryoPlugin} bean.
 */
final class CryoPluginRegistrar implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(CryoPluginRegistrar.class);

	private final ListableBeanFactory beanFactory;

	private final EndpointRegistry registry;

	private final AnnotatedPlugins annotatedPlugins;

	private final List<PluginDefinition> bundled;

	CryoPluginRegistrar(ListableBeanFactory beanFactory, EndpointRegistry registry, AnnotatedPlugins annotatedPlugins,
			List<PluginDefinition> bundled) {
		this.beanFactory = beanFactory;
		this.registry = registry;
		this.annotatedPlugins = annotatedPlugins;
		this.bundled = List.copyOf(bundled);
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.bundled.forEach(this.registry::register);
		Map<String, Object> plugins = this.beanFactory.getBeansWithAnnotation(CryoPlugin.class);
		// Converted together, so that a handler may take another plugin's settings type as a parameter.
		for (PluginDefinition definition : this.annotatedPlugins.definitionsOf(plugins.values())) {
			this.registry.register(definition);
			if (logger.isDebugEnabled()) {
				logger.debug("Registered plugin '" + definition.name() + "' with " + definition.endpoints().size()
						+ " endpoints");
			}
		}
	}

}
