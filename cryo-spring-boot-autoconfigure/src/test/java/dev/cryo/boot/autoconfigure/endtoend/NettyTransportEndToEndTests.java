package dev.cryo.boot.autoconfigure.endtoend;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cryo.transport=netty}: the endpoint is served by Netty on {@code cryo.port}, published
 * as {@code local.cryo.port}, with the application's sessions; the application's own port no
 * longer serves it.
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.transport=netty", "cryo.port=0" })
@Timeout(30)
class NettyTransportEndToEndTests {

	@LocalServerPort
	int serverPort;

	@Value("${local.cryo.port}")
	int cryoPort;

	@Autowired
	CryoServer server;

	@Test
	void theEndpointAnswersOnTheNettyPortWithTheApplicationsSessions() {
		assertThat(this.cryoPort).isPositive().isNotEqualTo(this.serverPort);
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = RawCryoClient.connect(this.cryoPort, "/cryo", "secret", sid)) {
			client.handshake();
			CryoClients.session(this.server, sid).sendUtf8("from the application");
			Utf8DataFrame received = client.next(Utf8DataFrame.class);
			assertThat(received.text()).isEqualTo("from the application");
			client.send(new AckFrame(sid, received.ack()));
		}
	}

	@Test
	void theApplicationPortNoLongerServesCryo() throws Exception {
		RawUpgradeRequest.Response response = RawUpgradeRequest.send(this.serverPort,
				"/cryo?authorization=Bearer+secret&x-cryo-sid=8", Map.of());
		assertThat(response.status()).isEqualTo(404);
	}

}
