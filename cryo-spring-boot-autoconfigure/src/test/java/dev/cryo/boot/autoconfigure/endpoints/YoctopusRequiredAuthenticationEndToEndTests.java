package dev.cryo.boot.autoconfigure.endpoints;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.support.EndpointDispatcher;
import dev.cryo.endpoint.wire.YoctopusOriginPolicy;
import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.CryoPrincipal;
import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * yoctopus's wire with {@code require-authentication} and a {@link YoctopusOriginPolicy} bean:
 * an upgrade without a token is refused, and the policy, not {@code cryo.allowed-origins},
 * decides the origins.
 */
@SpringBootTest(classes = YoctopusRequiredAuthenticationEndToEndTests.RequiredAuthenticationApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.endpoints.websocket.path=/yoctopus",
				"cryo.endpoints.websocket.require-authentication=true",
				"cryo.allowed-origins=https://allowed.example" })
@Timeout(60)
class YoctopusRequiredAuthenticationEndToEndTests {

	@LocalServerPort
	int port;

	@Autowired
	WireTestDispatcher dispatcher;

	@Test
	void anUpgradeWithoutATokenIsRefused() throws Exception {
		RawUpgradeRequest.Response response = RawUpgradeRequest.send(this.port, "/yoctopus", Map.of());
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.body()).contains("No auth data supplied.");
		assertThat(this.dispatcher.opened).isEmpty();
	}

	@Test
	void theOriginPolicyDecides() throws Exception {
		assertThat(RawUpgradeRequest
			.send(this.port, "/yoctopus?authorization=Bearer+alice", Map.of("Origin", "https://allowed.example"))
			.status()).isEqualTo(403);
		PlainWebSocket client = PlainWebSocket.connect(
				URI.create("ws://localhost:" + this.port + "/yoctopus?authorization=Bearer+alice"),
				Map.of("Origin", "https://dynamic.example"));
		client.send("{\"meta\":{\"endpoint\":\"a:b\"}}");
		assertThat(client.next()).isEqualTo("{\"meta\":{\"endpoint\":\"a:b\",\"status\":\"ok\"},\"data\":null}");
		assertThat(this.dispatcher.opened).extracting(EndpointConnection::principal)
			.containsExactly(new CryoPrincipal("alice"));
		client.close();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class RequiredAuthenticationApplication {

		@Bean
		CryoAuthenticator authenticator() {
			return (handshake) -> CompletableFuture
				.completedFuture(CryoAuthentication.authenticated(new CryoPrincipal(handshake.token())));
		}

		@Bean
		YoctopusOriginPolicy originPolicy() {
			return "https://dynamic.example"::equals;
		}

		@Bean
		EndpointDispatcher dispatcher() {
			return new WireTestDispatcher();
		}

	}

}
