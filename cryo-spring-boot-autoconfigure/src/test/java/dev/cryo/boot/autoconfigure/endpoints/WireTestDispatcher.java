package dev.cryo.boot.autoconfigure.endpoints;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.support.EndpointDispatcher;

/**
 * A dispatcher for the wire tests, independent of the engine: a request is any JSON object whose
 * {@code meta} has a string {@code endpoint}, and it is answered with its meta plus
 * {@code "status":"ok"} and its data echoed; binary messages are echoed when enabled. It records
 * the connections that opened and closed.
 */
final class WireTestDispatcher implements EndpointDispatcher {

	private final JsonMapper mapper = JsonMapper.builder().build();

	final List<EndpointConnection> opened = new CopyOnWriteArrayList<>();

	final List<EndpointConnection> closed = new CopyOnWriteArrayList<>();

	final List<String> dispatched = new CopyOnWriteArrayList<>();

	volatile boolean binaryHandler;

	@Override
	public ConnectionSettings createSettings(EndpointConnection owner) {
		return new ConnectionSettings() {

			@Override
			public @Nullable Object get(String plugin, String setting) {
				return null;
			}

			@Override
			public <T> T get(String plugin, Class<T> type) {
				throw new IllegalArgumentException("No settings in the wire tests");
			}

			@Override
			public Map<String, Map<String, @Nullable Object>> asMap() {
				return Map.of();
			}

			@Override
			public void update(String plugin, Map<String, ? extends @Nullable Object> changes) {
				throw new IllegalArgumentException("No settings in the wire tests");
			}

		};
	}

	@Override
	public void opened(EndpointConnection connection) {
		this.opened.add(connection);
	}

	@Override
	public boolean isRequest(String text) {
		JsonNode meta = parse(text).path("meta");
		return meta.isObject() && meta.path("endpoint").isString();
	}

	private JsonNode parse(String text) {
		try {
			return this.mapper.readTree(text);
		}
		catch (RuntimeException ex) {
			return this.mapper.missingNode();
		}
	}

	@Override
	public void dispatch(EndpointConnection connection, String text) {
		this.dispatched.add(text);
		JsonNode request = parse(text);
		ObjectNode response = this.mapper.createObjectNode();
		ObjectNode meta = request.path("meta").isObject() ? ((ObjectNode) request.get("meta")).deepCopy()
				: this.mapper.createObjectNode();
		meta.put("status", "ok");
		response.set("meta", meta);
		response.set("data", request.path("data").isMissingNode() ? this.mapper.nullNode() : request.get("data"));
		connection.sendText(this.mapper.writeValueAsString(response));
	}

	@Override
	public boolean hasBinaryHandler() {
		return this.binaryHandler;
	}

	@Override
	public void dispatchBinary(EndpointConnection connection, ByteBuffer payload) {
		byte[] bytes = new byte[payload.remaining()];
		payload.get(bytes);
		connection.sendText("binary " + bytes.length);
	}

	@Override
	public void closed(EndpointConnection connection) {
		this.closed.add(connection);
	}

}
