package dev.cryo.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.engine.CryoAckTimeoutException;
import dev.cryo.core.engine.CryoFrameDroppedException;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app's Prometheus scrape on its management port after one scripted session: a
 * refused upgrade, the handshake, echoed messages, an upload and a download, a flood that the
 * {@code drop-newest} policy trims while the client does not read, frames never acknowledged,
 * and BYE. Every Cryo meter is checked against what the script did; the scrape's Cryo lines
 * are printed and written to {@code target/prometheus-scrape.txt}.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "cryo.ack-timeout=300ms", "cryo.keep-alive-interval=1h",
				"cryo.backpressure.max-queue-count=4", "cryo.backpressure.drop-policy=drop-newest" })
@Timeout(60)
class PrometheusScrapeEndToEndTests {

	private static final int FLOOD_PAYLOAD = 64 * 1024;

	private static final Pattern SAMPLE = Pattern.compile("^(cryo_[a-z_]+)(\\{[^}]*\\})? (\\S+)$");

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	CryoServer server;

	private final Map<FrameType, Integer> serverSent = new EnumMap<>(FrameType.class);

	private long serverBytes;

	private long clientBytes;

	@Test
	void scrapeShowsEveryMeterAfterAScriptedSession() throws Exception {
		RawUpgradeRequest.Response refused = RawUpgradeRequest.send(this.port,
				"/cryo?authorization=Bearer+wrong&x-cryo-sid=" + Long.toUnsignedString(sid()), Map.of());
		assertThat(refused.status()).isEqualTo(401);

		SessionId sid = SessionId.of(sid());
		int admitted;
		int dropped;
		try (RawCryoClient client = RawCryoClient.connect(this.port, "/cryo", CryoTestClient.DEV_TOKEN, sid)) {
			// Handshake: the server's ENDPOINT_INFO, ours, its ACK, our ACK of its frame.
			tally(client.handshake());
			tally(new AckFrame(sid, 0));
			this.clientBytes += 25 + 13;

			// Two messages, echoed back and acknowledged.
			send(client, Utf8DataFrame.of(sid, 1, "hello"));
			send(client, Utf8DataFrame.of(sid, 2, "world"));
			receiveUntil(client, sid, (seen) -> seen.count(FrameType.UTF8DATA) == 2 && seen.count(FrameType.ACK) == 2);

			// An upload of 100 bytes, answered with "stream upload 100 <sha-256>".
			send(client, new TxStartFrame(sid, 3, 7, "upload"));
			send(client, new TxChunkFrame(sid, 7, ByteBuffer.wrap(new byte[100])));
			send(client, new TxFinishFrame(sid, 4, 7));
			receiveUntil(client, sid, (seen) -> seen.count(FrameType.UTF8DATA) == 1 && seen.count(FrameType.ACK) == 2);

			// A download of 1000 bytes; the command is echoed too.
			send(client, Utf8DataFrame.of(sid, 5, "download 1000 report"));
			receiveUntil(client, sid, (seen) -> seen.count(FrameType.TX_FINISH) == 1
					&& seen.count(FrameType.UTF8DATA) == 1 && seen.count(FrameType.ACK) == 1);

			// The client stops reading; the server floods it until drop-newest drops three frames.
			CryoSession session = this.server.session(sid).orElseThrow();
			client.pauseReading();
			List<CompletableFuture<Void>> flood = new ArrayList<>();
			dropped = 0;
			while (dropped < 3 && flood.size() < 4000) {
				CompletableFuture<Void> future = session.sendBinary(ByteBuffer.wrap(new byte[FLOOD_PAYLOAD]));
				flood.add(future);
				if (failure(future) instanceof CryoFrameDroppedException) {
					dropped++;
				}
			}
			assertThat(dropped).isEqualTo(3);
			admitted = flood.size() - dropped;
			client.resumeReading();
			for (int i = 0; i < admitted; i++) {
				tally(client.next(BinaryDataFrame.class));
			}
			// Never acknowledged, so every admitted frame times out.
			CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).exceptionally((failure) -> null).get();
			assertThat(flood).filteredOn((future) -> failure(future) instanceof CryoAckTimeoutException)
				.hasSize(admitted);

			send(client, new ByeFrame(sid, 6, "done"));
			tally(client.next(AckFrame.class));
			assertThat(client.awaitClose().code()).isEqualTo(4000);
		}
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.server.sessionCount() == 0);

		String scrape = get("/actuator/prometheus");
		String cryoLines = scrape.lines()
			.filter((line) -> line.startsWith("cryo_") || line.startsWith("# HELP cryo_") || line.startsWith("# TYPE cryo_"))
			.reduce("", (all, line) -> all + line + "\n");
		System.out.println("Prometheus scrape, Cryo meters:\n" + cryoLines);
		Files.writeString(Path.of("target", "prometheus-scrape.txt"), cryoLines, StandardCharsets.UTF_8);
		Map<String, Double> samples = samples(scrape);

		// Session meters are tagged with the dialect: the script's client speaks Cryo v1, no CAMP
		// session was opened.
		assertThat(samples).containsEntry("cryo_sessions_active{dialect=\"cryo-v1\"}", 0.0)
			.containsEntry("cryo_sessions_active{dialect=\"camp\"}", 0.0)
			.containsEntry("cryo_sessions_opened_total{dialect=\"cryo-v1\"}", 1.0)
			.containsEntry("cryo_sessions_opened_total{dialect=\"camp\"}", 0.0)
			.containsEntry("cryo_sessions_closed_total{dialect=\"cryo-v1\",reason=\"peer-bye\"}", 1.0)
			.containsEntry("cryo_sessions_closed_total{dialect=\"cryo-v1\",reason=\"normal\"}", 0.0)
			.containsEntry("cryo_sessions_closed_total{dialect=\"camp\",reason=\"peer-bye\"}", 0.0)
			.containsEntry("cryo_upgrades_rejected_total{reason=\"invalid-token\"}", 1.0)
			.containsEntry("cryo_upgrades_rejected_total{reason=\"no-sid\"}", 0.0)
			// Received: ENDPOINT_INFO; 3 messages; ACKs of the ENDPOINT_INFO, 2 echoes, the stream
			// reply, the download's echo, its TX_START and TX_FINISH; the upload; BYE. Sent: an ACK
			// for each tracked frame received (7), the echoes and the stream reply, the download.
			.containsEntry("cryo_frames_received_total{type=\"endpoint_info\"}", 1.0)
			.containsEntry("cryo_frames_received_total{type=\"utf8data\"}", 3.0)
			.containsEntry("cryo_frames_received_total{type=\"ack\"}", 7.0)
			.containsEntry("cryo_frames_received_total{type=\"tx_start\"}", 1.0)
			.containsEntry("cryo_frames_received_total{type=\"tx_chunk\"}", 1.0)
			.containsEntry("cryo_frames_received_total{type=\"tx_finish\"}", 1.0)
			.containsEntry("cryo_frames_received_total{type=\"bye\"}", 1.0)
			.containsEntry("cryo_frames_received_total{type=\"malformed\"}", 0.0)
			.containsEntry("cryo_frames_sent_total{type=\"endpoint_info\"}", 1.0)
			.containsEntry("cryo_frames_sent_total{type=\"ack\"}", 7.0)
			.containsEntry("cryo_frames_sent_total{type=\"utf8data\"}", 4.0)
			.containsEntry("cryo_frames_sent_total{type=\"tx_start\"}", 1.0)
			.containsEntry("cryo_frames_sent_total{type=\"tx_chunk\"}", 1.0)
			.containsEntry("cryo_frames_sent_total{type=\"tx_finish\"}", 1.0)
			.containsEntry("cryo_frames_sent_total{type=\"binarydata\"}", (double) admitted)
			.containsEntry("cryo_frames_sent_total{type=\"ping_pong\"}", 0.0)
			.containsEntry("cryo_frames_dropped_total{policy=\"drop-newest\"}", 3.0)
			.containsEntry("cryo_frames_dropped_total{policy=\"drop-oldest\"}", 0.0)
			.containsEntry("cryo_acks_timeout_total", (double) admitted)
			.containsEntry("cryo_ack_rtt_seconds_count", 7.0)
			.containsEntry("cryo_bytes_received_total", (double) this.clientBytes)
			.containsEntry("cryo_bytes_sent_total", (double) this.serverBytes)
			.containsEntry("cryo_transactions_bytes_received_total", 100.0)
			.containsEntry("cryo_transactions_bytes_sent_total", 1000.0);
		assertThat(this.serverSent).containsEntry(FrameType.ACK, 7).containsEntry(FrameType.UTF8DATA, 4);
		assertThat(samples.get("cryo_ack_rtt_seconds_sum")).isPositive();
		// Only fixed-set tags: nothing that names a session, a token or an address.
		assertThat(cryoLines).doesNotContain(sid.toString()).doesNotContain("127.0.0.1").doesNotContain("dev-token");
	}

	@Test
	void healthOnTheManagementPortShowsTheCryoComponent() throws Exception {
		Map<String, Object> health = JsonParserFactory.getJsonParser().parseMap(get("/actuator/health"));
		assertThat(health).extractingByKey("components")
			.extracting("cryo")
			.hasFieldOrPropertyWithValue("status", "UP")
			.extracting("details")
			.hasFieldOrPropertyWithValue("path", "/cryo")
			.hasFieldOrPropertyWithValue("port", this.port)
			.hasFieldOrPropertyWithValue("sessions", 0);
	}

	// ---- the client side of the script

	private void send(RawCryoClient client, Frame frame) {
		client.send(frame);
		this.clientBytes += FrameCodec.encode(frame).remaining();
	}

	/** Counts a frame the server sent, by type and bytes. */
	private void tally(Frame frame) {
		this.serverSent.merge(frame.type(), 1, Integer::sum);
		this.serverBytes += FrameCodec.encode(frame).remaining();
	}

	/**
	 * Reads frames, acknowledging every tracked one as a well-behaved client does, until the
	 * frames read in this call satisfy the condition.
	 */
	private void receiveUntil(RawCryoClient client, SessionId sid, Predicate<Seen> done) {
		Seen seen = new Seen(new EnumMap<>(FrameType.class));
		while (!done.test(seen)) {
			Frame frame = client.next(Duration.ofSeconds(5));
			tally(frame);
			seen.types().merge(frame.type(), 1, Integer::sum);
			// The tracked frames the script makes the server send; ACKs and chunks are not tracked.
			if (frame instanceof Utf8DataFrame data) {
				send(client, new AckFrame(sid, data.ack()));
			}
			else if (frame instanceof TxStartFrame start) {
				send(client, new AckFrame(sid, start.ack()));
			}
			else if (frame instanceof TxFinishFrame finish) {
				send(client, new AckFrame(sid, finish.ack()));
			}
		}
	}

	private record Seen(Map<FrameType, Integer> types) {

		int count(FrameType type) {
			return this.types.getOrDefault(type, 0);
		}

	}

	private static long sid() {
		return ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE);
	}

	private static Throwable failure(CompletableFuture<Void> future) {
		if (!future.isDone()) {
			return null;
		}
		try {
			future.join();
			return null;
		}
		catch (CompletionException ex) {
			return ex.getCause();
		}
	}

	/** Every sample of a {@code cryo_} meter, keyed by name and labels as printed. */
	private static Map<String, Double> samples(String scrape) {
		Map<String, Double> samples = new TreeMap<>();
		for (String line : scrape.lines().toList()) {
			Matcher matcher = SAMPLE.matcher(line);
			if (matcher.matches()) {
				String labels = (matcher.group(2) != null) ? matcher.group(2) : "";
				samples.put(matcher.group(1) + labels, Double.parseDouble(matcher.group(3)));
			}
		}
		return samples;
	}

	private String get(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.managementPort + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
		return response.body();
	}

}
