package dev.cryo.boot.autoconfigure.endtoend;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.event.CryoBinaryMessageEvent;
import dev.cryo.server.event.CryoErrorMessageEvent;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input from the network (cryo-v1.md §1.3, §4.5, §9): malformed frames are answered with an
 * ERROR and never ACKed, too many of them end the session, text messages are ignored, and
 * oversized messages close with 1009; big legal messages arrive whole.
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = CryoTestApplication.ACK_TIMEOUT_300MS)
@Timeout(60)
class CryoMalformedFramesEndToEndTests {

	private static final int SENTINEL_ACK = 4242;

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	// ---- §4.5 malformed frames

	@Test
	void unknownTypeIsAnsweredWithAnErrorAndNotAcked() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.sendRaw(RawFrames.unknownType(sid, 0x77));
			assertThat(client.next(ErrorFrame.class).message()).isEqualTo("malformed frame: unknown type 0x77");
			assertSentinelIsTheNextAck(client, sid);
		}
	}

	@Test
	void messageShorterThanTheTypeByteIsAnsweredWithAnError() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.sendRaw(new byte[5]);
			assertThat(client.next(ErrorFrame.class).message()).startsWith("malformed frame: ")
				.contains("5 bytes");
			assertSentinelIsTheNextAck(client, sid);
		}
	}

	@Test
	void frameShorterThanItsTypeIsAnsweredWithAnError() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			// An ENDPOINT_INFO needs 25 bytes.
			client.sendRaw(RawFrames.frame(sid, 0xFF, 0, 20));
			assertThat(client.next(ErrorFrame.class).message()).startsWith("malformed frame: ")
				.contains("ENDPOINT_INFO");
			assertSentinelIsTheNextAck(client, sid);
		}
	}

	@Test
	void pingPongWithAnotherPayloadIsAnsweredWithAnError() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.sendRaw(RawFrames.pingPong(sid, 8, "pang"));
			assertThat(client.next(ErrorFrame.class).message())
				.isEqualTo("malformed frame: PING_PONG payload must be \"ping\" or \"pong\"");
			assertSentinelIsTheNextAck(client, sid);
		}
	}

	@Test
	void errorFramesForMalformedInputCarryTheSessionIdAndFreshAcks() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.sendRaw(RawFrames.unknownType(sid, 0x10));
			client.sendRaw(RawFrames.unknownType(sid, 0x10));
			ErrorFrame first = client.next(ErrorFrame.class);
			ErrorFrame second = client.next(ErrorFrame.class);
			assertThat(first.sid()).isEqualTo(sid);
			assertThat(second.ack()).isEqualTo(first.ack() + 1);
			// They are tracked: ACKing them is accepted quietly.
			client.send(new AckFrame(sid, first.ack()));
			assertSentinelIsTheNextAck(client, sid);
		}
	}

	@Test
	void malformedFramesAreNotPublished() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.sendRaw(RawFrames.unknownType(sid, 0x77));
			client.next(ErrorFrame.class);
			client.send(new ErrorFrame(sid, 1, "sentinel"));
			client.next(AckFrame.class);
			this.events.await(sid, CryoErrorMessageEvent.class);
			assertThat(this.events.events(sid, CryoErrorMessageEvent.class)).hasSize(1);
		}
	}

	@Test
	void sixteenthMalformedFrameClosesWith4001() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			for (int i = 0; i < 15; i++) {
				client.sendRaw(RawFrames.pingPong(sid, i, "pang"));
				assertThat(client.next(ErrorFrame.class).message()).startsWith("malformed frame: ");
			}
			client.sendRaw(RawFrames.pingPong(sid, 15, "pang"));
			RawCryoClient.Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(4001);
			assertThat(close.reason()).isEqualTo("Too many malformed frames.");
			assertThat(client.poll(Duration.ZERO)).as("no ERROR for the frame that ended the session").isNull();
		}
		CryoSessionClosedEvent closed = this.events.await(sid, CryoSessionClosedEvent.class);
		assertThat(closed.code()).isEqualTo(4001);
		assertThat(closed.reason()).isEqualTo("Too many malformed frames.");
		assertThat(closed.initiator()).isEqualTo(CloseInfo.Initiator.LOCAL);
	}

	@Test
	void burstOfMalformedFramesClosesWith4001() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			for (int i = 0; i < 16; i++) {
				client.sendRaw(RawFrames.pingPong(sid, i, "pang"));
			}
			RawCryoClient.Close close = client.awaitClose();
			assertThat(close).isEqualTo(new RawCryoClient.Close(4001, "Too many malformed frames."));
			int errors = 0;
			for (Frame frame = client.poll(Duration.ZERO); frame != null; frame = client.poll(Duration.ZERO)) {
				assertThat(frame).isInstanceOf(ErrorFrame.class);
				errors++;
			}
			// Queued ERRORs may be discarded by the close, but there is never one for the 16th frame.
			assertThat(errors).isLessThanOrEqualTo(15);
		}
	}

	@Test
	void wellFormedFramesInBetweenDoNotResetTheMalformedCount() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			for (int i = 0; i < 15; i++) {
				client.sendRaw(RawFrames.unknownType(sid, 0x42));
				client.next(ErrorFrame.class);
				client.send(Utf8DataFrame.of(sid, i, "fine"));
				assertThat(client.next(AckFrame.class).ack()).isEqualTo(i);
			}
			client.sendRaw(RawFrames.unknownType(sid, 0x42));
			assertThat(client.awaitClose().code()).isEqualTo(4001);
		}
	}

	// ---- §1.3 text messages

	@Test
	void textMessagesAreIgnoredWithoutErrorAndTheSessionStaysOpen() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			for (int i = 0; i < 20; i++) {
				client.sendText("not a cryo frame " + i);
			}
			// The next thing the server says is the ACK of the sentinel: no ERROR, no close.
			assertSentinelIsTheNextAck(client, sid);
			assertThat(client.isClosed()).isFalse();
		}
	}

	// ---- §9 size limits

	@Test
	void binaryMessageOverTheLargestLegalSizeClosesWith1009() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			sendTolerantly(client, RawFrames.frame(sid, RawFrames.BINARYDATA, 1, FrameCodec.MAX_MESSAGE_LENGTH + 1));
			RawCryoClient.Close close = client.awaitClose(Duration.ofSeconds(20));
			assertThat(close.code()).isEqualTo(1009);
			assertThat(client.poll(Duration.ZERO)).as("no ACK for the oversized message").isNull();
		}
		assertThat(this.events.await(sid, CryoSessionClosedEvent.class).code()).isEqualTo(1009);
	}

	@Test
	void utf8DataWithAPayloadOver16MibClosesWith1009() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			// 16 777 230 bytes: a legal message size, but a 16 777 217-byte payload.
			sendTolerantly(client, RawFrames.frame(sid, RawFrames.UTF8DATA, 1, 13 + FrameCodec.MAX_PAYLOAD + 1));
			RawCryoClient.Close close = client.awaitClose(Duration.ofSeconds(20));
			assertThat(close.code()).isEqualTo(1009);
			assertThat(client.poll(Duration.ZERO)).as("no ACK for the oversized payload").isNull();
		}
	}

	@Test
	void binaryDataWithExactly16MibIsAccepted() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.sendRaw(RawFrames.frame(sid, RawFrames.BINARYDATA, 2, 13 + FrameCodec.MAX_PAYLOAD));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(2);
			assertThat(this.events.await(sid, CryoBinaryMessageEvent.class).size()).isEqualTo(FrameCodec.MAX_PAYLOAD);
		}
	}

	@Test
	void oneMebibyteBinaryMessageRoundTripsThroughAnEchoListener() {
		SessionId sid = RawFrames.newSid();
		byte[] payload = new byte[1024 * 1024];
		new Random(42).nextBytes(payload);
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CryoClients.session(this.server, sid).setAttribute(BinaryEchoListener.ECHO_ATTRIBUTE, true);
			client.send(new BinaryDataFrame(sid, 5, ByteBuffer.wrap(payload)));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(5);
			BinaryDataFrame echo = client.next(BinaryDataFrame.class);
			byte[] received = new byte[echo.payloadLength()];
			echo.payload().get(received);
			assertThat(received).isEqualTo(payload);
			client.send(new AckFrame(sid, echo.ack()));
		}
	}

	@Test
	void manyLargeMessagesInARowAreReassembledIndependently() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			int[] sizes = { 100_000, 10, 300_000, 0, 70_000 };
			for (int i = 0; i < sizes.length; i++) {
				byte[] payload = new byte[sizes[i]];
				Arrays.fill(payload, (byte) i);
				client.send(new BinaryDataFrame(sid, i, ByteBuffer.wrap(payload)));
			}
			for (int i = 0; i < sizes.length; i++) {
				assertThat(client.next(AckFrame.class).ack()).isEqualTo(i);
			}
			List<CryoBinaryMessageEvent> received = this.events.awaitCount(sid, CryoBinaryMessageEvent.class,
					sizes.length);
			for (int i = 0; i < sizes.length; i++) {
				byte[] expected = new byte[sizes[i]];
				Arrays.fill(expected, (byte) i);
				assertThat(received.get(i).bytes()).as("message %d", i).isEqualTo(expected);
			}
		}
	}

	private static void assertSentinelIsTheNextAck(RawCryoClient client, SessionId sid) {
		client.send(Utf8DataFrame.of(sid, SENTINEL_ACK, "sentinel"));
		assertThat(client.next()).isEqualTo(new AckFrame(sid, SENTINEL_ACK));
	}

	/** Sends a message the server may close the connection on before it has read all of it. */
	private static void sendTolerantly(RawCryoClient client, byte[] message) {
		try {
			client.sendRaw(message);
		}
		catch (CompletionException ex) {
			// The close frame is still recorded by the client.
		}
	}

}
