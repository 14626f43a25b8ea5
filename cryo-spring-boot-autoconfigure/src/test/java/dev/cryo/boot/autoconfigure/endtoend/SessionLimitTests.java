package dev.cryo.boot.autoconfigure.endtoend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cryo.max-sessions} refuses upgrades beyond the limit with 503 until a session ends.
 */
@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.max-sessions=3")
class SessionLimitTests {

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	private String query(long sid) {
		return "/cryo?authorization=Bearer+secret&x-cryo-sid=" + sid;
	}

	@Test
	void upgradesBeyondMaxSessionsAreRefusedWith503UntilASessionEnds() throws Exception {
		List<RawCryoClient> clients = new ArrayList<>();
		try {
			for (long sid = 100; sid < 103; sid++) {
				RawCryoClient client = RawCryoClient.connect(this.port, "/cryo", "secret", SessionId.of(sid));
				client.handshake();
				clients.add(client);
			}
			RawUpgradeRequest.Response refused = RawUpgradeRequest.send(this.port, query(103), Map.of());
			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.body()).contains("<h1>503 Service Unavailable</h1>", "Too many sessions.");
			clients.remove(0).closeWebSocket(1000, "done");
			awaitAccepted(query(104));
		}
		finally {
			clients.forEach(RawCryoClient::close);
		}
	}

	private void awaitAccepted(String pathAndQuery) throws Exception {
		long deadline = System.nanoTime() + 5_000_000_000L;
		while (true) {
			RawUpgradeRequest.Response response = RawUpgradeRequest.send(this.port, pathAndQuery, Map.of());
			if (response.status() == 101 || System.nanoTime() > deadline) {
				assertThat(response.status()).isEqualTo(101);
				return;
			}
			Thread.sleep(20);
		}
	}

}
