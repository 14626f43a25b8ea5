package dev.cryo.endpoint.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

import dev.cryo.endpoint.EndpointRegistry;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.PluginDefinition.BinaryHandlerDefinition;
import dev.cryo.endpoint.PluginDefinition.EndpointDefinition;

/**
 * The registry of the endpoint layer. Every change builds a new immutable {@link Snapshot},
 * plugins and the routing index from every address ({@code plugin:endpoint} and each alias) to its
 * endpoint, and publishes it with one volatile write: the dispatcher reads the current snapshot on
 * every request without a lock, and changes, which are rare, are serialized.
 */
public final class DefaultEndpointRegistry implements EndpointRegistry {

	private static final Log logger = LogFactory.getLog(DefaultEndpointRegistry.class);

	private final Object changeLock = new Object();

	private volatile Snapshot snapshot = Snapshot.EMPTY;

	private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();

	/**
	 * Creates an empty registry.
	 */
	public DefaultEndpointRegistry() {
	}

	@Override
	public Registration register(PluginDefinition plugin) {
		Assert.notNull(plugin, "'plugin' must not be null");
		synchronized (this.changeLock) {
			List<PluginDefinition> plugins = new ArrayList<>(this.snapshot.plugins());
			plugins.add(plugin);
			// Building the snapshot checks every rule; a refused plugin changes nothing.
			this.snapshot = Snapshot.of(plugins);
		}
		changed();
		AtomicBoolean registered = new AtomicBoolean(true);
		return () -> {
			if (registered.compareAndSet(true, false)) {
				unregister(plugin);
			}
		};
	}

	private void unregister(PluginDefinition plugin) {
		synchronized (this.changeLock) {
			List<PluginDefinition> plugins = new ArrayList<>(this.snapshot.plugins());
			// By identity: an equal definition registered later is another registration.
			plugins.removeIf((candidate) -> candidate == plugin);
			this.snapshot = Snapshot.of(plugins);
		}
		changed();
	}

	@Override
	public Optional<PluginDefinition> plugin(String name) {
		return Optional.ofNullable(this.snapshot.byName().get(name));
	}

	@Override
	public List<PluginDefinition> plugins() {
		return this.snapshot.plugins();
	}

	@Override
	public void addChangeListener(Runnable listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.changeListeners.add(listener);
	}

	/**
	 * Returns the endpoint at an address.
	 * @param address {@code plugin:endpoint} or an alias
	 * @return the endpoint with its plugin, {@code null} when none has that address
	 */
	@Nullable Route resolve(String address) {
		return this.snapshot.routes().get(address);
	}

	/**
	 * Returns the current state, read once per request.
	 * @return the snapshot
	 */
	Snapshot snapshot() {
		return this.snapshot;
	}

	private void changed() {
		for (Runnable listener : this.changeListeners) {
			try {
				listener.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Registry change listener " + listener + " failed", ex);
			}
		}
	}

	/**
	 * One endpoint with the plugin that declares it.
	 *
	 * @param plugin the plugin
	 * @param endpoint the endpoint
	 */
	record Route(PluginDefinition plugin, EndpointDefinition endpoint) {

	}

	/**
	 * The binary handler with the plugin that declares it.
	 *
	 * @param plugin the plugin
	 * @param handler the handler
	 */
	record BinaryRoute(PluginDefinition plugin, BinaryHandlerDefinition handler) {

	}

	/**
	 * Registered plugins and the index built from them.
	 *
	 * @param plugins the plugins in registration order
	 * @param byName the plugins by name
	 * @param routes every address to its endpoint
	 * @param binary the binary handler, {@code null} for none
	 */
	record Snapshot(List<PluginDefinition> plugins, Map<String, PluginDefinition> byName, Map<String, Route> routes,
			@Nullable BinaryRoute binary) {

		static final Snapshot EMPTY = new Snapshot(List.of(), Map.of(), Map.of(), null);

		/**
		 * Indexes plugins, checking that names, addresses and the binary handler are unique.
		 * @param plugins the plugins
		 * @return the snapshot
		 * @throws IllegalStateException when a rule is broken
		 */
		static Snapshot of(List<PluginDefinition> plugins) {
			Map<String, PluginDefinition> byName = new LinkedHashMap<>();
			Map<String, Route> routes = new HashMap<>();
			Map<String, String> owners = new HashMap<>();
			BinaryRoute binary = null;
			for (PluginDefinition plugin : plugins) {
				if (byName.putIfAbsent(plugin.name(), plugin) != null) {
					throw new IllegalStateException("A plugin named '" + plugin.name() + "' is already registered");
				}
				for (EndpointDefinition endpoint : plugin.endpoints().values()) {
					Route route = new Route(plugin, endpoint);
					String address = plugin.name() + ":" + endpoint.name();
					index(routes, owners, address, route, "Endpoint");
					for (String alias : endpoint.aliases()) {
						Assert.state(!alias.isEmpty(), () -> "Endpoint " + address + " has an empty alias");
						index(routes, owners, alias, route, "Alias");
					}
				}
				if (plugin.binaryHandler() != null) {
					if (binary != null) {
						throw new IllegalStateException("Plugin '" + plugin.name()
								+ "' declares a binary handler, but plugin '" + binary.plugin().name()
								+ "' already does; there can be only one");
					}
					binary = new BinaryRoute(plugin, plugin.binaryHandler());
				}
			}
			return new Snapshot(List.copyOf(plugins), Collections.unmodifiableMap(byName),
					Collections.unmodifiableMap(routes), binary);
		}

		private static void index(Map<String, Route> routes, Map<String, String> owners, String address, Route route,
				String kind) {
			String owner = route.plugin().name() + ":" + route.endpoint().name();
			String existing = owners.putIfAbsent(address, owner);
			if (existing != null) {
				throw new IllegalStateException(kind + " address '" + address + "' of " + owner
						+ " is already taken by endpoint " + existing);
			}
			routes.put(address, route);
		}

	}

}
