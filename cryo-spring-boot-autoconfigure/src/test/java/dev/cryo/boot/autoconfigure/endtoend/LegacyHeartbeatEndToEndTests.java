package dev.cryo.boot.autoconfigure.endtoend;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.server.CryoServer;
import dev.cryo.test.RawCryoClient.Close;
import dev.cryo.test.RawLegacyClient;
import dev.cryo.test.RawLegacyFrames;
import dev.cryo.test.RawLegacyFrames.Parsed;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's heartbeat towards legacy clients with a short keep-alive (legacy-v0.md §6, §10.5):
 * each ping takes a fresh number, a client that answers with a pong copying it stays, one that
 * stays silent is closed with 4001 and the 2.x server's reason, without BYE (none exists).
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.keep-alive-interval=300ms")
@Timeout(60)
class LegacyHeartbeatEndToEndTests {

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Test
	void clientThatAnswersPingsStays() {
		UUID uuid = UUID.randomUUID();
		try (RawLegacyClient client = connect(uuid)) {
			int previous = -1;
			for (int i = 0; i < 4; i++) {
				Parsed ping = client.next();
				assertThat(ping.isPing()).as("a ping, got %s", ping).isTrue();
				assertThat(ping.payload()).hasSize(4);
				// A fresh number each time (§5).
				assertThat(ping.ack()).isGreaterThan(previous);
				previous = ping.ack();
				client.send(RawLegacyFrames.pingPong(uuid, ping.ack(), false));
			}
			assertThat(this.server.session(SessionId.of(uuid))).isPresent();
		}
	}

	@Test
	void silentClientIsClosedWith4001() {
		UUID uuid = UUID.randomUUID();
		try (RawLegacyClient client = connect(uuid)) {
			assertThat(client.next().isPing()).isTrue();
			assertThat(client.awaitClose(Duration.ofSeconds(5)))
				.isEqualTo(new Close(4001, "Disconnecting session due to not responding to ping frames."));
			// Only pings came before the close: no BYE.
			Parsed left;
			while ((left = client.poll(Duration.ZERO)) != null) {
				assertThat(left.isPing()).isTrue();
			}
		}
	}

	private RawLegacyClient connect(UUID uuid) {
		return RawLegacyClient.connect(this.port, DialectTestApplication.PATH, DialectTestApplication.TOKEN,
				uuid.toString());
	}

}
