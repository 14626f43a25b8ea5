package dev.cryo.boot.autoconfigure.endtoend;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.server.CryoServer;
import dev.cryo.test.RawCryoClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The payload limit of cryo-v1.md §9 on a real connection, and what an idle connection costs.
 */
@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class MessageLimitTests {

	@LocalServerPort
	int port;

	@Autowired
	CryoServer server;

	@Test
	void theLargestLegalMessageIsAccepted() {
		try (RawCryoClient client = RawCryoClient.connect(this.port, "/cryo", "secret", SessionId.of(11))) {
			client.handshake();
			// A TX_START with a 16 MiB name: 16 777 233 bytes, the largest legal message in the seed layout.
			ByteBuffer message = ByteBuffer.allocate(17 + FrameCodec.MAX_PAYLOAD);
			message.putLong(0, 11).put(8, (byte) 0x00).putInt(9, 1).putInt(13, 5);
			for (int i = 17; i < message.capacity(); i++) {
				message.put(i, (byte) 'n');
			}
			client.sendRaw(message);
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(SessionId.of(11), 1));
			assertThat(client.isClosed()).isFalse();
		}
	}

	@Test
	void theLargestCryoProtocol14MessageIsAccepted() {
		try (RawCryoClient client = RawCryoClient.connect(this.port, "/cryo", "secret", SessionId.of(15))) {
			client.handshake();
			// A 1.4 TX_START (size -1) with a 16 MiB name: 16 777 237 bytes, the largest message of
			// Cryo v1 in either layout (cryo-v1.md §4.4, §9), recognised in a seed session (§10.5 rule 3).
			ByteBuffer message = ByteBuffer.allocate(FrameCodec.MAX_MESSAGE_LENGTH);
			assertThat(message.capacity()).isEqualTo(16_777_237);
			message.putLong(0, 15).put(8, (byte) 0x00).putInt(9, 1).putInt(13, 5).putInt(17, -1);
			for (int i = 21; i < message.capacity(); i++) {
				message.put(i, (byte) 'n');
			}
			client.sendRaw(message);
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(SessionId.of(15), 1));
			assertThat(client.isClosed()).isFalse();
		}
	}

	@Test
	void aSeedTransactionNameOverTheLimitClosesWith1009() {
		try (RawCryoClient client = RawCryoClient.connect(this.port, "/cryo", "secret", SessionId.of(16))) {
			client.handshake();
			// Within the largest message, but a seed TX_START whose name is one byte over 16 MiB (§9).
			ByteBuffer message = ByteBuffer.allocate(17 + FrameCodec.MAX_PAYLOAD + 1);
			message.putLong(0, 16).put(8, (byte) 0x00).putInt(9, 1).putInt(13, 5);
			for (int i = 17; i < message.capacity(); i++) {
				message.put(i, (byte) 'n');
			}
			client.sendRaw(message);
			assertThat(client.awaitClose().code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
		}
	}

	@Test
	void oneByteMoreClosesTheConnectionWith1009() {
		try (RawCryoClient client = RawCryoClient.connect(this.port, "/cryo", "secret", SessionId.of(12))) {
			client.handshake();
			ByteBuffer message = ByteBuffer.allocate(FrameCodec.MAX_MESSAGE_LENGTH + 1);
			message.putLong(0, 12).put(8, (byte) 0xF9).putInt(9, 1);
			client.sendRaw(message);
			assertThat(client.awaitClose().code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
		}
	}

	@Test
	void oversizedSendsAreRefusedBeforeAnythingIsQueued() {
		try (RawCryoClient client = RawCryoClient.connect(this.port, "/cryo", "secret", SessionId.of(13))) {
			client.handshake();
			var session = this.server.session(13).orElseThrow();
			long queuedBefore = session.statistics().bytesSent();
			assertThatExceptionOfType(CryoFrameException.class)
				.isThrownBy(() -> session.sendBinary(ByteBuffer.allocate(FrameCodec.MAX_PAYLOAD + 1)));
			assertThat(session.statistics().bytesSent()).isEqualTo(queuedBefore);
		}
	}

	@Test
	void theContainerAllocatesSmallMessageBuffersPerConnection(@Autowired ServletContext servletContext) {
		// cryo.message-buffer-size (1KB) instead of Tomcat's 8 KiB binary and 8 Ki-character text buffers.
		ServerContainer container = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
		assertThat(container.getDefaultMaxBinaryMessageBufferSize()).isEqualTo(1024);
		assertThat(container.getDefaultMaxTextMessageBufferSize()).isEqualTo(1024);
	}

	@Test
	void messagesLargerThanTheContainerBufferArriveWhole() {
		try (RawCryoClient client = RawCryoClient.connect(this.port, "/cryo", "secret", SessionId.of(14))) {
			client.handshake();
			// 64 KiB arrives in 1 KiB parts and must be reassembled into one frame.
			ByteBuffer message = ByteBuffer.allocate(13 + 64 * 1024);
			message.putLong(0, 14).put(8, (byte) 0xF9).putInt(9, 1);
			client.sendRaw(message);
			assertThat(client.nextIgnoringPings()).isEqualTo(new AckFrame(SessionId.of(14), 1));
			assertThat(client.isClosed()).isFalse();
		}
	}

	@Test
	void idleConnectionsDoNotHoldAFullSizeReceiveBuffer() {
		int sessions = 200;
		List<RawCryoClient> clients = new ArrayList<>();
		try {
			long before = usedHeapAfterGc();
			for (int sid = 1000; sid < 1000 + sessions; sid++) {
				RawCryoClient client = RawCryoClient.connect(this.port, "/cryo", "secret", SessionId.of(sid));
				client.handshake();
				clients.add(client);
			}
			long perSession = (usedHeapAfterGc() - before) / sessions;
			System.out.printf("Idle sessions: %d, heap per session (server and test client together) %d KiB%n",
					sessions, perSession >> 10);
			// A full-size receive buffer would cost 16 MiB per connection; this bound is far below it.
			assertThat(perSession).isLessThan(512 * 1024);
		}
		finally {
			clients.forEach(RawCryoClient::close);
		}
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

}
