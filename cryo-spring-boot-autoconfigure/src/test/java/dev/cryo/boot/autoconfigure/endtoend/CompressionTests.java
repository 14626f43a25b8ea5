package dev.cryo.boot.autoconfigure.endtoend;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.socket.handler.BinaryWebSocketHandler;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cryo.compression.enabled}: the Cryo endpoint declines permessage-deflate unless it is
 * enabled (cryo-v1.md §1 item 8), on the application's port and on a dedicated one, while other
 * WebSocket endpoints of the application keep the container's own negotiation. Browsers and the
 * {@code ws} library always offer the extension, so the offer is the usual case.
 */
@Timeout(60)
class CompressionTests {

	/** What browsers and the {@code ws} library send. */
	static final String BROWSER_OFFER = "permessage-deflate; client_max_window_bits";

	static Map<String, String> offer() {
		return Map.of("Sec-WebSocket-Extensions", BROWSER_OFFER);
	}

	static String cryoTarget(SessionId sid) {
		return CryoTestApplication.PATH + "?authorization=Bearer+" + CryoTestApplication.TOKEN + "&x-cryo-sid=" + sid;
	}

	static void assertEchoes(int port, CryoServer server, boolean compressed) throws Exception {
		SessionId sid = RawFrames.newSid();
		try (DeflateOfferingClient client = DeflateOfferingClient.connect(port, sid)) {
			assertThat(client.negotiatedExtensions())
				.isEqualTo(compressed ? java.util.List.of("permessage-deflate") : java.util.List.of());
			client.handshake();
			CryoClients.session(server, sid).setAttribute(BinaryEchoListener.ECHO_ATTRIBUTE, true);
			byte[] random = new byte[64 * 1024];
			new Random(9).nextBytes(random);
			byte[] compressible = new byte[64 * 1024];
			Arrays.fill(compressible, (byte) 'c');
			int ack = 1;
			for (byte[] payload : new byte[][] { random, compressible, Arrays.copyOf(random, 64) }) {
				client.send(new BinaryDataFrame(sid, ack++, ByteBuffer.wrap(payload)));
				BinaryDataFrame echo = client.next(BinaryDataFrame.class);
				byte[] echoed = new byte[echo.payloadLength()];
				echo.payload().get(echoed);
				assertThat(echoed).isEqualTo(payload);
			}
		}
		CryoClients.awaitGone(server, sid);
	}

	@Nested
	@SpringBootTest(classes = { CryoTestApplication.class, OtherWebSocketEndpoint.class },
			webEnvironment = WebEnvironment.RANDOM_PORT)
	class ByDefault {

		@LocalServerPort
		int port;

		@Autowired
		CryoServer server;

		@Test
		void theUpgradeSucceedsWithoutTheExtension() throws Exception {
			RawUpgradeRequest.Response response = RawUpgradeRequest.send(this.port, cryoTarget(RawFrames.newSid()),
					offer());
			assertThat(response.status()).isEqualTo(101);
			assertThat(response.headers()).doesNotContainKey("sec-websocket-extensions");
		}

		@Test
		void aClientThatOffersItTalksUncompressed() throws Exception {
			assertEchoes(this.port, this.server, false);
		}

		@Test
		void otherWebSocketEndpointsKeepTheContainersNegotiation() throws Exception {
			RawUpgradeRequest.Response response = RawUpgradeRequest.send(this.port, OtherWebSocketEndpoint.PATH,
					offer());
			assertThat(response.status()).isEqualTo(101);
			assertThat(response.headers().get("sec-websocket-extensions")).startsWith("permessage-deflate");
		}

	}

	@Nested
	@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "cryo.compression.enabled=true")
	class WhenEnabled {

		@LocalServerPort
		int port;

		@Autowired
		CryoServer server;

		@Test
		void theUpgradeAcceptsTheExtension() throws Exception {
			RawUpgradeRequest.Response response = RawUpgradeRequest.send(this.port, cryoTarget(RawFrames.newSid()),
					offer());
			assertThat(response.status()).isEqualTo(101);
			assertThat(response.headers().get("sec-websocket-extensions")).startsWith("permessage-deflate");
		}

		@Test
		void aCompressedSessionEchoes() throws Exception {
			assertEchoes(this.port, this.server, true);
		}

	}

	@Nested
	@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "cryo.port=0")
	class OnADedicatedPortByDefault {

		@Value("${local.cryo.port}")
		int cryoPort;

		@Test
		void theUpgradeSucceedsWithoutTheExtension() throws Exception {
			RawUpgradeRequest.Response response = RawUpgradeRequest.send(this.cryoPort,
					cryoTarget(RawFrames.newSid()), offer());
			assertThat(response.status()).isEqualTo(101);
			assertThat(response.headers()).doesNotContainKey("sec-websocket-extensions");
		}

	}

	@Nested
	@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "cryo.port=0", "cryo.compression.enabled=true" })
	class OnADedicatedPortWhenEnabled {

		@Value("${local.cryo.port}")
		int cryoPort;

		@Autowired
		CryoServer server;

		@Test
		void aCompressedSessionEchoes() throws Exception {
			assertEchoes(this.cryoPort, this.server, true);
		}

	}

	/** A plain Spring WebSocket endpoint next to Cryo's, mounted the way an application would. */
	@Configuration(proxyBeanMethods = false)
	static class OtherWebSocketEndpoint {

		static final String PATH = "/other";

		@Bean
		HandlerMapping otherWebSocketHandlerMapping() {
			WebSocketHandlerMapping mapping = new WebSocketHandlerMapping();
			mapping.setUrlMap(Map.of(PATH, new WebSocketHttpRequestHandler(new BinaryWebSocketHandler())));
			mapping.setOrder(-2);
			return mapping;
		}

	}

}
