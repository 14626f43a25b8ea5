package dev.cryo.endpoint.plugin;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The settings of the {@code yoctopus} plugin on each connection, as yoctopus names them:
 * {@code label}, {@code isSecure}, {@code port}, {@code remoteAddress}.
 *
 * @param label the connection's label, the connection id until the client sets another
 * @param isSecure whether the connection is encrypted (TLS)
 * @param port the local port the connection arrived on, {@code -1} when unknown
 * @param remoteAddress the client's host (an address, never looked up), {@code null} when unknown
 */
public record YoctopusSettings(@Nullable String label,
		// Named explicitly: an "is" accessor of a boolean is a bean getter of "secure" to some
		// introspection rules, and the JSON name is part of yoctopus's protocol.
		@JsonProperty("isSecure") boolean isSecure, int port, @Nullable String remoteAddress) {

}
