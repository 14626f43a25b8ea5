package dev.cryo.benchmarks.driver;

import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests of the endpoint layer, {@code greeter:hello} {@code read}, over {@code connections}
 * connections with {@code window} requests in flight each, on four sides: the request as a Cryo
 * UTF-8 message (claimed by the endpoint layer), as a text frame on the yoctopus wire, and the
 * same text echoed by a Cryo event listener and by a plain Spring handler (the floors: what the
 * transport costs without the endpoint layer). The send time travels in the request id, which
 * every answer repeats.
 */
final class EndpointScenario {

	/** Where the requests go. */
	enum Side {

		/** JSON requests as Cryo UTF-8 messages, answered by the endpoint layer. */
		CRYO_ENDPOINT("greeter over Cryo", true, "/cryo"),

		/** JSON requests on the yoctopus wire. */
		YOCTOPUS_ENDPOINT("greeter over yoctopus wire", false, "/yoctopus"),

		/** The same text as a Cryo UTF-8 message that is no request, echoed by an event listener. */
		CRYO_ECHO("Cryo text echo", true, "/cryo"),

		/** The same text echoed by a plain Spring WebSocket handler. */
		RAW_ECHO("raw text echo", false, "/raw");

		final String label;

		final boolean cryo;

		final String path;

		Side(String label, boolean cryo, String path) {
			this.label = label;
			this.cryo = cryo;
			this.path = path;
		}

	}

	private static final String ID_FIELD = "\"id\":\"";

	private final int connections;

	private final int window;

	EndpointScenario(int connections, int window) {
		this.connections = connections;
		this.window = window;
	}

	String label() {
		return "greeter:hello " + this.connections + " conn, window " + this.window;
	}

	EchoScenario.Result run(HttpClient client, ServerProcess server, Side side, long warmupMillis, long measureMillis)
			throws Exception {
		List<Latencies> latencies = new ArrayList<>();
		List<LeanConnection> open = new ArrayList<>();
		EchoScenario.Pump pump = new EchoScenario.Pump();
		for (int i = 0; i < this.connections; i++) {
			LeanConnection connection = LeanConnection.open(client, server.port(), side.cryo, Sids.next(), side.path).join();
			Latencies recorded = new Latencies();
			latencies.add(recorded);
			connection.handler(new LeanConnection.Handler() {

				@Override
				public void onData(LeanConnection connection, int type, ByteBuffer payload) {
					answered(connection, StandardCharsets.UTF_8.decode(payload).toString());
				}

				@Override
				public void onText(LeanConnection connection, String text) {
					answered(connection, text);
				}

				private void answered(LeanConnection connection, String text) {
					int start = text.indexOf(ID_FIELD);
					if (start < 0) {
						return;
					}
					start += ID_FIELD.length();
					long sent = Long.parseLong(text, start, text.indexOf('"', start), 10);
					recorded.add(System.nanoTime() - sent);
					if (pump.running) {
						sendOne(connection, side);
					}
				}

			});
			open.add(connection);
		}
		for (LeanConnection connection : open) {
			for (int i = 0; i < this.window; i++) {
				sendOne(connection, side);
			}
		}
		return EchoScenario.measure(server, latencies, open, pump, warmupMillis, measureMillis);
	}

	private static void sendOne(LeanConnection connection, Side side) {
		String request = "{\"meta\":{\"id\":\"" + System.nanoTime() + "\",\"endpoint\":\"greeter:hello\",\"method\":\"read\"},"
				+ "\"data\":{\"name\":\"bench\"}}";
		if (side == Side.CRYO_ECHO) {
			// Not a request (no meta.endpoint), so the endpoint layer passes it on to the echo.
			request = request.replace("\"endpoint\"", "\"target\"");
		}
		if (connection.isCryo()) {
			connection.sendUtf8(request);
		}
		else {
			connection.sendQueuedText(request);
		}
	}

}
