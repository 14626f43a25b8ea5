package dev.cryo.boot.autoconfigure.endtoend;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cryo.message-buffer-size} sizes buffers the whole WebSocket container shares: when the
 * application has WebSocket endpoints of its own, an unset size leaves the container's defaults
 * alone, so that their whole messages keep fitting; an explicit size applies regardless.
 * (A Cryo-only application gets 1 KiB: {@code MessageLimitTests}.)
 */
class MessageBufferSizeTests {

	private static final String LARGE_TEXT = "x".repeat(6000);

	@Test
	void otherEndpointsKeepTheContainerDefaultsAndTheirLargeMessages() throws Exception {
		try (ConfigurableApplicationContext context = start()) {
			ServerContainer container = container(context);
			assertThat(container.getDefaultMaxBinaryMessageBufferSize()).isEqualTo(8192);
			assertThat(container.getDefaultMaxTextMessageBufferSize()).isEqualTo(8192);
			// A whole-message handler still receives (and echoes) 6,000 characters.
			assertThat(echo(context, LARGE_TEXT)).isEqualTo(LARGE_TEXT);
		}
	}

	@Test
	void anExplicitSizeAppliesEvenWithOtherEndpoints() {
		try (ConfigurableApplicationContext context = start("--cryo.message-buffer-size=2KB")) {
			ServerContainer container = container(context);
			assertThat(container.getDefaultMaxBinaryMessageBufferSize()).isEqualTo(2048);
			assertThat(container.getDefaultMaxTextMessageBufferSize()).isEqualTo(2048);
		}
	}

	private static ConfigurableApplicationContext start(String... arguments) {
		return new SpringApplicationBuilder(BackpressureTestApplication.class, OtherEndpoint.class)
			.properties("server.port=0", "spring.main.banner-mode=off")
			.run(arguments);
	}

	private static ServerContainer container(ConfigurableApplicationContext context) {
		ServletContext servletContext = context.getBean(ServletContext.class);
		return (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
	}

	private static String echo(ConfigurableApplicationContext context, String text) throws Exception {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		CompletableFuture<String> reply = new CompletableFuture<>();
		StringBuilder received = new StringBuilder();
		WebSocket socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + port + "/other"), new WebSocket.Listener() {

				@Override
				public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
					received.append(data);
					if (last) {
						reply.complete(received.toString());
					}
					webSocket.request(1);
					return null;
				}

				@Override
				public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
					reply.completeExceptionally(new AssertionError("closed with " + statusCode + " " + reason));
					return null;
				}

			})
			.get(5, TimeUnit.SECONDS);
		socket.sendText(text, true).get(5, TimeUnit.SECONDS);
		try {
			return reply.get(5, TimeUnit.SECONDS);
		}
		finally {
			socket.abort();
		}
	}

	/** An application's own WebSocket endpoint that takes whole messages only. */
	@Configuration(proxyBeanMethods = false)
	@EnableWebSocket
	static class OtherEndpoint implements WebSocketConfigurer {

		@Override
		public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
			registry.addHandler(new TextWebSocketHandler() {

				@Override
				protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
					session.sendMessage(new TextMessage(message.getPayload()));
				}

			}, "/other");
		}

	}

}
