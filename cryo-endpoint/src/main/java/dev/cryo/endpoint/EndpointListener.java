package dev.cryo.endpoint;

import java.util.List;

/**
 * yoctopus's six lifecycle hooks. Every {@code EndpointListener} bean is used, ordered by
 * {@code @Order} / {@link org.springframework.core.Ordered}; every method has a default that does
 * nothing. The transforming hooks see what the previous listener returned. A listener that throws
 * is logged; the request goes on (a throwing {@link #onRequestReceived} answers it with an internal
 * error).
 */
public interface EndpointListener {

	/**
	 * A connection opened (on either wire), before its first request.
	 * @param connection the connection
	 */
	default void onConnectionOpened(EndpointConnection connection) {
	}

	/**
	 * A request arrived and was parsed; return it, or another one to route instead.
	 * @param connection the connection
	 * @param request the request
	 * @return the request to route
	 */
	default EndpointRequest onRequestReceived(EndpointConnection connection, EndpointRequest request) {
		return request;
	}

	/**
	 * A response (success or error) is ready; return it, or another one to send instead.
	 * @param connection the connection
	 * @param request the request it answers; for a request that could not be parsed, a request with
	 * an empty endpoint and method
	 * @param response the response
	 * @return the response to send
	 */
	default EndpointResponse onResponsePrepared(EndpointConnection connection, EndpointRequest request,
			EndpointResponse response) {
		return response;
	}

	/**
	 * A response was handed to the transport.
	 * @param connection the connection
	 * @param request the request
	 * @param response what was sent
	 */
	default void onResponseSent(EndpointConnection connection, EndpointRequest request, EndpointResponse response) {
	}

	/**
	 * A connection closed; its settings are still readable.
	 * @param connection the connection
	 */
	default void onConnectionClosed(EndpointConnection connection) {
	}

	/**
	 * Settings of a connection changed (once per update, after the setting listeners ran).
	 * @param connection the connection
	 * @param changes the settings that changed
	 */
	default void onConnectionChanged(EndpointConnection connection, List<SettingChange> changes) {
	}

}
