package dev.cryo.boot.autoconfigure.endpoints;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code cryo.port}, which serves nothing but the Cryo paths on the dedicated port,
 * yoctopus's endpoint is served on both ports.
 */
@SpringBootTest(classes = CryoWireEndToEndTests.CryoWireTestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.port=0", "cryo.endpoints.websocket.path=/yoctopus" })
@Timeout(60)
class YoctopusDedicatedPortEndToEndTests {

	@LocalServerPort
	int serverPort;

	@Value("${local.cryo.port}")
	int cryoPort;

	@Test
	void theYoctopusEndpointAnswersOnBothPorts() throws Exception {
		for (int port : new int[] { this.serverPort, this.cryoPort }) {
			PlainWebSocket client = PlainWebSocket.connect(URI.create("ws://localhost:" + port + "/yoctopus"), Map.of());
			client.send("{\"meta\":{\"endpoint\":\"a:b\"}}");
			assertThat(client.next()).as("answer on port %d", port)
				.isEqualTo("{\"meta\":{\"endpoint\":\"a:b\",\"status\":\"ok\"},\"data\":null}");
			client.close();
		}
	}

}
