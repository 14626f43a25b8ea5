package dev.cryo.endpoint;

import java.security.Principal;

import org.jspecify.annotations.Nullable;

/**
 * What a functionally registered handler is given besides the request body: the connection, the
 * request and the multicaster. (Annotated handlers declare the same things as parameters.)
 *
 * @param connection the connection that sent the request; also its {@link Notifier}
 * @param request the request as routed
 * @param multicaster sends to connections by settings
 */
public record EndpointContext(EndpointConnection connection, EndpointRequest request, Multicaster multicaster) {

	/**
	 * Returns the connection's settings.
	 * @return the settings
	 */
	public ConnectionSettings settings() {
		return this.connection.settings();
	}

	/**
	 * Returns the connection's principal.
	 * @return the principal, {@code null} when it has none
	 */
	public @Nullable Principal principal() {
		return this.connection.principal();
	}

}
