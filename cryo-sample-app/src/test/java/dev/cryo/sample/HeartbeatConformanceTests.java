package dev.cryo.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.sample.CryoTestClient.Close;
import dev.cryo.sample.CryoWire.Frame;
import dev.cryo.sample.DialectPeer.Kind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cryo-v1.md §7 (heartbeat) with {@code cryo.keep-alive-interval=1s}: server pings, and reaping of
 * peers that stop answering them.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.keep-alive-interval=1s")
@DisplayName("Cryo v1 §7 — heartbeat (keep-alive 1 s)")
class HeartbeatConformanceTests extends ConformanceSupport {

	static final String DEAD_REASON = "Disconnecting session due to not responding to ping frames.";

	/** One interval plus generous slack. */
	private static final Duration TICK = Duration.ofMillis(2500);

	@Test
	@DisplayName("§7: server pings arrive once per interval with fresh ack numbers; answered pings keep the session open")
	void serverPingsCarryFreshAckNumbers() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			client.autoPong(false);
			List<Long> arrivals = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				Frame ping = client.next(TICK);
				assertThat(ping.isPing()).as("expected a server ping, got %s", ping).isTrue();
				arrivals.add(System.nanoTime());
				client.send(CryoWire.pong(sid, ping.ack()));
			}
			List<Long> pingAcks = client.pings().stream().map(Frame::ack).toList();
			// Only the ENDPOINT_INFO (0) and the pings took numbers: 1, 2, 3, ... (§6.1).
			for (int i = 0; i < pingAcks.size(); i++) {
				assertThat(pingAcks.get(i)).as("ack of ping #%d in %s", i + 1, pingAcks).isEqualTo(i + 1L);
			}
			for (int i = 1; i < arrivals.size(); i++) {
				long gapMillis = (arrivals.get(i) - arrivals.get(i - 1)) / 1_000_000;
				assertThat(gapMillis).as("time between pings").isBetween(500L, 2000L);
			}
			assertThat(client.isClosed()).isFalse();
			client.autoPong(true);
			client.assertEchoes("alive");
			assertThat(client.received()).noneMatch((f) -> f.is(CryoWire.BYE));
		}
	}

	@Test
	@DisplayName("§7: a peer that stops answering pings gets BYE \"Disconnecting session due to not responding to ping frames.\" then close 4000")
	void unansweredPingsEndTheSession() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			client.autoPong(false);
			long silentSince = System.nanoTime();
			List<Frame> frames = client.collectUntil((list) -> list.stream().anyMatch((f) -> f.is(CryoWire.BYE)),
					Duration.ofSeconds(5));
			long reapedAfterMillis = (System.nanoTime() - silentSince) / 1_000_000;
			Frame bye = frames.get(frames.size() - 1);
			assertThat(bye.type()).isEqualTo(CryoWire.BYE);
			assertThat(bye.text()).isEqualTo(DEAD_REASON);
			assertThat(frames.subList(0, frames.size() - 1)).as("only unanswered pings before the BYE")
				.isNotEmpty()
				.allMatch(Frame::isPing);
			// The BYE takes the next number of the server's counter (§6.1, §8.1).
			AcknowledgementConformanceTests.assertNumberedFramesAreContiguous(client.received());
			long lastPing = client.pings().get(client.pings().size() - 1).ack();
			assertThat(bye.ack()).isEqualTo(lastPing + 1);
			Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(4000);
			assertThat(close.reason()).as("our server repeats the BYE reason").isEqualTo(DEAD_REASON);
			// Between one and two intervals after the last answered tick (plus scheduling slack).
			assertThat(reapedAfterMillis).isLessThanOrEqualTo(3500);
		}
	}

	@Test
	@DisplayName("§7: only a pong marks the peer alive — data, ACKs and client pings do not")
	void onlyPongsCountAsAlive() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			client.autoPong(false);
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			Frame bye = null;
			while (bye == null && System.nanoTime() < deadline && !client.isClosed()) {
				client.sendIgnoringFailure(CryoWire.utf8(sid, client.nextAck(), "busy"));
				client.sendIgnoringFailure(CryoWire.ping(sid, client.nextAck()));
				client.sendIgnoringFailure(CryoWire.ack(sid, 0));
				Frame frame;
				while ((frame = client.poll(Duration.ofMillis(150))) != null) {
					if (frame.is(CryoWire.UTF8DATA)) {
						client.sendIgnoringFailure(CryoWire.ack(sid, frame.ack()));
					}
					if (frame.is(CryoWire.BYE)) {
						bye = frame;
						break;
					}
				}
			}
			if (bye == null) {
				bye = client.received().stream().filter((f) -> f.is(CryoWire.BYE)).findFirst().orElse(null);
			}
			assertThat(bye).as("BYE despite traffic without pongs").isNotNull();
			assertThat(bye.text()).isEqualTo(DEAD_REASON);
			assertThat(client.awaitClose().code()).isEqualTo(4000);
		}
	}

	@Test
	@DisplayName("§5/§7: the ack value of a pong is not checked — any pong keeps the peer alive")
	void pongAckValueIsNotChecked() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			client.autoPong(false);
			for (int i = 0; i < 3; i++) {
				Frame ping = client.next(TICK);
				assertThat(ping.isPing()).as("%s", ping).isTrue();
				client.send(CryoWire.pong(sid, ping.ack() ^ 0xDEAD_BEEFL));
			}
			assertThat(client.isClosed()).isFalse();
			assertThat(client.received()).noneMatch((f) -> f.is(CryoWire.BYE));
		}
	}

	@Test
	@DisplayName("§7: sessions that are not ready yet are pinged too")
	void sessionsThatAreNotReadyArePinged() {
		long sid = randomSid();
		try (CryoTestClient client = connect(sid)) {
			client.autoPong(false);
			client.expectServerEndpointInfo();
			Frame ping = client.next(TICK);
			assertThat(ping.isPing()).as("%s", ping).isTrue();
			assertThat(ping.ack()).isEqualTo(1);
			client.send(CryoWire.pong(sid, ping.ack()));
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = Kind.class, names = { "CAMP_NODE", "CAMP_BROWSER", "CRYO_1_4" })
	@DisplayName("camp.md §4, §6 / cryo-v1.md §16.2: the published clients get the heartbeat of their dialect (CAMP: "
			+ "13-byte pings without ack, which take no number); answered, the session lives; unanswered, BYE and 4000")
	void publishedClientsHeartbeat(Kind kind) {
		try (DialectPeer peer = DialectPeer.open(this.port, kind)) {
			peer.wire.autoPong(false);
			for (int i = 0; i < 2; i++) {
				Frame ping = peer.expect((frame) -> frame.is(CryoWire.PING_PONG), "a server ping", TICK);
				if (kind.isCamp()) {
					assertThat(ping.hex()).isEqualTo(CryoWire.hex(CryoWire.campPing(peer.sid)));
					peer.wire.send(CryoWire.campPong(peer.sid));
				}
				else {
					assertThat(ping.isPing()).as("%s", ping).isTrue();
					peer.wire.send(CryoWire.pong(peer.sid, ping.ack()));
				}
			}
			Frame echo = peer.echo("alive");
			if (kind.isCamp()) {
				// The ENDPOINT_INFO took 0, the pings nothing: the echo has 1.
				assertThat(echo.ack()).isEqualTo(1);
			}
			Frame bye = peer.expect((frame) -> frame.is(CryoWire.BYE), "the BYE for unanswered pings",
					Duration.ofSeconds(5));
			assertThat(bye.text()).isEqualTo(DEAD_REASON);
			if (kind.isCamp()) {
				assertThat(bye.ack()).as("the BYE's number, after the echo's").isEqualTo(2);
			}
			assertThat(peer.wire.awaitClose().code()).isEqualTo(4000);
		}
	}

}
