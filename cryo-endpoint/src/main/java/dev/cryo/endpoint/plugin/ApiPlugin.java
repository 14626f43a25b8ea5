package dev.cryo.endpoint.plugin;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.EndpointRegistry;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.PluginDefinition.EndpointDefinition;
import dev.cryo.endpoint.PluginDefinition.MethodDefinition;
import dev.cryo.endpoint.Requirements;
import dev.cryo.endpoint.support.ConnectionRegister;
import dev.cryo.endpoint.support.Envelopes;
import dev.cryo.endpoint.support.RequestFormats;

/**
 * yoctopus's {@code api} plugin: the endpoint {@code api:api} whose method {@code read} answers
 * the listing of every registered endpoint, and whose methods {@code subscribe} and
 * {@code unsubscribe} start and stop notifications of type {@value #NOTIFICATION_TYPE} carrying
 * the new listing whenever a plugin is registered or unregistered. The listing is
 * {@code {"<plugin>:<endpoint>":{"aliases":[…],"methods":{"<method>":{"requestFormat":…,
 * "requirements":{"settings":{…}}}}}}}, endpoints sorted by address, methods as declared; the
 * settings requirements are nested as a {@link dev.cryo.endpoint.SettingsFilter} writes them.
 */
public final class ApiPlugin implements EndpointListener {

	/** The plugin's name, and the name of its endpoint. */
	public static final String NAME = "api";

	/** The type of the notifications subscribers receive. */
	public static final String NOTIFICATION_TYPE = "api";

	private static final Log logger = LogFactory.getLog(ApiPlugin.class);

	private final EndpointRegistry registry;

	private final RequestFormats formats;

	private final Envelopes envelopes;

	private final ConnectionRegister register;

	private final JsonNodeFactory nodes = JsonNodeFactory.instance;

	/** The subscribed connections by wire and id: resolved through the register when notified. */
	private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

	/**
	 * Creates the plugin and starts listening to the registry's changes.
	 * @param registry the plugins to list
	 * @param formats describes request types
	 * @param envelopes writes the notifications
	 * @param register finds the subscribed connections
	 */
	public ApiPlugin(EndpointRegistry registry, RequestFormats formats, Envelopes envelopes,
			ConnectionRegister register) {
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(formats, "'formats' must not be null");
		Assert.notNull(envelopes, "'envelopes' must not be null");
		Assert.notNull(register, "'register' must not be null");
		this.registry = registry;
		this.formats = formats;
		this.envelopes = envelopes;
		this.register = register;
		registry.addChangeListener(this::registryChanged);
	}

	/**
	 * Returns the plugin's definition, for the registry.
	 * @return the definition
	 */
	public PluginDefinition definition() {
		return PluginDefinition.builder(NAME)
			.endpoint(NAME, (endpoint) -> endpoint.method("read", null, (context, body) -> listing())
				.method("subscribe", null, (context, body) -> {
					this.subscribers.add(Subscriber.of(context.connection()));
					// The listing as of the subscription, so that the client misses no change.
					return listing();
				})
				.method("unsubscribe", null, (context, body) -> {
					this.subscribers.remove(Subscriber.of(context.connection()));
					return null;
				}))
			.build();
	}

	/**
	 * Returns the listing of every registered endpoint.
	 * @return the listing, a new object
	 */
	public ObjectNode listing() {
		Map<String, ObjectNode> endpoints = new TreeMap<>();
		for (PluginDefinition plugin : this.registry.plugins()) {
			for (EndpointDefinition endpoint : plugin.endpoints().values()) {
				ObjectNode described = this.nodes.objectNode();
				ArrayNode aliases = described.putArray("aliases");
				endpoint.aliases().forEach(aliases::add);
				ObjectNode methods = described.putObject("methods");
				for (MethodDefinition method : endpoint.methods().values()) {
					ObjectNode methodNode = methods.putObject(method.name());
					// A copy: the descriptions are shared, and a listener may change a response's data.
					methodNode.set("requestFormat", this.formats.describe(method.requestType()).deepCopy());
					methodNode.set("requirements", requirements(method.requirements()));
				}
				endpoints.put(plugin.name() + ":" + endpoint.name(), described);
			}
		}
		ObjectNode listing = this.nodes.objectNode();
		endpoints.forEach(listing::set);
		return listing;
	}

	private ObjectNode requirements(Requirements requirements) {
		ObjectNode settings = this.nodes.objectNode();
		requirements.settings().forEach((path, value) -> {
			int dot = path.indexOf('.');
			JsonNode written = toNode(value);
			if (dot < 0) {
				settings.set(path, written);
			}
			else {
				JsonNode plugin = settings.get(path.substring(0, dot));
				ObjectNode inner = (plugin instanceof ObjectNode object) ? object
						: settings.putObject(path.substring(0, dot));
				inner.set(path.substring(dot + 1), written);
			}
		});
		ObjectNode result = this.nodes.objectNode();
		result.set("settings", settings);
		return result;
	}

	/** Writes a requirement's value, a JSON value as {@link Requirements} holds them. */
	private JsonNode toNode(@Nullable Object value) {
		if (value == null) {
			return this.nodes.nullNode();
		}
		if (value instanceof JsonNode node) {
			return node;
		}
		if (value instanceof CharSequence text) {
			return this.nodes.stringNode(text.toString());
		}
		if (value instanceof Boolean bool) {
			return this.nodes.booleanNode(bool);
		}
		if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
			return this.nodes.numberNode(((Number) value).longValue());
		}
		if (value instanceof Double || value instanceof Float) {
			return this.nodes.numberNode(((Number) value).doubleValue());
		}
		if (value instanceof BigDecimal decimal) {
			return this.nodes.numberNode(decimal);
		}
		if (value instanceof BigInteger integer) {
			return this.nodes.numberNode(integer);
		}
		if (value instanceof Map<?, ?> map) {
			ObjectNode object = this.nodes.objectNode();
			map.forEach((key, item) -> object.set(String.valueOf(key), toNode(item)));
			return object;
		}
		if (value instanceof Collection<?> collection) {
			ArrayNode array = this.nodes.arrayNode();
			collection.forEach((item) -> array.add(toNode(item)));
			return array;
		}
		// Anything else is written by the mapper that writes the response.
		return this.nodes.pojoNode(value);
	}

	/**
	 * Forgets a closed connection's subscription.
	 * @param connection the connection
	 */
	@Override
	public void onConnectionClosed(EndpointConnection connection) {
		this.subscribers.remove(Subscriber.of(connection));
	}

	/**
	 * Returns whether a connection is subscribed.
	 * @param connection the connection
	 * @return whether it receives the listing's changes
	 */
	public boolean isSubscribed(EndpointConnection connection) {
		return this.subscribers.contains(Subscriber.of(connection));
	}

	private void registryChanged() {
		if (this.subscribers.isEmpty()) {
			return;
		}
		String json;
		try {
			json = this.envelopes.notification(NOTIFICATION_TYPE, listing());
		}
		catch (RuntimeException ex) {
			// Thrown back into register() it would fail a registration that did succeed.
			logger.warn("The api listing could not be written for its subscribers", ex);
			return;
		}
		for (Subscriber subscriber : this.subscribers) {
			EndpointConnection connection = this.register.find(subscriber.wire(), subscriber.id()).orElse(null);
			if (connection == null || !connection.isOpen()) {
				// Closed without the listener being told (or not yet registered again): forgotten.
				this.subscribers.remove(subscriber);
				continue;
			}
			try {
				connection.sendText(json).whenComplete((result, failure) -> {
					if (failure != null && logger.isDebugEnabled()) {
						logger.debug("API change notification to connection " + connection.id() + " failed", failure);
					}
				});
			}
			catch (RuntimeException ex) {
				if (logger.isDebugEnabled()) {
					logger.debug("API change notification to connection " + connection.id() + " was refused", ex);
				}
			}
		}
	}

	/**
	 * A subscribed connection's identity in the {@link ConnectionRegister}.
	 */
	private record Subscriber(String wire, String id) {

		static Subscriber of(EndpointConnection connection) {
			return new Subscriber(connection.wire(), connection.id());
		}

	}

}
