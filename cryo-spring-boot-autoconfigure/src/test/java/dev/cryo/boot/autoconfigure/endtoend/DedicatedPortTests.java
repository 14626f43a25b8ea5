package dev.cryo.boot.autoconfigure.endtoend;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cryo.port}: the endpoint moves to its own connector, published as
 * {@code local.cryo.port}; everything else on that port is 404 (but the JavaScript client) and
 * the application's own port no longer serves Cryo.
 */
@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.port=0")
class DedicatedPortTests {

	@LocalServerPort
	int serverPort;

	@Value("${local.cryo.port}")
	int cryoPort;

	@Test
	void theEndpointAnswersOnTheDedicatedPort() {
		assertThat(this.cryoPort).isPositive().isNotEqualTo(this.serverPort);
		try (RawCryoClient client = RawCryoClient.connect(this.cryoPort, "/cryo", "secret", SessionId.of(7))) {
			EndpointInfoFrame info = client.handshake();
			assertThat(info.sid()).isEqualTo(SessionId.of(7));
		}
	}

	@Test
	void theApplicationPortNoLongerServesCryo() throws Exception {
		RawUpgradeRequest.Response response = RawUpgradeRequest.send(this.serverPort,
				"/cryo?authorization=Bearer+secret&x-cryo-sid=8", Map.of());
		assertThat(response.status()).isEqualTo(404);
	}

	@Test
	void otherRequestsOnTheDedicatedPortGet404() throws Exception {
		assertThat(get(this.cryoPort, "/hello").statusCode()).isEqualTo(404);
		HttpResponse<String> onServerPort = get(this.serverPort, "/hello");
		assertThat(onServerPort.statusCode()).isEqualTo(200);
		assertThat(onServerPort.body()).isEqualTo("hello");
	}

	@Test
	void theJavaScriptClientIsServedOnBothPorts() throws Exception {
		HttpResponse<String> onCryoPort = get(this.cryoPort, "/cryo-client/cryo.mjs");
		HttpResponse<String> onServerPort = get(this.serverPort, "/cryo-client/cryo.mjs");
		assertThat(onCryoPort.statusCode()).isEqualTo(200);
		assertThat(onServerPort.statusCode()).isEqualTo(200);
		assertThat(onCryoPort.body()).isEqualTo(onServerPort.body()).contains("export");
		assertThat(get(this.cryoPort, "/cryo-client/missing.js").statusCode()).isEqualTo(404);
	}

	private static HttpResponse<String> get(int port, String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

}
