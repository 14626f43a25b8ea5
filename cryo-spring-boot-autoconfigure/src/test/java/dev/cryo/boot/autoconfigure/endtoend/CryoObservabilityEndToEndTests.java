package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.engine.CryoAckTimeoutException;
import dev.cryo.core.engine.CryoFrameDroppedException;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.support.DefaultCryoServer;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Observability against a real server: the meters after a scripted session (refused upgrade,
 * handshake, messages both ways, a transaction, drops under a stalled reader, ack timeouts,
 * BYE), the {@code cryo} health component and the {@code cryo} endpoint's JSON over HTTP.
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.ack-timeout=300ms", "cryo.keep-alive-interval=1h",
				"cryo.backpressure.max-queue-count=4", "cryo.backpressure.drop-policy=drop-newest",
				"management.endpoints.web.exposure.include=health,cryo",
				"management.endpoint.health.show-details=always" })
@Timeout(60)
class CryoObservabilityEndToEndTests {

	private static final int FLOOD_PAYLOAD = 64 * 1024;

	/** Far more than loopback buffers hold: the writer stalls long before. */
	private static final int MAX_FLOOD = 4000;

	private static final HttpClient http = HttpClient.newHttpClient();

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	/** The application's port, where the actuator answers. */
	@LocalServerPort
	int serverPort;

	@Autowired
	CryoServer server;

	@Autowired
	MeterRegistry registry;

	@Test
	void metersCountAScriptedSession() throws Exception {
		Snapshot before = new Snapshot(this.registry);
		// A refused upgrade: wrong token.
		RawUpgradeRequest.Response refused = RawUpgradeRequest.send(this.port,
				CryoTestApplication.PATH + "?authorization=Bearer+wrong&x-cryo-sid=" + RawFrames.newSid().toString(),
				Map.of());
		assertThat(refused.status()).isEqualTo(401);

		SessionId sid = RawFrames.newSid();
		long clientBytes = 0;
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			// ENDPOINT_INFO and the ACK of the server's, sent by ready().
			clientBytes += 25 + 13;
			CryoSession session = CryoClients.session(this.server, sid);
			assertThat(this.registry.get("cryo.sessions.active").tag("dialect", "cryo-v1").gauge().value())
				.isGreaterThanOrEqualTo(1);

			// Two messages each way, every one acknowledged.
			clientBytes += send(client, Utf8DataFrame.of(sid, 1, "hello"));
			clientBytes += send(client, Utf8DataFrame.of(sid, 2, "world"));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(1);
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(2);
			CompletableFuture<Void> one = session.sendUtf8("one");
			CompletableFuture<Void> two = session.sendUtf8("two");
			for (int i = 0; i < 2; i++) {
				Utf8DataFrame received = client.next(Utf8DataFrame.class);
				clientBytes += send(client, new AckFrame(sid, received.ack()));
			}
			CompletableFuture.allOf(one, two).get();

			// A 100-byte upload.
			clientBytes += send(client, new TxStartFrame(sid, 3, 7, "upload"));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(3);
			clientBytes += send(client, new TxChunkFrame(sid, 7, ByteBuffer.wrap(new byte[100])));
			clientBytes += send(client, new TxFinishFrame(sid, 4, 7));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(4);

			// The client stops reading; the server floods it until drop-newest drops frames.
			Flood flood = flood(client, session);
			assertThat(flood.dropped()).isPositive();
			client.resumeReading();
			for (int i = 0; i < flood.admitted(); i++) {
				client.next(BinaryDataFrame.class);
			}
			// Never acknowledged: every admitted frame times out.
			CompletableFuture.allOf(flood.futures().toArray(CompletableFuture[]::new))
				.exceptionally((failure) -> null)
				.get();
			assertThat(flood.futures()).filteredOn((future) -> failure(future) instanceof CryoAckTimeoutException)
				.hasSize(flood.admitted());

			clientBytes += send(client, new ByeFrame(sid, 5, "done"));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(5);
			assertThat(client.awaitClose().code()).isEqualTo(4000);

			long expectedClientBytes = clientBytes;
			long serverBytes = 25 + 6 * 13 + 2 * (13 + 3) + (long) flood.admitted() * (13 + FLOOD_PAYLOAD);
			Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				Snapshot delta = new Snapshot(this.registry).minus(before);
				assertThat(delta.counters()).containsEntry("upgrades.rejected:invalid-token", 1.0)
					.containsEntry("sessions.opened:cryo-v1", 1.0)
					.containsEntry("sessions.opened:camp", 0.0)
					.containsEntry("sessions.closed:cryo-v1:peer-bye", 1.0)
					.containsEntry("sessions.closed:camp:peer-bye", 0.0)
					.containsEntry("frames.received:endpoint_info", 1.0)
					.containsEntry("frames.received:ack", 3.0)
					.containsEntry("frames.received:utf8data", 2.0)
					.containsEntry("frames.received:tx_start", 1.0)
					.containsEntry("frames.received:tx_chunk", 1.0)
					.containsEntry("frames.received:tx_finish", 1.0)
					.containsEntry("frames.received:bye", 1.0)
					.containsEntry("frames.received:malformed", 0.0)
					.containsEntry("frames.sent:endpoint_info", 1.0)
					.containsEntry("frames.sent:ack", 6.0)
					.containsEntry("frames.sent:utf8data", 2.0)
					.containsEntry("frames.sent:binarydata", (double) flood.admitted())
					.containsEntry("frames.sent:ping_pong", 0.0)
					.containsEntry("frames.dropped:drop-newest", (double) flood.dropped())
					.containsEntry("acks.timeout", (double) flood.admitted())
					.containsEntry("bytes.received", (double) expectedClientBytes)
					.containsEntry("bytes.sent", (double) serverBytes)
					.containsEntry("transactions.bytes.received", 100.0)
					.containsEntry("transactions.bytes.sent", 0.0);
				// The server's ENDPOINT_INFO and the two messages were acknowledged.
				assertThat(delta.rttSamples()).isEqualTo(3);
				assertThat(this.registry.get("cryo.sessions.active").tag("dialect", "cryo-v1").gauge().value())
					.isZero();
			});
		}
	}

	@Test
	void healthShowsTheCryoComponentUpThenDownWhileShuttingDown() throws Exception {
		Map<String, Object> cryo = cryoHealth(200);
		assertThat(cryo).containsEntry("status", "UP");
		assertThat(details(cryo)).containsEntry("path", "/cryo").containsEntry("port", this.port).containsKey("sessions");
		((DefaultCryoServer) this.server).sessionRegistry().stopAccepting();
		try {
			Map<String, Object> down = cryoHealth(503);
			assertThat(down).containsEntry("status", "DOWN");
			assertThat(details(down)).containsKey("reason").containsEntry("path", "/cryo");
		}
		finally {
			((DefaultCryoServer) this.server).sessionRegistry().startAccepting();
		}
		assertThat(cryoHealth(200)).containsEntry("status", "UP");
	}

	@Test
	@SuppressWarnings("unchecked")
	void endpointListsTheLiveSessionsAsJson() throws Exception {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CryoClients.session(this.server, sid);
			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> this.server.session(sid).orElseThrow().statistics().rttMillis() >= 0);
			HttpResponse<String> response = get("/actuator/cryo");
			assertThat(response.statusCode()).isEqualTo(200);
			Map<String, Object> body = JsonParserFactory.getJsonParser().parseMap(response.body());
			Map<String, Object> summary = (Map<String, Object>) body.get("summary");
			assertThat(summary).containsEntry("running", true).containsEntry("accepting", true);
			assertThat((Map<String, Object>) body.get("cluster")).containsEntry("enabled", false)
				.containsEntry("nodeId", "local");
			assertThat((Integer) summary.get("sessions")).isPositive();
			assertThat((Integer) summary.get("open")).isPositive();
			assertThat((Map<String, Object>) summary.get("dialects")).containsKey("cryo-v1");
			List<Map<String, Object>> sessions = (List<Map<String, Object>>) body.get("sessions");
			Map<String, Object> mine = sessions.stream()
				.filter((entry) -> sid.toString().equals(entry.get("id")))
				.findFirst()
				.orElseThrow();
			assertThat(mine).containsEntry("state", "OPEN")
				.containsEntry("dialect", "cryo-v1")
				.containsEntry("transactionLayout", "seed")
				.containsEntry("writable", true)
				.containsEntry("queuedFrames", 0)
				.containsEntry("queuedBytes", 0)
				.containsEntry("framesDropped", 0)
				.containsKeys("connectedAt", "ageMillis", "pendingAcks", "ackTimeouts");
			assertThat((String) mine.get("remoteAddress")).matches("(127\\.0\\.0\\.1|0:0:0:0:0:0:0:1|::1):\\d+");
			assertThat(((Number) mine.get("rttMillis")).doubleValue()).isNotNegative();
			assertThat(((Number) mine.get("bytesReceived")).longValue()).isEqualTo(25 + 13);
			assertThat(((Number) mine.get("bytesSent")).longValue()).isEqualTo(25 + 13);

			HttpResponse<String> one = get("/actuator/cryo/" + sid.toString());
			assertThat(one.statusCode()).isEqualTo(200);
			assertThat(JsonParserFactory.getJsonParser().parseMap(one.body())).containsEntry("id",
					sid.toString());
			assertThat(get("/actuator/cryo/12345").statusCode()).isEqualTo(404);
			assertThat(get("/actuator/cryo/123e4567-e89b-12d3-a456-426614174000").statusCode()).isEqualTo(404);
			assertThat(get("/actuator/cryo/not-an-id").statusCode()).isEqualTo(404);
			client.closeWebSocket(1000, "");
		}
		CryoClients.awaitGone(this.server, sid);
	}

	// ---- helpers

	private static long send(RawCryoClient client, Frame frame) {
		client.send(frame);
		return FrameCodec.encode(frame).remaining();
	}

	/** Sends 64 KiB messages to a client that stopped reading until some are dropped. */
	private static Flood flood(RawCryoClient client, CryoSession session) {
		client.pauseReading();
		List<CompletableFuture<Void>> futures = new ArrayList<>();
		int dropped = 0;
		for (int i = 0; i < MAX_FLOOD && dropped < 3; i++) {
			CompletableFuture<Void> future = session.sendBinary(ByteBuffer.wrap(new byte[FLOOD_PAYLOAD]));
			futures.add(future);
			// drop-newest refuses a frame at once, so the future is already failed.
			if (future.isCompletedExceptionally() && failure(future) instanceof CryoFrameDroppedException) {
				dropped++;
			}
		}
		return new Flood(futures, dropped, futures.size() - dropped);
	}

	private static Throwable failure(CompletableFuture<Void> future) {
		try {
			future.join();
			return null;
		}
		catch (CompletionException ex) {
			return ex.getCause();
		}
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> cryoHealth(int expectedStatus) throws IOException, InterruptedException {
		HttpResponse<String> response = get("/actuator/health");
		assertThat(response.statusCode()).isEqualTo(expectedStatus);
		Map<String, Object> health = JsonParserFactory.getJsonParser().parseMap(response.body());
		return (Map<String, Object>) ((Map<String, Object>) health.get("components")).get("cryo");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> details(Map<String, Object> component) {
		return (Map<String, Object>) component.get("details");
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.serverPort + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private record Flood(List<CompletableFuture<Void>> futures, int dropped, int admitted) {
	}

	/** The values of every {@code cryo.*} counter and the RTT timer's count, keyed "name:tag". */
	private record Snapshot(Map<String, Double> counters, long rttSamples) {

		Snapshot(MeterRegistry registry) {
			this(counters(registry), registry.get("cryo.ack.rtt").timer().count());
		}

		private static Map<String, Double> counters(MeterRegistry registry) {
			Map<String, Double> values = new java.util.TreeMap<>();
			registry.find("cryo.frames.received").counters().forEach((c) -> values.put("frames.received:" + c.getId().getTag("type"), c.count()));
			registry.find("cryo.frames.sent").counters().forEach((c) -> values.put("frames.sent:" + c.getId().getTag("type"), c.count()));
			registry.find("cryo.frames.dropped").counters().forEach((c) -> values.put("frames.dropped:" + c.getId().getTag("policy"), c.count()));
			registry.find("cryo.sessions.opened").counters().forEach((c) -> values.put("sessions.opened:" + c.getId().getTag("dialect"), c.count()));
			registry.find("cryo.sessions.closed").counters().forEach((c) -> values.put("sessions.closed:" + c.getId().getTag("dialect") + ":" + c.getId().getTag("reason"), c.count()));
			registry.find("cryo.upgrades.rejected").counters().forEach((c) -> values.put("upgrades.rejected:" + c.getId().getTag("reason"), c.count()));
			for (String name : List.of("acks.timeout", "bytes.received", "bytes.sent",
					"transactions.bytes.received", "transactions.bytes.sent")) {
				values.put(name, registry.get("cryo." + name).counter().count());
			}
			return values;
		}

		Snapshot minus(Snapshot earlier) {
			Map<String, Double> delta = new java.util.TreeMap<>();
			this.counters.forEach((key, value) -> delta.put(key, value - earlier.counters.getOrDefault(key, 0.0)));
			return new Snapshot(delta, this.rttSamples - earlier.rttSamples);
		}

	}

}
