package dev.cryo.endpoint.support;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.EndpointException;
import dev.cryo.endpoint.testing.RecordingConnection;

/**
 * A connection for the engine's tests: records what is sent to it, the notifications as
 * (type, data) pairs, and the order in which settings changes and sends happened
 * ({@link #events}). Its settings are plain maps; an update of a plugin named {@code refuse}
 * fails as an invalid one would.
 */
final class EngineTestConnection extends RecordingConnection {

	final BlockingQueue<String> sent = texts();

	final List<String> events = new CopyOnWriteArrayList<>();

	final List<Map.Entry<String, Object>> notifications = new CopyOnWriteArrayList<>();

	final TestSettings settings = new TestSettings();

	EngineTestConnection(String id) {
		super(id);
		setSettings(this.settings);
	}

	/** Waits for the next message sent and parses it. */
	JsonNode next() throws InterruptedException {
		return nextJson();
	}

	@Override
	public CompletableFuture<Void> sendText(String json) {
		this.events.add("sent");
		return super.sendText(json);
	}

	@Override
	public CompletableFuture<Void> notify(String type, @Nullable Object data) {
		this.notifications.add(Map.entry(type, (data != null) ? data : "null"));
		return CompletableFuture.completedFuture(null);
	}

	/** Settings as plain maps. */
	final class TestSettings implements ConnectionSettings {

		private final Map<String, Map<String, @Nullable Object>> values = new ConcurrentHashMap<>();

		void set(String plugin, String setting, @Nullable Object value) {
			this.values.computeIfAbsent(plugin, (key) -> Collections.synchronizedMap(new LinkedHashMap<>()))
				.put(setting, value);
		}

		@Override
		public @Nullable Object get(String plugin, String setting) {
			Map<String, @Nullable Object> pluginValues = this.values.get(plugin);
			return (pluginValues != null) ? pluginValues.get(setting) : null;
		}

		@Override
		public <T> T get(String plugin, Class<T> type) {
			return JSON.convertValue(this.values.getOrDefault(plugin, Map.of()), type);
		}

		@Override
		public Map<String, Map<String, @Nullable Object>> asMap() {
			return new LinkedHashMap<>(this.values);
		}

		@Override
		public void update(String plugin, Map<String, ? extends @Nullable Object> changes) {
			if (plugin.equals("refuse")) {
				throw new EndpointException("settings refused");
			}
			changes.forEach((setting, value) -> set(plugin, setting, value));
			EngineTestConnection.this.events.add("settings " + changes);
		}

	}

}
