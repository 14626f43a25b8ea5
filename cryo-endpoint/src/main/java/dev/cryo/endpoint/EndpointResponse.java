package dev.cryo.endpoint;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A response about to be sent, in yoctopus's shape: the request's {@code meta} with
 * {@code "status":"ok"} and {@code data}, or {@code "status":"error"} and {@code error} (one
 * message, or an array when there are several). Listeners may replace it
 * ({@link EndpointListener#onResponsePrepared}).
 *
 * @param meta the response's meta: the request's, with {@code status} set
 * @param data the data of a successful response, {@code null} for an error
 * @param errors the messages of an error response, empty for a successful one
 */
public record EndpointResponse(ObjectNode meta, @Nullable JsonNode data, List<String> errors) {

	/** The status of a successful response. */
	public static final String OK = "ok";

	/** The status of an error response. */
	public static final String ERROR = "error";

	public EndpointResponse {
		errors = List.copyOf(errors);
	}

	/**
	 * Returns whether the response reports success.
	 * @return {@code true} for {@code "status":"ok"}
	 */
	public boolean isOk() {
		return this.errors.isEmpty();
	}

	/**
	 * Returns a copy with other data (and the status {@code ok}).
	 * @param data the data
	 * @return the response
	 */
	public EndpointResponse withData(JsonNode data) {
		ObjectNode copy = this.meta.deepCopy();
		copy.put("status", OK);
		return new EndpointResponse(copy, data, List.of());
	}

}
