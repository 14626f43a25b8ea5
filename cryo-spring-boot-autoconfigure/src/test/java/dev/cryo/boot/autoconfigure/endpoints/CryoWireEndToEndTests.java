package dev.cryo.boot.autoconfigure.endpoints;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

import dev.cryo.client.CryoClient;
import dev.cryo.client.CryoClientListener;
import dev.cryo.client.CryoClientSession;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.support.EndpointDispatcher;
import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.CryoPrincipal;
import dev.cryo.server.event.CryoUtf8MessageEvent;
import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Cryo wire on a real server with the Java client: endpoint requests are claimed and
 * answered, other texts still reach the application's listener, and the dispatcher sees each
 * session's connection open and close. Without {@code cryo.endpoints.websocket.path} there is no
 * yoctopus endpoint.
 */
@SpringBootTest(classes = CryoWireEndToEndTests.CryoWireTestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
@Timeout(60)
class CryoWireEndToEndTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	@LocalServerPort
	int port;

	@Autowired
	WireTestDispatcher dispatcher;

	@Autowired
	TextListener listener;

	@Test
	void requestsAreAnsweredOtherTextsReachTheListenerAndTheConnectionOpensAndCloses() throws Exception {
		BlockingQueue<String> replies = new LinkedBlockingQueue<>();
		CryoClientSession session = CryoClient.builder(URI.create("ws://localhost:" + this.port + "/cryo"))
			.token("alice")
			.listener(new CryoClientListener() {

				@Override
				public void onUtf8Message(CryoClientSession session, String text) {
					replies.add(text);
				}

			})
			.build()
			.connect();
		EndpointConnection connection;
		try {
			session.sendUtf8("{\"meta\":{\"id\":\"1\",\"endpoint\":\"greeter:hello\",\"method\":\"read\"},"
					+ "\"data\":{\"name\":\"Ada\"}}")
				.get(5, TimeUnit.SECONDS);
			assertThat(replies.poll(5, TimeUnit.SECONDS)).isEqualTo("{\"meta\":{\"id\":\"1\",\"endpoint\":"
					+ "\"greeter:hello\",\"method\":\"read\",\"status\":\"ok\"},\"data\":{\"name\":\"Ada\"}}");
			session.sendUtf8("hello").get(5, TimeUnit.SECONDS);
			Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(this.listener.texts).containsExactly("hello"));
			assertThat(this.dispatcher.dispatched).hasSize(1);
			assertThat(this.dispatcher.opened).hasSize(1);
			connection = this.dispatcher.opened.get(0);
			assertThat(connection.wire()).isEqualTo(EndpointConnection.CRYO_WIRE);
			assertThat(connection.principal()).isEqualTo(new CryoPrincipal("alice"));
			assertThat(connection.cryoSession()).isNotNull();
			assertThat(connection.id()).isEqualTo(connection.cryoSession().idString());
			assertThat(connection.isOpen()).isTrue();
		}
		finally {
			session.close();
		}
		Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(this.dispatcher.closed).containsExactly(connection));
		assertThat(connection.isOpen()).isFalse();
	}

	@Test
	void withoutAWebSocketPathThereIsNoYoctopusEndpoint() throws Exception {
		assertThat(RawUpgradeRequest.send(this.port, "/yoctopus", Map.of()).status()).isEqualTo(404);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class CryoWireTestApplication {

		@Bean
		CryoAuthenticator authenticator() {
			return (handshake) -> java.util.concurrent.CompletableFuture
				.completedFuture(CryoAuthentication.authenticated(new CryoPrincipal(handshake.token())));
		}

		@Bean
		EndpointDispatcher dispatcher() {
			return new WireTestDispatcher();
		}

		@Bean
		TextListener textListener() {
			return new TextListener();
		}

	}

	/** Records the texts of the UTF-8 message events. */
	static final class TextListener {

		private final List<String> texts = new CopyOnWriteArrayList<>();

		@EventListener
		void on(CryoUtf8MessageEvent event) {
			this.texts.add(event.text());
		}

	}

}
