package dev.cryo.boot.autoconfigure.endpoints;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
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
import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.CryoPrincipal;
import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * yoctopus's plain-WebSocket wire on a real server: requests answered, WebSocket pings, a client
 * that does not answer them closed, token authentication through the Cryo authenticator, the
 * Cryo endpoint's allowed origins and the message size limit.
 */
@SpringBootTest(classes = YoctopusWireEndToEndTests.YoctopusTestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.endpoints.websocket.path=/yoctopus", "cryo.endpoints.websocket.ping-interval=200ms",
				"cryo.endpoints.websocket.max-lost-pings=3", "cryo.endpoints.websocket.max-message-size=1KB",
				"cryo.allowed-origins=https://allowed.example" })
@Timeout(60)
class YoctopusWireEndToEndTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static final String REQUEST = "{\"meta\":{\"id\":\"7\",\"endpoint\":\"greeter:hello\",\"method\":\"read\"},"
			+ "\"data\":\"Ada\"}";

	private static final String RESPONSE = "{\"meta\":{\"id\":\"7\",\"endpoint\":\"greeter:hello\",\"method\":\"read\","
			+ "\"status\":\"ok\"},\"data\":\"Ada\"}";

	@LocalServerPort
	int port;

	@Autowired
	WireTestDispatcher dispatcher;

	@AfterEach
	void forgetConnections() {
		Awaitility.await().atMost(WAIT).until(() -> this.dispatcher.closed.containsAll(this.dispatcher.opened));
		this.dispatcher.opened.clear();
		this.dispatcher.closed.clear();
	}

	@Test
	void anAnonymousClientThatAnswersPingsIsAnsweredAndStaysOpen() throws Exception {
		PlainWebSocket client = PlainWebSocket.connect(uri(""), Map.of());
		client.send(REQUEST);
		assertThat(client.next()).isEqualTo(RESPONSE);
		EndpointConnection connection = this.dispatcher.opened.get(0);
		assertThat(connection.wire()).isEqualTo(EndpointConnection.YOCTOPUS_WIRE);
		assertThat(connection.principal()).isNull();
		assertThat(connection.cryoSession()).isNull();
		assertThat(connection.remoteAddress()).isNotNull();
		assertThat(connection.localPort()).isEqualTo(this.port);
		assertThat(connection.isSecure()).isFalse();
		// Ten ping intervals: the client's pongs keep it open.
		Thread.sleep(2000);
		client.send(REQUEST);
		assertThat(client.next()).isEqualTo(RESPONSE);
		assertThat(this.dispatcher.closed).isEmpty();
		client.close();
		Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(this.dispatcher.closed).containsExactly(connection));
		assertThat(connection.isOpen()).isFalse();
	}

	@Test
	void aClientThatDoesNotAnswerPingsIsClosedAfterMaxLostPings() throws Exception {
		try (RawYoctopusClient client = RawYoctopusClient.connect(this.port, "/yoctopus")) {
			long start = System.nanoTime();
			RawYoctopusClient.Frame frame = client.read();
			assertThat(frame.opcode()).isEqualTo(RawYoctopusClient.PING);
			int pings = 1;
			while ((frame = client.read()).opcode() == RawYoctopusClient.PING) {
				pings++;
			}
			long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			assertThat(frame.opcode()).isEqualTo(RawYoctopusClient.CLOSE);
			assertThat(frame.closeCode()).isEqualTo(1001);
			assertThat(frame.closeReason()).isEqualTo("Ping timeout.");
			// Three may go unanswered, the fourth unanswered one closes at the next tick.
			assertThat(pings).isEqualTo(4);
			assertThat(elapsed).isLessThan(3000);
			assertThat(this.dispatcher.closed).hasSize(1).containsExactlyElementsOf(this.dispatcher.opened);
		}
	}

	@Test
	void aValidTokenInTheQueryOrTheHeaderGivesThePrincipal() throws Exception {
		PlainWebSocket byQuery = PlainWebSocket.connect(uri("?authorization=Bearer%20alice"), Map.of());
		PlainWebSocket byHeader = PlainWebSocket.connect(uri(""), Map.of("Authorization", "Bearer bob"));
		// The container opens the session after it answered the upgrade.
		Awaitility.await().atMost(WAIT).until(() -> this.dispatcher.opened.size() == 2);
		assertThat(this.dispatcher.opened).extracting(EndpointConnection::principal)
			.containsExactlyInAnyOrder(new CryoPrincipal("alice"), new CryoPrincipal("bob"));
		byQuery.close();
		byHeader.close();
	}

	@Test
	void aRefusedTokenIsAnswered401WithTheAuthenticatorsMessage() throws Exception {
		RawUpgradeRequest.Response response = RawUpgradeRequest.send(this.port,
				"/yoctopus?authorization=Bearer+mallory", Map.of());
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.body()).contains("Unknown token.");
		assertThat(RawUpgradeRequest.send(this.port, "/yoctopus?authorization=Basic+x", Map.of()).status())
			.isEqualTo(401);
		assertThat(this.dispatcher.opened).isEmpty();
	}

	@Test
	void originsAreThoseOfTheCryoEndpoint() throws Exception {
		assertThat(RawUpgradeRequest.send(this.port, "/yoctopus", Map.of("Origin", "https://evil.example")).status())
			.isEqualTo(403);
		PlainWebSocket allowed = PlainWebSocket.connect(uri(""), Map.of("Origin", "https://allowed.example"));
		allowed.send(REQUEST);
		assertThat(allowed.next()).isEqualTo(RESPONSE);
		allowed.close();
	}

	@Test
	void aMessageOverTheLimitClosesTheConnectionWith1009() throws Exception {
		PlainWebSocket client = PlainWebSocket.connect(uri(""), Map.of());
		client.send("x".repeat(2048));
		assertThat(client.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1009);
		assertThat(this.dispatcher.dispatched).doesNotContain("x".repeat(2048));
	}

	private URI uri(String query) {
		return URI.create("ws://localhost:" + this.port + "/yoctopus" + query);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class YoctopusTestApplication {

		/** Knows alice and bob; the token is the user's name. */
		@Bean
		CryoAuthenticator authenticator() {
			return (handshake) -> CompletableFuture
				.completedFuture(("alice".equals(handshake.token()) || "bob".equals(handshake.token()))
						? CryoAuthentication.authenticated(new CryoPrincipal(handshake.token()))
						: CryoAuthentication.refused("Unknown token."));
		}

		@Bean
		EndpointDispatcher dispatcher() {
			return new WireTestDispatcher();
		}

	}

}
