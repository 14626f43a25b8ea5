package dev.cryo.sample.endpoints;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.client.CryoClient;
import dev.cryo.client.CryoClientListener;
import dev.cryo.client.CryoClientSession;

/**
 * Clients of the endpoint layer for the sample's contract tests: one over Cryo (the Java client,
 * requests as UTF-8 messages) and one over the yoctopus wire (a plain WebSocket from the JDK),
 * both recording every text they receive.
 */
final class EndpointClients {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final Duration WAIT = Duration.ofSeconds(10);

	private EndpointClients() {
	}

	/** A connection of either wire that sends texts and hands out what it received, in order. */
	interface EndpointClient extends AutoCloseable {

		void send(String json) throws Exception;

		BlockingQueue<String> received();

		/** {@link System#nanoTime()} when the latest text arrived (0 before the first), for latency figures. */
		long lastArrivalNanos();

		/** Sends a request and returns the next message received (on a quiet connection: its answer). */
		default JsonNode request(String json) throws Exception {
			send(json);
			return next();
		}

		default JsonNode next() throws Exception {
			String text = received().poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			if (text == null) {
				throw new AssertionError("Nothing received within " + WAIT);
			}
			return JSON.readTree(text);
		}

		@Override
		void close();

	}

	/**
	 * Sends a request and returns its answer; notifications received meanwhile stay queued, in
	 * order, ahead of whatever arrives later.
	 */
	static JsonNode answer(EndpointClient client, String id, String endpoint, String method, String data)
			throws Exception {
		client.send("{\"meta\":{\"id\":\"" + id + "\",\"endpoint\":\"" + endpoint + "\",\"method\":\"" + method
				+ "\"},\"data\":" + data + "}");
		return awaitAnswer(client, id);
	}

	/**
	 * Waits for the answer to a request sent; notifications received meanwhile stay queued, in
	 * order, ahead of whatever arrives later.
	 */
	static JsonNode awaitAnswer(EndpointClient client, String id) throws Exception {
		List<String> others = new ArrayList<>();
		try {
			while (true) {
				String text = client.received().poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
				if (text == null) {
					throw new AssertionError("No answer to " + id + " within " + WAIT);
				}
				JsonNode message = JSON.readTree(text);
				if (id.equals(message.path("meta").path("id").asString())) {
					return message;
				}
				others.add(text);
			}
		}
		finally {
			List<String> rest = new ArrayList<>();
			client.received().drainTo(rest);
			client.received().addAll(others);
			client.received().addAll(rest);
		}
	}

	/** The next message of a notification type, skipping nothing: anything else first fails. */
	static JsonNode nextNotification(EndpointClient client, String type) throws Exception {
		JsonNode message = client.next();
		if (!type.equals(message.path("meta").path("type").asString())) {
			throw new AssertionError("Expected a '" + type + "' notification, got " + message);
		}
		return message;
	}

	static EndpointClient cryo(int port, String token) {
		BlockingQueue<String> texts = new LinkedBlockingQueue<>();
		AtomicLong lastArrival = new AtomicLong();
		CryoClientSession session = CryoClient.builder(URI.create("ws://localhost:" + port + "/cryo"))
			.token(token)
			.listener(new CryoClientListener() {

				@Override
				public void onUtf8Message(CryoClientSession session, String text) {
					lastArrival.set(System.nanoTime());
					texts.add(text);
				}

			})
			.build()
			.connect();
		return new EndpointClient() {

			@Override
			public void send(String json) throws Exception {
				session.sendUtf8(json).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			}

			@Override
			public BlockingQueue<String> received() {
				return texts;
			}

			@Override
			public long lastArrivalNanos() {
				return lastArrival.get();
			}

			@Override
			public void close() {
				session.close();
			}

		};
	}

	static EndpointClient yoctopus(int port, String query) throws Exception {
		BlockingQueue<String> texts = new LinkedBlockingQueue<>();
		AtomicLong lastArrival = new AtomicLong();
		WebSocket.Listener listener = new WebSocket.Listener() {

			private final StringBuilder partial = new StringBuilder();

			@Override
			public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
				this.partial.append(data);
				if (last) {
					lastArrival.set(System.nanoTime());
					texts.add(this.partial.toString());
					this.partial.setLength(0);
				}
				webSocket.request(1);
				return null;
			}

			@Override
			public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
				webSocket.request(1);
				return null;
			}

		};
		WebSocket webSocket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + port + "/yoctopus" + query), listener)
			.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		return new EndpointClient() {

			@Override
			public void send(String json) throws Exception {
				webSocket.sendText(json, true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			}

			@Override
			public BlockingQueue<String> received() {
				return texts;
			}

			@Override
			public long lastArrivalNanos() {
				return lastArrival.get();
			}

			@Override
			public void close() {
				webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
			}

		};
	}

}
