package dev.cryo.endpoint;

import java.util.List;
import java.util.Optional;

/**
 * The plugins the dispatcher routes to, annotated ones and those registered at runtime. It is the
 * functional registration API: {@link #register} adds a plugin (every connection gets its
 * settings' defaults the first time they are read), {@link Registration#unregister()} removes it
 * (requests to it are then answered as unknown). Subscribers of {@code api:api} are notified of
 * every change.
 */
public interface EndpointRegistry {

	/**
	 * Registers a plugin.
	 * @param plugin the plugin
	 * @return a handle to unregister it
	 * @throws IllegalStateException when a plugin of that name, an alias, or (for a binary handler)
	 * another binary handler is already registered
	 */
	Registration register(PluginDefinition plugin);

	/**
	 * Returns a registered plugin.
	 * @param name its name
	 * @return the plugin, if registered
	 */
	Optional<PluginDefinition> plugin(String name);

	/**
	 * Returns every registered plugin, in registration order.
	 * @return a snapshot
	 */
	List<PluginDefinition> plugins();

	/**
	 * Adds a listener called after every registration or unregistration.
	 * @param listener the listener
	 */
	void addChangeListener(Runnable listener);

	/**
	 * A registered plugin.
	 */
	@FunctionalInterface
	interface Registration {

		/**
		 * Removes the plugin; does nothing when it was already removed.
		 */
		void unregister();

	}

}
