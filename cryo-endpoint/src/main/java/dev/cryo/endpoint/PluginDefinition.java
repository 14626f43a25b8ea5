package dev.cryo.endpoint;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * A plugin as the dispatcher knows it, whether declared with annotations or assembled at runtime
 * through {@link EndpointRegistry}: its name, its settings type, its endpoints with their methods,
 * its setting listeners and optionally the binary handler.
 *
 * @param name the plugin's name
 * @param settingsType the type of its connection-scoped settings, {@code null} for none
 * @param endpoints its endpoints by name, in declaration order
 * @param settingListeners its listeners of settings (of any plugin)
 * @param binaryHandler the binary handler it provides, {@code null} for none
 */
public record PluginDefinition(String name, @Nullable Class<?> settingsType, Map<String, EndpointDefinition> endpoints,
		List<SettingListenerDefinition> settingListeners, @Nullable BinaryHandlerDefinition binaryHandler) {

	/** What a plugin, endpoint or method name may consist of. */
	public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	public PluginDefinition {
		Assert.isTrue(NAME.matcher(name).matches(), () -> "Invalid plugin name '" + name + "'");
		endpoints = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
		settingListeners = List.copyOf(settingListeners);
	}

	/**
	 * Starts a plugin definition.
	 * @param name the plugin's name
	 * @return a builder
	 */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	/**
	 * One endpoint of a plugin.
	 *
	 * @param name the endpoint's name within the plugin
	 * @param aliases other addresses of the endpoint
	 * @param methods its methods by name
	 */
	public record EndpointDefinition(String name, List<String> aliases, Map<String, MethodDefinition> methods) {

		public EndpointDefinition {
			Assert.isTrue(NAME.matcher(name).matches(), () -> "Invalid endpoint name '" + name + "'");
			aliases = List.copyOf(aliases);
			methods = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(methods));
		}

	}

	/**
	 * One method of an endpoint.
	 *
	 * @param name the method's name
	 * @param requestType the type the request's data is bound to, {@code null} when the method takes
	 * no data (any data is then ignored)
	 * @param requirements what the connection must satisfy
	 * @param handler the handler
	 * @param description where the handler came from, for logs (e.g. the annotated method)
	 */
	public record MethodDefinition(String name, @Nullable Type requestType, Requirements requirements,
			EndpointHandler<?> handler, String description) {

		public MethodDefinition {
			Assert.isTrue(NAME.matcher(name).matches(), () -> "Invalid method name '" + name + "'");
		}

	}

	/**
	 * A listener of one setting, or of every setting of a plugin.
	 *
	 * @param plugin the plugin whose settings it listens to
	 * @param setting the setting, {@code null} for every setting of the plugin
	 * @param listener the listener
	 */
	public record SettingListenerDefinition(String plugin, @Nullable String setting, SettingListener listener) {

	}

	/**
	 * The binary handler with its requirements.
	 *
	 * @param requirements what the connection must satisfy
	 * @param handler the handler
	 */
	public record BinaryHandlerDefinition(Requirements requirements, BinaryMessageHandler handler) {

	}

	/**
	 * Assembles a {@link PluginDefinition}.
	 */
	public static final class Builder {

		private final String name;

		private @Nullable Class<?> settingsType;

		private final Map<String, EndpointBuilder> endpoints = new LinkedHashMap<>();

		private final List<SettingListenerDefinition> settingListeners = new ArrayList<>();

		private @Nullable BinaryHandlerDefinition binaryHandler;

		private Builder(String name) {
			this.name = name;
		}

		/**
		 * Declares the plugin's settings type.
		 * @param type a record or JavaBean
		 * @return this builder
		 */
		public Builder settings(Class<?> type) {
			this.settingsType = type;
			return this;
		}

		/**
		 * Adds (or continues) an endpoint.
		 * @param name the endpoint's name
		 * @param customizer adds its methods and aliases
		 * @return this builder
		 */
		public Builder endpoint(String name, Consumer<EndpointBuilder> customizer) {
			customizer.accept(this.endpoints.computeIfAbsent(name, EndpointBuilder::new));
			return this;
		}

		/**
		 * Adds a listener of settings.
		 * @param plugin the plugin listened to
		 * @param setting the setting, {@code null} for all of that plugin's
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder onSettingChanged(String plugin, @Nullable String setting, SettingListener listener) {
			this.settingListeners.add(new SettingListenerDefinition(plugin, setting, listener));
			return this;
		}

		/**
		 * Sets the binary handler.
		 * @param requirements its requirements
		 * @param handler the handler
		 * @return this builder
		 */
		public Builder binaryHandler(Requirements requirements, BinaryMessageHandler handler) {
			this.binaryHandler = new BinaryHandlerDefinition(requirements, handler);
			return this;
		}

		/**
		 * Builds the definition.
		 * @return the plugin
		 */
		public PluginDefinition build() {
			Map<String, EndpointDefinition> built = new LinkedHashMap<>();
			this.endpoints.forEach((endpointName, builder) -> built.put(endpointName, builder.build()));
			return new PluginDefinition(this.name, this.settingsType, built, this.settingListeners, this.binaryHandler);
		}

	}

	/**
	 * Assembles one endpoint.
	 */
	public static final class EndpointBuilder {

		private final String name;

		private final List<String> aliases = new ArrayList<>();

		private final Map<String, MethodDefinition> methods = new LinkedHashMap<>();

		private EndpointBuilder(String name) {
			this.name = name;
		}

		/**
		 * Adds aliases.
		 * @param aliases other addresses of the endpoint
		 * @return this builder
		 */
		public EndpointBuilder alias(String... aliases) {
			this.aliases.addAll(List.of(aliases));
			return this;
		}

		/**
		 * Adds a method without requirements.
		 * @param <B> the body type
		 * @param name the method's name
		 * @param requestType the body type, {@code null} for none
		 * @param handler the handler
		 * @return this builder
		 */
		public <B> EndpointBuilder method(String name, @Nullable Class<B> requestType, EndpointHandler<B> handler) {
			return method(name, requestType, Requirements.none(), handler);
		}

		/**
		 * Adds a method.
		 * @param <B> the body type
		 * @param name the method's name
		 * @param requestType the body type, {@code null} for none
		 * @param requirements its requirements
		 * @param handler the handler
		 * @return this builder
		 */
		public <B> EndpointBuilder method(String name, @Nullable Class<B> requestType, Requirements requirements,
				EndpointHandler<B> handler) {
			this.methods.put(name, new MethodDefinition(name, requestType, requirements, handler,
					"functional handler " + this.name + "#" + name));
			return this;
		}

		/**
		 * Adds a method defined elsewhere (e.g. from an annotated bean).
		 * @param method the method
		 * @return this builder
		 */
		public EndpointBuilder method(MethodDefinition method) {
			this.methods.put(method.name(), method);
			return this;
		}

		EndpointDefinition build() {
			return new EndpointDefinition(this.name, this.aliases, this.methods);
		}

	}

}
