package dev.cryo.endpoint.plugin;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointException;
import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.EndpointResult;
import dev.cryo.endpoint.PluginDefinition;

/**
 * yoctopus's own plugin: every connection's {@link YoctopusSettings} (set when it opens), and the
 * endpoint {@code yoctopus:label} whose method {@code update} lets the client name its connection
 * with a string of at most {@value #MAX_LABEL_LENGTH} characters.
 */
public final class YoctopusPlugin implements EndpointListener {

	/** The plugin's name. */
	public static final String NAME = "yoctopus";

	/** The longest label a client may set. */
	public static final int MAX_LABEL_LENGTH = 64;

	/**
	 * Creates the plugin; it holds no state, every connection's being in its settings.
	 */
	public YoctopusPlugin() {
	}

	/**
	 * Returns the plugin's definition, for the registry.
	 * @return the definition
	 */
	public PluginDefinition definition() {
		return PluginDefinition.builder(NAME)
			.settings(YoctopusSettings.class)
			.endpoint("label", (endpoint) -> endpoint.method("update", String.class,
					(context, label) -> updateLabel(label)))
			.build();
	}

	private static EndpointResult<String> updateLabel(@Nullable String label) {
		// A String body carries no constraint annotations in the functional API: checked here,
		// with the binder's message style.
		if (label == null || label.isBlank()) {
			throw new EndpointException("data: must not be blank");
		}
		if (label.length() > MAX_LABEL_LENGTH) {
			throw new EndpointException("data: size must be at most " + MAX_LABEL_LENGTH);
		}
		return EndpointResult.of(label).withSetting("label", label);
	}

	/**
	 * Records the connection's transport facts in its settings; the label starts as the
	 * connection's id.
	 * @param connection the connection
	 */
	@Override
	public void onConnectionOpened(EndpointConnection connection) {
		InetSocketAddress address = connection.remoteAddress();
		Map<String, @Nullable Object> settings = new LinkedHashMap<>();
		settings.put("label", connection.id());
		settings.put("isSecure", connection.isSecure());
		settings.put("port", connection.localPort());
		settings.put("remoteAddress", (address != null) ? address.getHostString() : null);
		connection.settings().update(NAME, settings);
	}

}
