package dev.cryo.livedata.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;

import dev.cryo.endpoint.testing.RecordingConnection;

/**
 * A connection that records what it is sent, as the wire text the endpoint layer's envelopes
 * would carry, with the time it arrived.
 */
final class LiveDataTestConnection extends RecordingConnection {

	private static final AtomicInteger ids = new AtomicInteger();

	private final List<Received> received = new ArrayList<>();

	LiveDataTestConnection() {
		super("live-" + ids.incrementAndGet());
	}

	/**
	 * One notification.
	 * @param text the wire text
	 * @param nanoTime when it arrived
	 */
	record Received(String text, long nanoTime) {

		JsonNode json() {
			return JSON.readTree(this.text);
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
	public CompletableFuture<Void> sendText(String json) {
		long now = System.nanoTime();
		synchronized (this) {
			this.received.add(new Received(json, now));
		}
		return CompletableFuture.completedFuture(null);
	}

}
