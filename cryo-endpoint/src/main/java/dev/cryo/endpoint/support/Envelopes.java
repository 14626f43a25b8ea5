package dev.cryo.endpoint.support;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cryo.endpoint.EndpointResponse;

/**
 * Writes yoctopus's envelopes: responses
 * {@code {"meta":{…,"status":"ok"},"data":…}} / {@code {"meta":{…,"status":"error"},"error":…}}
 * and notifications {@code {"meta":{"method":"notify","type":"…"},"data":…}}.
 */
public final class Envelopes {

	/** The {@code meta.method} of a server push. */
	public static final String NOTIFY_METHOD = "notify";

	private final JsonMapper mapper;

	/**
	 * Creates the writer.
	 * @param mapper the mapper that writes data values
	 */
	public Envelopes(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * Writes a notification.
	 * @param type its type
	 * @param data the data, written by the mapper
	 * @return the JSON text
	 */
	public String notification(String type, @Nullable Object data) {
		ObjectNode envelope = this.mapper.createObjectNode();
		ObjectNode meta = envelope.putObject("meta");
		meta.put("method", NOTIFY_METHOD);
		meta.put("type", type);
		envelope.set("data", this.mapper.valueToTree(data));
		return this.mapper.writeValueAsString(envelope);
	}

	/**
	 * Writes a response; an error response carries its one message as a string and several as an
	 * array.
	 * @param response the response
	 * @return the JSON text
	 */
	public String response(EndpointResponse response) {
		ObjectNode envelope = this.mapper.createObjectNode();
		ObjectNode meta = response.meta().deepCopy();
		meta.put("status", response.isOk() ? EndpointResponse.OK : EndpointResponse.ERROR);
		envelope.set("meta", meta);
		if (response.isOk()) {
			JsonNode data = response.data();
			envelope.set("data", (data != null) ? data : this.mapper.nullNode());
		}
		else {
			List<String> errors = response.errors();
			if (errors.size() == 1) {
				envelope.put("error", errors.get(0));
			}
			else {
				ArrayNode array = envelope.putArray("error");
				errors.forEach(array::add);
			}
		}
		return this.mapper.writeValueAsString(envelope);
	}

}
