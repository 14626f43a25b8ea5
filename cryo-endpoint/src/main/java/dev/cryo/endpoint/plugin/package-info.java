/**
 * The bundled plugins of the endpoint layer, each a {@link dev.cryo.endpoint.PluginDefinition}
 * for the registry: {@code yoctopus} (every connection's label, security, port and address as
 * settings) and {@code api} (the listing of every endpoint, with change notifications to
 * subscribers). Depends on {@code dev.cryo.endpoint.support} and the API.
 */
@NullMarked
package dev.cryo.endpoint.plugin;

import org.jspecify.annotations.NullMarked;
