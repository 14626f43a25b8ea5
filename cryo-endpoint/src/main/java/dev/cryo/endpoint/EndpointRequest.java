package dev.cryo.endpoint;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request as the dispatcher read it from
 * {@code {"meta":{"id":"1","endpoint":"greeter:hello","method":"read"},"data":{…}}}. Listeners may
 * replace it ({@link EndpointListener#onRequestReceived}) before it is routed.
 *
 * @param id the request's id, echoed in the response; {@code null} when the request has none
 * @param endpoint the endpoint address as sent: {@code plugin:endpoint} or an alias
 * @param method the method name
 * @param data the request's data, {@link tools.jackson.databind.node.NullNode} when absent
 * @param meta the whole {@code meta} object as sent; the response's meta starts as a copy of it
 */
public record EndpointRequest(@Nullable String id, String endpoint, String method, JsonNode data, ObjectNode meta) {

	/**
	 * Returns a copy with other data.
	 * @param data the new data
	 * @return the request
	 */
	public EndpointRequest withData(JsonNode data) {
		return new EndpointRequest(this.id, this.endpoint, this.method, data, this.meta);
	}

	/**
	 * Returns a copy addressed to another endpoint or method.
	 * @param endpoint the endpoint address
	 * @param method the method
	 * @return the request
	 */
	public EndpointRequest withTarget(String endpoint, String method) {
		return new EndpointRequest(this.id, endpoint, method, this.data, this.meta);
	}

}
