package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.test.RawCryoClient.Close;
import dev.cryo.test.RawLegacyClient;
import dev.cryo.test.RawLegacyFrames;
import dev.cryo.test.RawLegacyFrames.Parsed;
import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A legacy client that reconnects with its old sid while the server still holds the old session
 * (legacy-v0.md §2.1, §10.1 rule 4.3, §10.7), as cryo-client-browser does after its network
 * dropped: the upgrade is refused as a duplicate, as the document says, but an authenticated one
 * makes the server ping the old session at once ({@code cryo.dialects.legacy.reconnect-probe});
 * an old connection that does not answer is closed as dead, so the client's next attempt (5 s
 * later for cryo-client-browser) gets in, and one that answers stays.
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.dialects.legacy.reconnect-probe=1s")
@Timeout(60)
class LegacyReconnectEndToEndTests {

	private static final String DUPLICATE = "The session already exists.";

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoEventRecorder events;

	@Test
	void oldConnectionThatDoesNotAnswerIsClosedAndTheReconnectGetsIn() throws IOException {
		UUID uuid = UUID.randomUUID();
		SessionId sid = SessionId.of(uuid);
		try (RawLegacyClient stale = connect(uuid)) {
			this.events.await(sid, CryoSessionConnectedEvent.class);
			LegacySessionEndToEndTests.assertRefused(upgrade("Bearer+secret", uuid), DUPLICATE);
			// Pinged at once, long before the heartbeat's 15 s.
			Parsed probe = stale.next(Duration.ofSeconds(2));
			assertThat(probe.isPing()).isTrue();
			Close close = stale.awaitClose(Duration.ofSeconds(10));
			assertThat(close.code()).isEqualTo(4001);
			assertThat(close.reason()).isEqualTo("Disconnecting session due to not responding to ping frames.");
		}
		assertThat(this.events.await(sid, CryoSessionClosedEvent.class).closeInfo().code()).isEqualTo(4001);
		try (RawLegacyClient reconnected = connect(uuid)) {
			assertThat(this.events.awaitCount(sid, CryoSessionConnectedEvent.class, 2)).hasSize(2);
		}
	}

	@Test
	void oldConnectionThatAnswersStaysAndTheDuplicateIsStillRefused() throws IOException {
		UUID uuid = UUID.randomUUID();
		SessionId sid = SessionId.of(uuid);
		try (RawLegacyClient live = connect(uuid)) {
			this.events.await(sid, CryoSessionConnectedEvent.class);
			LegacySessionEndToEndTests.assertRefused(upgrade("Bearer+secret", uuid), DUPLICATE);
			Parsed probe = live.next(Duration.ofSeconds(2));
			assertThat(probe.isPing()).isTrue();
			live.send(RawLegacyFrames.pingPong(uuid, probe.ack(), false));
			// Well past the probe: the answered session is still there and still holds its sid.
			assertThat(live.poll(Duration.ofSeconds(2))).isNull();
			LegacySessionEndToEndTests.assertRefused(upgrade("Bearer+secret", uuid), DUPLICATE);
			assertThat(this.events.events(sid, CryoSessionClosedEvent.class)).isEmpty();
		}
	}

	@Test
	void unauthenticatedDuplicateDoesNotDisturbTheSession() throws IOException {
		UUID uuid = UUID.randomUUID();
		SessionId sid = SessionId.of(uuid);
		try (RawLegacyClient live = connect(uuid)) {
			this.events.await(sid, CryoSessionConnectedEvent.class);
			LegacySessionEndToEndTests.assertRefused(upgrade("Bearer+wrong", uuid), DUPLICATE);
			assertThat(live.poll(Duration.ofSeconds(2))).isNull();
			assertThat(this.events.events(sid, CryoSessionClosedEvent.class)).isEmpty();
		}
	}

	private RawLegacyClient connect(UUID uuid) {
		return RawLegacyClient.connect(this.port, DialectTestApplication.PATH, DialectTestApplication.TOKEN,
				uuid.toString());
	}

	private RawUpgradeRequest.Response upgrade(String authorization, UUID uuid) throws IOException {
		return RawUpgradeRequest.send(this.port,
				DialectTestApplication.PATH + "?authorization=" + authorization + "&x-cryo-sid=" + uuid, Map.of());
	}

}
