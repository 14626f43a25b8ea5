package dev.cryo.endpoint.wire;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.support.EndpointDispatcher;

/**
 * A dispatcher for the wire tests, independent of the engine: a request is a text that starts
 * with {@code {"meta"}, answered with {@code ok}; it records what it was handed.
 */
final class WireTestDispatcher implements EndpointDispatcher {

	final List<EndpointConnection> opened = new CopyOnWriteArrayList<>();

	final List<EndpointConnection> closed = new CopyOnWriteArrayList<>();

	final List<String> dispatched = new CopyOnWriteArrayList<>();

	final List<Integer> binaries = new CopyOnWriteArrayList<>();

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
				throw new IllegalArgumentException(plugin);
			}

			@Override
			public Map<String, Map<String, @Nullable Object>> asMap() {
				return Map.of();
			}

			@Override
			public void update(String plugin, Map<String, ? extends @Nullable Object> changes) {
				throw new IllegalArgumentException(plugin);
			}

		};
	}

	@Override
	public void opened(EndpointConnection connection) {
		this.opened.add(connection);
	}

	@Override
	public boolean isRequest(String text) {
		return text.startsWith("{\"meta\"");
	}

	@Override
	public void dispatch(EndpointConnection connection, String text) {
		this.dispatched.add(text);
		connection.sendText("ok");
	}

	@Override
	public boolean hasBinaryHandler() {
		return this.binaryHandler;
	}

	@Override
	public void dispatchBinary(EndpointConnection connection, ByteBuffer payload) {
		this.binaries.add(payload.remaining());
	}

	@Override
	public void closed(EndpointConnection connection) {
		this.closed.add(connection);
	}

}
