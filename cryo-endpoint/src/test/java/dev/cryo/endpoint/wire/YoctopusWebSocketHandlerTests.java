package dev.cryo.endpoint.wire;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.SessionLimitExceededException;

import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.support.Envelopes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What yoctopus's wire does that a real server cannot show on demand: a client that falls behind
 * the send buffer limit while a send is stuck is closed with 1011, and binary messages are
 * ignored without a binary handler.
 */
@Timeout(30)
class YoctopusWebSocketHandlerTests {

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final WireTestDispatcher dispatcher = new WireTestDispatcher();

	/** A ping interval no test reaches, a 16-byte send buffer. */
	private final YoctopusWebSocketHandler handler = new YoctopusWebSocketHandler(this.dispatcher,
			new Envelopes(JsonMapper.builder().build()),
			new YoctopusWireSettings(Duration.ofMinutes(1), 3, 1024, Duration.ofSeconds(10), 16), this.scheduler);

	private final List<WebSocketMessage<?>> sent = new CopyOnWriteArrayList<>();

	private final CompletableFuture<CloseStatus> closeStatus = new CompletableFuture<>();

	private final CountDownLatch stuck = new CountDownLatch(1);

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void stop() {
		this.release.countDown();
		this.scheduler.shutdownNow();
	}

	@Test
	void aClientBeyondTheSendBufferLimitIsClosedWith1011() throws Exception {
		WebSocketSession session = session(true);
		this.handler.afterConnectionEstablished(session);
		EndpointConnection connection = this.dispatcher.opened.get(0);
		CompletableFuture<Void> first = CompletableFuture.supplyAsync(() -> connection.sendText("first"))
			.thenCompose((future) -> future);
		assertThat(this.stuck.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Void> second = connection.sendText("x".repeat(32));
		assertThat(second).isCompletedExceptionally();
		assertThatThrownBy(second::join).hasCauseInstanceOf(SessionLimitExceededException.class);
		assertThat(this.closeStatus.get(5, TimeUnit.SECONDS).getCode())
			.isEqualTo(CloseStatus.SESSION_NOT_RELIABLE.getCode());
		this.release.countDown();
		first.get(5, TimeUnit.SECONDS);
	}

	@Test
	void textFramesAreDispatchedAndBinaryFramesIgnoredWithoutABinaryHandler() throws Exception {
		WebSocketSession session = session(false);
		this.handler.afterConnectionEstablished(session);
		this.handler.handleMessage(session, new BinaryMessage(new byte[] { 1, 2 }));
		assertThat(this.dispatcher.binaries).isEmpty();
		this.dispatcher.binaryHandler = true;
		this.handler.handleMessage(session, new BinaryMessage(new byte[] { 1, 2 }));
		assertThat(this.dispatcher.binaries).containsExactly(2);
		this.handler.handleMessage(session, new TextMessage("{\"meta\":{}}"));
		assertThat(this.dispatcher.dispatched).containsExactly("{\"meta\":{}}");
		assertThat(this.sent).extracting((message) -> (Object) message.getPayload()).containsExactly("ok");
	}

	@Test
	void aClosedConnectionLeavesTheDispatcherOnce() throws Exception {
		WebSocketSession session = session(false);
		this.handler.afterConnectionEstablished(session);
		assertThat(this.handler.connectionCount()).isOne();
		this.handler.afterConnectionClosed(session, CloseStatus.NORMAL);
		this.handler.afterConnectionClosed(session, CloseStatus.NORMAL);
		assertThat(this.handler.connectionCount()).isZero();
		assertThat(this.dispatcher.closed).containsExactlyElementsOf(this.dispatcher.opened);
	}

	@Test
	void aLongCloseReasonIsCutToWhatAFrameHolds() throws Exception {
		WebSocketSession session = session(false);
		this.handler.afterConnectionEstablished(session);
		this.dispatcher.opened.get(0).close("\u00e9".repeat(100));
		String reason = this.closeStatus.get(5, TimeUnit.SECONDS).getReason();
		assertThat(reason).isEqualTo("\u00e9".repeat(61));
		assertThat(WebSocketEndpointConnection.fitReason("\uD83D\uDE00".repeat(40)))
			.isEqualTo("\uD83D\uDE00".repeat(30));
	}

	@Test
	void pingsHaveAWriteTimeoutOfTheirOwnOtherSendsTheSendTimeLimitAndASilentClientIsClosed() throws Exception {
		Map<String, Object> userProperties = new ConcurrentHashMap<>();
		List<Object> timeoutsDuringPings = new CopyOnWriteArrayList<>();
		YoctopusWebSocketHandler pinging = new YoctopusWebSocketHandler(this.dispatcher,
				new Envelopes(JsonMapper.builder().build()),
				new YoctopusWireSettings(Duration.ofMillis(20), 1, 1024, Duration.ofSeconds(10), 1024), this.scheduler);
		WebSocketSession session = session(false, userProperties, (message) -> {
			if (message instanceof PingMessage) {
				timeoutsDuringPings
					.add(userProperties.get(WebSocketEndpointConnection.PingWriteTimeout.BLOCKING_SEND_TIMEOUT));
			}
		});
		pinging.afterConnectionEstablished(session);
		CloseStatus status = this.closeStatus.get(5, TimeUnit.SECONDS);
		assertThat(status.getCode()).isEqualTo(CloseStatus.GOING_AWAY.getCode());
		assertThat(status.getReason()).isEqualTo("Ping timeout.");
		// Two pings (one may go unanswered), each with 2 x 20 ms to be written; every other send is
		// bounded by the send time limit.
		assertThat(timeoutsDuringPings).containsExactly(40L, 40L);
		assertThat(userProperties).containsEntry(WebSocketEndpointConnection.PingWriteTimeout.BLOCKING_SEND_TIMEOUT,
				10_000L);
		assertThat(this.dispatcher.closed).containsExactlyElementsOf(this.dispatcher.opened);
	}

	/** A WebSocket session whose first send blocks until released when {@code blockFirstSend}. */
	private WebSocketSession session(boolean blockFirstSend) {
		return session(blockFirstSend, new ConcurrentHashMap<>(), (message) -> {
		});
	}

	/**
	 * A WebSocket session on a Jakarta WebSocket session with the given user properties, whose
	 * sends are seen by {@code onSend}.
	 */
	private WebSocketSession session(boolean blockFirstSend, Map<String, Object> userProperties,
			Consumer<WebSocketMessage<?>> onSend) {
		Map<String, Object> attributes = new ConcurrentHashMap<>();
		jakarta.websocket.Session container = (jakarta.websocket.Session) Proxy.newProxyInstance(
				getClass().getClassLoader(), new Class<?>[] { jakarta.websocket.Session.class },
				(proxy, method, args) -> {
					if ("getUserProperties".equals(method.getName())) {
						return userProperties;
					}
					throw new UnsupportedOperationException(method.getName());
				});
		return (WebSocketSession) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { WebSocketSession.class, NativeWebSocketSession.class },
				(proxy, method, args) -> switch (method.getName()) {
					case "getNativeSession" -> container;
					case "getId" -> "ws-1";
					case "getAttributes" -> attributes;
					case "getPrincipal", "getUri" -> null;
					case "getRemoteAddress", "getLocalAddress" -> new InetSocketAddress("localhost", 8080);
					case "isOpen" -> !this.closeStatus.isDone();
					case "setTextMessageSizeLimit", "setBinaryMessageSizeLimit" -> null;
					case "sendMessage" -> {
						if (blockFirstSend && this.stuck.getCount() > 0) {
							this.stuck.countDown();
							this.release.await(10, TimeUnit.SECONDS);
						}
						onSend.accept((WebSocketMessage<?>) args[0]);
						this.sent.add((WebSocketMessage<?>) args[0]);
						yield null;
					}
					case "close" -> {
						this.closeStatus.complete((args != null && args.length == 1) ? (CloseStatus) args[0]
								: CloseStatus.NORMAL);
						yield null;
					}
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == args[0];
					case "toString" -> "WebSocketSession[ws-1]";
					default -> throw new UnsupportedOperationException(method.getName());
				});
	}

}
