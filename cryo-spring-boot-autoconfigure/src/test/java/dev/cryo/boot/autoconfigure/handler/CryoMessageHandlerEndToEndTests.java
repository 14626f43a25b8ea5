package dev.cryo.boot.autoconfigure.handler;

import java.net.URI;
import java.time.Duration;
import java.util.List;
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
import org.springframework.core.annotation.Order;

import dev.cryo.client.CryoClient;
import dev.cryo.client.CryoClientListener;
import dev.cryo.client.CryoClientSession;
import dev.cryo.server.CryoSession;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.event.CryoUtf8MessageEvent;
import dev.cryo.server.handler.CryoMessageHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CryoMessageHandler} beans on a real server: the first handler in {@code @Order} that
 * claims a message answers it, and a message no handler claims still reaches the
 * {@code @EventListener}.
 */
@SpringBootTest(classes = CryoMessageHandlerEndToEndTests.HandlerTestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
@Timeout(60)
class CryoMessageHandlerEndToEndTests {

	@LocalServerPort
	int port;

	@Autowired
	Listener listener;

	@Test
	void aHandlerClaimsAndAnswersItsMessagesWhileOthersReachTheEventListener() throws Exception {
		BlockingQueue<String> replies = new LinkedBlockingQueue<>();
		CryoClient client = CryoClient.builder(URI.create("ws://localhost:" + this.port + "/cryo"))
			.token("secret")
			.listener(new CryoClientListener() {

				@Override
				public void onUtf8Message(CryoClientSession session, String text) {
					replies.add(text);
				}

			})
			.build();
		try (CryoClientSession session = client.connect()) {
			session.sendUtf8("rpc:42").get(5, TimeUnit.SECONDS);
			assertThat(replies.poll(5, TimeUnit.SECONDS)).isEqualTo("first answers rpc:42");
			session.sendUtf8("hello").get(5, TimeUnit.SECONDS);
			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(this.listener.texts).containsExactly("hello"));
			assertThat(replies).isEmpty();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class HandlerTestApplication {

		@Bean
		TokenValidator tokenValidator() {
			return "secret"::equals;
		}

		// Declared out of order: the order comes from @Order, not from the declaration.
		@Bean
		@Order(2)
		CryoMessageHandler secondHandler() {
			return new Answering("second");
		}

		@Bean
		@Order(1)
		CryoMessageHandler firstHandler() {
			return new Answering("first");
		}

		@Bean
		Listener listener() {
			return new Listener();
		}

	}

	/** Claims and answers the messages that start with {@code rpc:}. */
	static final class Answering implements CryoMessageHandler {

		private final String name;

		Answering(String name) {
			this.name = name;
		}

		@Override
		public boolean handleUtf8(CryoSession session, String text) {
			if (!text.startsWith("rpc:")) {
				return false;
			}
			session.sendUtf8(this.name + " answers " + text);
			return true;
		}

	}

	/** Records the texts of the UTF-8 message events. */
	static final class Listener {

		private final List<String> texts = new CopyOnWriteArrayList<>();

		@EventListener
		void on(CryoUtf8MessageEvent event) {
			this.texts.add(event.text());
		}

	}

}
