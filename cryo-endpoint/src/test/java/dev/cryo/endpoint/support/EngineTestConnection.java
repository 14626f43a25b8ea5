package dev.cryo.endpoint.support;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointException;
import dev.cryo.server.CryoSession;

/**
 * An in-memory connection for the engine's tests: records what is sent to it, and the order in
 * which settings changes and sends happened ({@link #events}). Its settings are plain maps; an
 * update of a plugin named {@code refuse} fails as an invalid one would.
 */
final class EngineTestConnection implements EndpointConnection {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	final BlockingQueue<String> sent = new LinkedBlockingQueue<>();

	final List<String> events = new CopyOnWriteArrayList<>();

	final List<Map.Entry<String, Object>> notifications = new CopyOnWriteArrayList<>();

	final TestSettings settings = new TestSettings();

	private final String id;

	volatile @Nullable Principal principal;

	volatile boolean open = true;

	EngineTestConnection(String id) {
		this.id = id;
	}

	/** Waits for the next message sent and parses it. */
	JsonNode next() throws InterruptedException {
		String text = this.sent.poll(5, TimeUnit.SECONDS);
		if (text == null) {
			throw new AssertionError("Nothing was sent to connection " + this.id);
		}
		return MAPPER.readTree(text);
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public String wire() {
		return YOCTOPUS_WIRE;
	}

	@Override
	public @Nullable Principal principal() {
		return this.principal;
	}

	@Override
	public @Nullable InetSocketAddress remoteAddress() {
		return null;
	}

	@Override
	public boolean isSecure() {
		return false;
	}

	@Override
	public int localPort() {
		return -1;
	}

	@Override
	public ConnectionSettings settings() {
		return this.settings;
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

	@Override
	public CompletableFuture<Void> sendText(String json) {
		this.events.add("sent");
		this.sent.add(json);
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public @Nullable CryoSession cryoSession() {
		return null;
	}

	@Override
	public void close(String reason) {
		this.open = false;
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
			return MAPPER.convertValue(this.values.getOrDefault(plugin, Map.of()), type);
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
