package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.test.RawCampFrames;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the server puts on the wire, byte for byte: CAMP's 13-byte pings and pongs (camp.md §4,
 * §8 rule 9) next to Cryo v1's 17-byte ones, and CAMP's payload limit on what the server sends
 * even when the configured chunk size is larger (camp.md §8 rule 10).
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.keep-alive-interval=300ms", "cryo.transactions.chunk-size=2MB" })
@Timeout(30)
class DialectWireEndToEndTests {

	private static final int PING_PONG = 0xFB;

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoEventRecorder events;

	@Test
	void campPingIsAnsweredWithA13BytePongAndTheHeartbeatPingIs13Bytes() throws IOException {
		SessionId sid = RawFrames.newSid();
		try (RawWebSocket socket = RawWebSocket.open(this.port, query("x-CAMP-sid", sid), Map.of())) {
			socket.readMessage();
			socket.sendBinary(RawCampFrames.pingPong(sid, "ping"));
			byte[] pong = nextOfType(socket, PING_PONG, "pong");
			assertThat(pong).hasSize(13);
			byte[] heartbeat = nextOfType(socket, PING_PONG, "ping");
			assertThat(heartbeat).hasSize(13);
			assertThat(ByteBuffer.wrap(heartbeat).getLong()).isEqualTo(sid.asLong());
			socket.sendBinary(RawCampFrames.pingPong(sid, "pong"));
		}
	}

	@Test
	void v1PingsStay17Bytes() throws IOException {
		SessionId sid = RawFrames.newSid();
		try (RawWebSocket socket = RawWebSocket.open(this.port, query("x-cryo-sid", sid), Map.of())) {
			socket.readMessage();
			socket.sendBinary(RawFrames.pingPong(sid, 7, "ping"));
			byte[] pong = nextOfType(socket, PING_PONG, "pong");
			assertThat(pong).hasSize(17);
			assertThat(ByteBuffer.wrap(pong).getInt(9)).isEqualTo(7);
			assertThat(nextOfType(socket, PING_PONG, "ping")).hasSize(17);
		}
	}

	@Test
	void campChunksNeverExceedAMebibyteWhateverTheChunkSize() throws Exception {
		SessionId sid = RawFrames.newSid();
		int size = 3 * 1024 * 1024 + 5;
		try (RawCryoClient client = CryoClients.camp(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			RawTransfers.command(client, 0, "push:big:" + size);
			RawTransfers.Download download = RawTransfers.receive(client, false);
			assertThat(download.chunks()).allSatisfy((chunk) -> {
				assertThat(chunk.length()).isLessThanOrEqualTo(1024 * 1024);
				assertThat(chunk.position()).isEqualTo(chunk.bytesBefore());
			});
			assertThat(download.bytes()).isEqualTo(DialectTestApplication.payload(size));
		}
	}

	private static String query(String sidParameter, SessionId sid) {
		return DialectTestApplication.PATH + "?authorization=Bearer+secret&" + sidParameter + "=" + sid;
	}

	/**
	 * Reads messages until one of the type whose last four bytes read as given, answering the
	 * heartbeat's pings met on the way as the dialect does (13 bytes in CAMP, 17 with the ack in v1).
	 */
	private static byte[] nextOfType(RawWebSocket socket, int type, String text) throws IOException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (System.nanoTime() < deadline) {
			byte[] message = socket.readMessage();
			boolean pingPong = (message[8] & 0xFF) == PING_PONG;
			String last4 = new String(message, message.length - 4, 4, StandardCharsets.US_ASCII);
			if ((message[8] & 0xFF) == type && last4.equals(text)) {
				return message;
			}
			if (pingPong && last4.equals("ping")) {
				SessionId sid = SessionId.of(ByteBuffer.wrap(message).getLong());
				socket.sendBinary((message.length == 13) ? RawCampFrames.pingPong(sid, "pong")
						: RawFrames.pingPong(sid, ByteBuffer.wrap(message).getInt(9), "pong"));
			}
		}
		throw new AssertionError("No " + text + " within 5 s");
	}

}
