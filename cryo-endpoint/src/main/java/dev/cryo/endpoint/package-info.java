/**
 * The endpoint layer's API, yoctopus's model in Spring: plugins are beans annotated
 * {@link dev.cryo.endpoint.CryoPlugin @CryoPlugin} whose methods are mapped with
 * {@link dev.cryo.endpoint.EndpointMapping @EndpointMapping}; request bodies are bound by Jackson
 * (strictly: a number where a string is declared is an error) and checked by Bean Validation;
 * plugins declare typed per-connection settings that handlers read across plugins and change for
 * their own plugin ({@link dev.cryo.endpoint.EndpointResult}); methods may
 * {@link dev.cryo.endpoint.Requires require} settings, authorities or checks; listeners
 * ({@link dev.cryo.endpoint.EndpointListener}) see and may transform every request and response;
 * handlers {@link dev.cryo.endpoint.Notifier notify} their connection or
 * {@link dev.cryo.endpoint.Multicaster multicast} to connections whose settings match a
 * {@link dev.cryo.endpoint.SettingsFilter}. The same definitions can be registered at runtime
 * through {@link dev.cryo.endpoint.EndpointRegistry}.
 *
 * <p>Depends on {@code dev.cryo.server} only; {@code support} implements it, {@code plugin} holds
 * the bundled plugins ({@code yoctopus}, {@code api}) and {@code wire} connects the dispatcher to
 * Cryo sessions and to yoctopus's plain-WebSocket wire ({@code wire → support},
 * {@code plugin → support → this package}).
 */
@NullMarked
package dev.cryo.endpoint;

import org.jspecify.annotations.NullMarked;
