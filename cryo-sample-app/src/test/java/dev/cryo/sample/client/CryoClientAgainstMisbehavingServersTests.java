package dev.cryo.sample.client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.BinaryWebSocketHandler;

import dev.cryo.client.CryoClient;
import dev.cryo.client.CryoClientSession;
import dev.cryo.client.CryoConnectTimeoutException;
import dev.cryo.client.CryoProtocolMismatchException;
import dev.cryo.client.ReconnectPolicy;
import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.Frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The client's side of the handshake against servers that misbehave, written as plain Spring
 * WebSocket handlers: one announces protocol version 2, one never sends its ENDPOINT_INFO, one
 * sends a message larger than any legal frame.
 */
@Timeout(30)
class CryoClientAgainstMisbehavingServersTests {

	private static ConfigurableApplicationContext fakeServer;

	private static FakeServer handlers;

	@BeforeAll
	static void startFakeServer() {
		fakeServer = new SpringApplicationBuilder(FakeServer.class).run("--server.port=0",
				"--management.server.port=0", "--spring.main.banner-mode=off", "--cryo.enabled=false");
		handlers = fakeServer.getBean(FakeServer.class);
	}

	@AfterAll
	static void stopFakeServer() {
		fakeServer.close();
	}

	private static URI endpoint(String path) {
		return URI.create("ws://localhost:" + fakeServer.getEnvironment().getProperty("local.server.port") + path);
	}

	@Test
	void serverWithAnotherVersionIsLeftWithByeAndAClearException() throws Exception {
		CryoClient client = CryoClient.builder(endpoint("/version-2")).token("any").build();
		assertThatExceptionOfType(CryoProtocolMismatchException.class).isThrownBy(client::connect)
			.satisfies((ex) -> {
				assertThat(ex.getServerVersion()).isEqualTo(2);
				assertThat(ex.isRetryable()).isFalse();
				assertThat(ex.getMessage()).contains("version 2");
			});
		// The client still sent its own ENDPOINT_INFO first, then said BYE; nothing acknowledged the server's.
		Frame first = handlers.received.poll(5, TimeUnit.SECONDS);
		assertThat(first).isInstanceOf(EndpointInfoFrame.class);
		Frame second = handlers.received.poll(5, TimeUnit.SECONDS);
		assertThat(second).isInstanceOfSatisfying(ByeFrame.class,
				(bye) -> assertThat(bye.reason()).isEqualTo("Protocol mismatch. Server offered 2, we support 1 !"));
		assertThat(handlers.closes.poll(5, TimeUnit.SECONDS)).isEqualTo(4000);
	}

	@Test
	void serverThatNeverSendsItsEndpointInfoTimesOut() throws Exception {
		CryoClient client = CryoClient.builder(endpoint("/silent"))
			.token("any")
			.connectTimeout(Duration.ofMillis(500))
			.build();
		long started = System.nanoTime();
		assertThatExceptionOfType(CryoConnectTimeoutException.class).isThrownBy(client::connect)
			.withMessageContaining("500 ms");
		assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
		// The half-open connection is not left behind.
		assertThat(handlers.silentCloses.poll(5, TimeUnit.SECONDS)).isNotNull();
	}

	@Test
	void messageOverTheProtocolLimitClosesTheConnectionWithoutBufferingIt() throws Exception {
		RecordingListener listener = new RecordingListener();
		CryoClientSession session = CryoClient.builder(endpoint("/oversized"))
			.token("any")
			.reconnect(ReconnectPolicy.DISABLED)
			.listener(listener)
			.build()
			.connect();
		CloseInfo closed = session.closeFuture().get(10, TimeUnit.SECONDS);
		assertThat(closed.code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
		assertThat(closed.initiator()).isEqualTo(CloseInfo.Initiator.LOCAL);
		assertThat(listener.kinds()).containsExactly("connected", "disconnected", "closed");
		assertThat(listener.binaries).isEmpty();
		// The JDK client may not send 1009 itself; the server sees a normal close with the reason.
		assertThat(handlers.oversizedCloses.poll(5, TimeUnit.SECONDS)).isEqualTo(new CloseStatus(1000, "Message too big."));
	}

	/** A WebSocket server that speaks just enough Cryo to misbehave. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableWebSocket
	static class FakeServer implements WebSocketConfigurer {

		final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();

		final BlockingQueue<Integer> closes = new LinkedBlockingQueue<>();

		final BlockingQueue<Integer> silentCloses = new LinkedBlockingQueue<>();

		final BlockingQueue<CloseStatus> oversizedCloses = new LinkedBlockingQueue<>();

		@Override
		public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
			registry.addHandler(new VersionTwo(), "/version-2");
			registry.addHandler(new Silent(), "/silent");
			registry.addHandler(new Oversized(), "/oversized");
		}

		final class VersionTwo extends BinaryWebSocketHandler {

			@Override
			public void afterConnectionEstablished(WebSocketSession session) throws Exception {
				session.sendMessage(new BinaryMessage(FrameCodec.encode(new EndpointInfoFrame(SessionId.of(1), 0, 2, 1))));
			}

			@Override
			protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
				ByteBuffer payload = message.getPayload();
				FakeServer.this.received.add(FrameCodec.decode(payload));
			}

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
				FakeServer.this.closes.add(status.getCode());
			}

		}

		/** A proper handshake, then one binary message a byte longer than the largest legal frame. */
		final class Oversized extends BinaryWebSocketHandler {

			@Override
			public void afterConnectionEstablished(WebSocketSession session) throws Exception {
				session.sendMessage(new BinaryMessage(FrameCodec.encode(new EndpointInfoFrame(SessionId.of(1), 0, 1, 1))));
			}

			@Override
			protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws Exception {
				if (FrameCodec.decode(message.getPayload()) instanceof EndpointInfoFrame info) {
					session.sendMessage(new BinaryMessage(FrameCodec.encode(new AckFrame(info.sid(), info.ack()))));
					byte[] oversized = new byte[FrameCodec.MAX_MESSAGE_LENGTH + 1];
					oversized[12] = (byte) 0xF9;
					session.sendMessage(new BinaryMessage(oversized));
				}
			}

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
				FakeServer.this.oversizedCloses.add(status);
			}

		}

		final class Silent extends BinaryWebSocketHandler {

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
				FakeServer.this.silentCloses.add(status.getCode());
			}

		}

	}

}
