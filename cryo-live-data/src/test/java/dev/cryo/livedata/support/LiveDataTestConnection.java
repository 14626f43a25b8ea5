package dev.cryo.livedata.support;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.support.Envelopes;
import dev.cryo.server.CryoSession;

/**
 * An in-memory connection that records what it is notified, as the wire text the endpoint
 * layer's {@link Envelopes} would send, with the time it arrived.
 */
final class LiveDataTestConnection implements EndpointConnection {

	private static final AtomicInteger ids = new AtomicInteger();

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static final Envelopes envelopes = new Envelopes(mapper);

	private final String id = "live-" + ids.incrementAndGet();

	private final List<Received> received = new ArrayList<>();

	private volatile boolean open = true;

	/**
	 * One notification.
	 * @param text the wire text
	 * @param nanoTime when it arrived
	 */
	record Received(String text, long nanoTime) {

		JsonNode json() {
			return mapper.readTree(this.text);
		}

		JsonNode data() {
			return json().get("data");
		}

	}

	synchronized List<Received> received() {
		return List.copyOf(this.received);
	}

	List<JsonNode> data() {
		return received().stream().map(Received::data).toList();
	}

	synchronized void clear() {
		this.received.clear();
	}

	@Override
	public CompletableFuture<Void> notify(String type, @Nullable Object data) {
		return sendText(envelopes.notification(type, data));
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
		return null;
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
				throw new UnsupportedOperationException();
			}

		};
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

	@Override
	public CompletableFuture<Void> sendText(String json) {
		long now = System.nanoTime();
		synchronized (this) {
			this.received.add(new Received(json, now));
		}
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

}
