package dev.cryo.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.sample.CryoWire.Frame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cryo-v1.md §5 (handling of received frames), §6 (acknowledgements) and the ping/pong rules of
 * §7 that do not need the heartbeat timer.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DisplayName("Cryo v1 §5/§6/§7 — acknowledgements and ping/pong")
class AcknowledgementConformanceTests extends ConformanceSupport {

	private static final Duration QUIET = Duration.ofMillis(400);

	@Test
	@DisplayName("§6.2: UTF8DATA, BINARYDATA and ERROR from the client are each ACKed with their ack value; ERROR does not close (§8.3)")
	void dataAndErrorFramesAreAcked() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			long utf8 = client.sendUtf8("text");
			long binary = client.sendBinary(new byte[] { 1, 2, 3 });
			long error = client.nextAck();
			client.send(CryoWire.error(sid, error, "client-side problem"));
			List<Frame> frames = client.collectUntil((list) -> list.size() >= 5, CryoTestClient.TIMEOUT);
			assertThat(frames.stream().filter((f) -> f.is(CryoWire.ACK)).map(Frame::ack))
				.as("ACKs in arrival order (§5: in-order processing)")
				.containsExactly(utf8, binary, error);
			assertThat(frames.stream().filter((f) -> !f.is(CryoWire.ACK)).map(Frame::type))
				.as("echoes of the two data frames")
				.containsExactly(CryoWire.UTF8DATA, CryoWire.BINARYDATA);
			client.expectSilence(QUIET);
			assertThat(client.isClosed()).isFalse();
		}
	}

	@ParameterizedTest(name = "§6.1: an incoming ack value {0} is copied unchanged into the ACK")
	@ValueSource(longs = { 0, 1, 255, 256, 65536, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFEL, 0xFFFF_FFFFL })
	@DisplayName("§6.1/§6.2: receivers accept every u32 ack value and ACK it unchanged")
	void everyU32AckValueIsAcked(long ack) {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			client.send(CryoWire.binary(sid, ack, new byte[] { 42 }));
			List<Frame> frames = client.take(2);
			assertThat(frames).anyMatch((f) -> f.isAck(ack));
			// A repeated (non-increasing) ack value is ACKed as well; the server does not dedupe.
			client.send(CryoWire.binary(sid, ack, new byte[] { 43 }));
			assertThat(client.take(2)).anyMatch((f) -> f.isAck(ack));
		}
	}

	@Test
	@DisplayName("§6.1: the server's echo frames take fresh, increasing ack numbers following its ENDPOINT_INFO's 0")
	void serverFramesTakeFreshAckNumbers() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			List<Long> sent = new ArrayList<>();
			sent.add(client.sendUtf8("one"));
			sent.add(client.sendBinary(new byte[] { 2 }));
			sent.add(client.sendUtf8("three"));
			sent.add(client.sendBinary(new byte[] { 4 }));
			sent.add(client.sendUtf8("five"));
			List<Frame> frames = client.take(10);
			List<Frame> echoes = frames.stream().filter((f) -> !f.is(CryoWire.ACK)).toList();
			assertThat(frames.stream().filter((f) -> f.is(CryoWire.ACK)).map(Frame::ack)).containsExactlyElementsOf(sent);
			assertThat(echoes).extracting(Frame::type)
				.containsExactly(CryoWire.UTF8DATA, CryoWire.BINARYDATA, CryoWire.UTF8DATA, CryoWire.BINARYDATA,
						CryoWire.UTF8DATA);
			assertThat(echoes.get(0).text()).isEqualTo("one");
			assertThat(echoes.get(4).text()).isEqualTo("five");
			List<Long> echoAcks = echoes.stream().map(Frame::ack).toList();
			assertThat(echoAcks).as("strictly increasing").isSorted().doesNotHaveDuplicates();
			// The client ACKs each tracked echo; that is accepted silently.
			for (Frame echo : echoes) {
				client.send(CryoWire.ack(sid, echo.ack()));
			}
			client.expectSilence(QUIET);
			Frame next = client.assertEchoes("six");
			assertNumberedFramesAreContiguous(client.received());
			assertThat(next.ack()).isGreaterThan(echoAcks.get(4));
			if (client.pings().isEmpty()) {
				assertThat(echoAcks).containsExactly(1L, 2L, 3L, 4L, 5L);
				assertThat(next.ack()).isEqualTo(6);
			}
		}
	}

	/**
	 * §6.1: the server's ENDPOINT_INFO, data, ERROR, BYE frames and pings draw from one counter
	 * starting at 0; ACKs and pongs do not take a number. Pings are sent expedited (§11.3), so
	 * only the set of numbers is checked, not their arrival order.
	 */
	static void assertNumberedFramesAreContiguous(List<Frame> received) {
		TreeSet<Long> numbers = new TreeSet<>();
		for (Frame frame : received) {
			if (frame.is(CryoWire.ACK) || frame.isPong()) {
				continue;
			}
			assertThat(numbers.add(frame.ack())).as("ack number %d used twice (%s)", frame.ack(), received).isTrue();
		}
		assertThat(numbers.first()).isZero();
		assertThat(numbers.last()).as("no gaps in %s", numbers).isEqualTo(numbers.size() - 1L);
	}

	@Test
	@DisplayName("§6.2: ACKs for pending, already-settled or never-sent numbers are accepted and ignored (no reply)")
	void clientAcksAreAcceptedAndUnknownOnesIgnored() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			Frame echo = client.assertEchoes("tracked"); // ACKs the echo itself
			client.send(CryoWire.ack(sid, echo.ack())); // settled already
			client.send(CryoWire.ack(sid, 0)); // ENDPOINT_INFO, settled during the handshake
			client.send(CryoWire.ack(sid, 999_999)); // never sent
			client.send(CryoWire.ack(sid, 0xFFFF_FFFFL));
			client.send(Arrays.copyOf(CryoWire.ack(sid, 123), 20)); // with trailing bytes (lenient)
			client.expectSilence(QUIET);
			client.assertEchoes("still fine");
		}
	}

	@Test
	@DisplayName("§5: frames are processed one at a time in arrival order (ACKs come back in send order)")
	void framesAreProcessedInOrder() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			List<Long> sent = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				long ack = client.nextAck();
				sent.add(ack);
				switch (i % 3) {
					case 0 -> client.send(CryoWire.utf8(sid, ack, "m" + i));
					case 1 -> client.send(CryoWire.binary(sid, ack, new byte[] { (byte) i }));
					default -> client.send(CryoWire.txFlow(sid, ack, i % 2));
				}
			}
			List<Frame> frames = client.collectUntil(
					(list) -> list.stream().filter((f) -> f.is(CryoWire.ACK)).count() >= 30
							&& list.stream().filter((f) -> !f.is(CryoWire.ACK)).count() >= 20,
					CryoTestClient.TIMEOUT);
			assertThat(frames.stream().filter((f) -> f.is(CryoWire.ACK)).map(Frame::ack)).containsExactlyElementsOf(sent);
			List<String> echoed = frames.stream()
				.filter((f) -> f.is(CryoWire.UTF8DATA))
				.map(Frame::text)
				.toList();
			assertThat(echoed).containsExactly("m0", "m3", "m6", "m9", "m12", "m15", "m18", "m21", "m24", "m27");
		}
	}

	@Test
	@DisplayName("§4.1: the sid inside a received frame is not checked; the reply carries the session's sid")
	void foreignSidInFrameIsAccepted() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			client.send(CryoWire.utf8(sid ^ 0x5555_5555_5555_5555L, 9, "foreign"));
			List<Frame> frames = client.take(2);
			assertThat(frames).anyMatch((f) -> f.isAck(9));
			assertThat(frames).allMatch((f) -> f.sid() == sid);
		}
	}

	@Test
	@DisplayName("§5/§6.2: TX_FLOW (push and pull), TX_FINISH and TX_CANCEL for unknown txids are ACKed; TX_CHUNK for an unknown txid is dropped silently")
	void transactionFramesWithoutTransactions() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			client.send(CryoWire.txFlow(sid, 10, 0));
			client.expectAck(10);
			client.send(CryoWire.txFlow(sid, 11, 1));
			client.expectAck(11);
			client.send(CryoWire.ackAndTxid(sid, CryoWire.TX_FINISH, 12, 4711));
			client.expectAck(12);
			client.send(CryoWire.ackAndTxid(sid, CryoWire.TX_CANCEL, 13, 4712));
			client.expectAck(13);
			client.send(CryoWire.txChunk(sid, 4713, "orphan".getBytes(StandardCharsets.UTF_8)));
			client.expectSilence(QUIET);
			// 1.1.x encoder output (D-C2): decoded per spec as TX_FLOW(PUSH) with ack 65537.
			client.send(CryoWire.unhex("0000000000000001030001000100"));
			client.expectAck(65537);
			client.assertEchoes("after transactions");
		}
	}

	// ------------------------------------------------------------------ ping / pong (§7)

	@Test
	@DisplayName("§7: a client ping is answered with a 17-byte pong carrying the session sid, and is not ACKed")
	void clientPingIsAnsweredWithPong() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			client.send(CryoWire.ping(sid, 2));
			Frame pong = client.next();
			assertThat(pong.isPong()).as("%s", pong).isTrue();
			assertThat(pong.sid()).isEqualTo(sid);
			client.expectSilence(QUIET);
			// The ack value of the pong is checked by clientPingIsAnsweredWithPongCarryingTheSameAck.
		}
	}

	@ParameterizedTest(name = "§7: client ping with ack {0} is answered by pong with ack {0}")
	@ValueSource(longs = { 0, 2, 0xFFFF_FFFFL })
	@DisplayName("§4.3/§5/§7: the pong copies the ping's ack value (byte-exact pong)")
	void clientPingIsAnsweredWithPongCarryingTheSameAck(long ack) {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			client.send(CryoWire.ping(sid, ack));
			Frame pong = client.next();
			assertThat(pong.hex()).isEqualTo(CryoWire.hex(CryoWire.pong(sid, ack)));
			client.expectSilence(QUIET);
		}
	}

	@Test
	@DisplayName("§7: a pong from the client is never answered")
	void clientPongIsNotAnswered() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			client.send(CryoWire.pong(sid, 0));
			client.send(CryoWire.pong(sid, 12345));
			client.expectSilence(QUIET);
			client.assertEchoes("alive");
		}
	}

	@Test
	@DisplayName("§6.1: pongs and ACKs sent by the server do not take an ack number")
	void pongsAndAcksDoNotTakeNumbers() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			for (int i = 0; i < 3; i++) {
				client.send(CryoWire.ping(sid, 100 + i));
				assertThat(client.next().isPong()).isTrue();
			}
			Frame echo = client.assertEchoes("numbered");
			assertNumberedFramesAreContiguous(client.received());
			if (client.pings().isEmpty()) {
				assertThat(echo.ack()).as("first numbered frame after the ENDPOINT_INFO").isEqualTo(1);
			}
		}
	}

}
