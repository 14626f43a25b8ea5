package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.server.CryoServer;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawUpgradeRequest;
import dev.cryo.test.RawUpgradeRequest.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cryo.dialects.camp.enabled=false} (camp.md §1 rule 6): nothing is recognised as CAMP,
 * so a published CAMP client reaches the Cryo v1 checks and is refused for lacking
 * {@code x-cryo-sid}.
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.dialects.camp.enabled=false")
@Timeout(30)
class CampDisabledEndToEndTests {

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Test
	void publishedCampClientIsRefusedWithNoSid() throws IOException {
		Response response = RawUpgradeRequest.send(this.port,
				DialectTestApplication.PATH + "?authorization=Bearer+secret&x-CAMP-sid=" + RawFrames.newSid(), Map.of());
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.body()).endsWith("was refused. No SID supplied.</p></body></html>");
	}

	@Test
	void campOfferIsNotAnsweredAndAV1ClientIsServedAsBefore() {
		SessionId sid = RawFrames.newSid();
		URI uri = URI.create("ws://localhost:" + this.port + DialectTestApplication.PATH
				+ "?authorization=Bearer+secret&x-cryo-sid=" + sid);
		try (RawCryoClient client = RawCryoClient.connect(uri, sid, RawCryoClient.Wire.CRYO_V1, List.of("camp"))) {
			assertThat(client.subprotocol()).isEmpty();
			client.handshake();
			assertThat(CryoClients.session(this.server, sid).dialect()).isEqualTo("cryo-v1");
		}
	}

}
