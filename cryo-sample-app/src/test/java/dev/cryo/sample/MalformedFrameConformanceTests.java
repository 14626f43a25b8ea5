package dev.cryo.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.sample.CryoTestClient.Close;
import dev.cryo.sample.CryoWire.Frame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cryo-v1.md §4.5 (decoding rules, malformed frames), §1.3 (text messages) and the {@code invalid}
 * and {@code lenient} vectors of §15.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DisplayName("Cryo v1 §4.5 — malformed frames and garbage")
class MalformedFrameConformanceTests extends ConformanceSupport {

	private static final Duration QUIET = Duration.ofMillis(400);

	private static final String MALFORMED_PREFIX = "malformed frame:";

	/** Every {@code invalid} vector that must be rejected, plus hand-made cases for each §4.5 rule. */
	static Stream<Arguments> malformedFrames() {
		List<Arguments> cases = new ArrayList<>();
		for (Map<String, Object> vector : Vectors.list("$.invalid[?(@.expected == 'reject')]")) {
			cases.add(Arguments.of("vector " + vector.get("name") + ": " + vector.get("reason"),
					(String) vector.get("hex")));
		}
		long sid = 1;
		cases.add(Arguments.of("unassigned type 0x77", CryoWire.hex(CryoWire.frame(sid, 0x77, 7, new byte[0]))));
		cases.add(Arguments.of("unassigned type 0x80 with a payload",
				CryoWire.hex(CryoWire.frame(sid, 0x80, 7, new byte[] { 1, 2, 3 }))));
		cases.add(Arguments.of("5-byte message", "0102030405"));
		cases.add(Arguments.of("BYE of 12 bytes", "0000000000000001fe000000"));
		cases.add(Arguments.of("UTF8DATA of 9 bytes", "0000000000000001fa"));
		cases.add(Arguments.of("ERROR of 10 bytes", "0000000000000001fc00"));
		cases.add(Arguments.of("BINARYDATA of 12 bytes", "0000000000000001f9000000"));
		cases.add(Arguments.of("ENDPOINT_INFO of 24 bytes", "0000000000000001ff000000070000000100000000000000"));
		cases.add(Arguments.of("TX_FLOW behaviour 0xff", CryoWire.hex(CryoWire.txFlow(sid, 7, 0xFF))));
		cases.add(Arguments.of("TX_FLOW behaviour 0x02 with a trailing byte", "000000000000000103000000070200"));
		cases.add(Arguments.of("PING_PONG payload \"pinG\"", "0000000000000001fb0000000770696e47"));
		cases.add(Arguments.of("PING_PONG payload \"pong\" plus trailing byte", "0000000000000001fb00000007706f6e6700"));
		cases.add(Arguments.of("TX_CANCEL of 16 bytes", "00000000000000010500000007000000"));
		cases.add(Arguments.of("TX_PULL of 17 bytes", "0000000000000001040000000700000001"));
		return cases.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedFrames")
	@DisplayName("§4.5: a malformed frame is answered with ERROR \"malformed frame: …\", not ACKed, and the connection stays open")
	void malformedFrameIsAnsweredWithError(String description, String hex) {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			client.send(CryoWire.unhex(hex));
			Frame error = client.next();
			assertThat(error.type()).as("reply to %s: %s", description, error).isEqualTo(CryoWire.ERROR);
			assertThat(error.text()).startsWith(MALFORMED_PREFIX);
			client.send(CryoWire.ack(sid, error.ack())); // the ERROR is a tracked frame
			assertThat(client.isClosed()).isFalse();
			Frame echo = client.assertEchoes("still open");
			// Frames are processed and ACKed in order (§5), so an ACK for the malformed frame would have
			// arrived before the sentinel's: only the handshake ACK and the sentinel ACK may be there.
			assertThat(client.received()).as("no ACK for the malformed frame")
				.filteredOn((f) -> f.is(CryoWire.ACK))
				.hasSize(2);
			assertThat(client.received()).filteredOn((f) -> f.is(CryoWire.ERROR)).containsExactly(error);
			assertThat(client.received()).as("a malformed frame is never handed to the application (no echo)")
				.filteredOn((f) -> f.is(CryoWire.UTF8DATA) || f.is(CryoWire.BINARYDATA))
				.containsExactly(echo);
			assertThat(echo.ack()).isGreaterThan(error.ack());
			AcknowledgementConformanceTests.assertNumberedFramesAreContiguous(client.received());
		}
	}

	@Test
	@DisplayName("§4.5: 15 malformed frames keep the session open; the 16th closes it with 4001 \"Too many malformed frames.\"")
	void tooManyMalformedFrames() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			for (int i = 0; i < 15; i++) {
				client.send(CryoWire.frame(sid, 0x10 + i, 1000 + i, new byte[0]));
			}
			List<Frame> errors = client.take(15);
			assertThat(errors).allMatch((f) -> f.is(CryoWire.ERROR) && f.text().startsWith(MALFORMED_PREFIX), "ERROR frames");
			errors.forEach((error) -> client.send(CryoWire.ack(sid, error.ack())));
			client.assertEchoes("fifteen is fine"); // a valid frame does not reset the count
			assertThat(client.isClosed()).isFalse();
			client.send(CryoWire.frame(sid, 0x77, 2000, new byte[0]));
			Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(4001);
			assertThat(close.reason()).isEqualTo("Too many malformed frames.");
			assertThat(client.received()).noneMatch((f) -> f.is(CryoWire.ACK) && f.ack() >= 1000);
		}
	}

	@Test
	@DisplayName("§1.3: text WebSocket messages are ignored (no reply, not counted as malformed)")
	void textMessagesAreIgnored() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			for (int i = 0; i < 20; i++) {
				client.sendText("hello " + i);
			}
			client.expectSilence(QUIET);
			assertThat(client.isClosed()).isFalse();
			client.assertEchoes("binary still works");
		}
	}

	@Test
	@DisplayName("§1.3: a text message holding the bytes of a valid TX_FLOW frame is ignored, not parsed (no ACK)")
	void textMessageWithFrameBytesIsIgnored() {
		long sid = 1;
		byte[] frame = CryoWire.txFlow(sid, 1, 0); // all bytes < 0x80, so valid UTF-8
		String text = new String(frame, StandardCharsets.US_ASCII);
		long session = randomSid();
		try (CryoTestClient client = connectReady(session)) {
			client.sendText(text);
			client.sendText(new String(CryoWire.txFlow(session, 2, 0), StandardCharsets.ISO_8859_1));
			client.expectSilence(QUIET);
			client.assertEchoes("binary still works");
		}
	}

	/** The {@code lenient} vectors: odd-looking frames that must be accepted. */
	static Stream<Arguments> lenientFrames() {
		return Vectors.list("$.lenient[*]")
			.stream()
			.map((vector) -> Arguments.of(vector.get("name") + ": " + vector.get("reason"), (String) vector.get("hex")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("lenientFrames")
	@DisplayName("§4.5/§15: lenient vectors are accepted (no ERROR)")
	void lenientFramesAreAccepted(String description, String hex) {
		long sid = randomSid();
		byte[] bytes = CryoWire.unhex(hex);
		Frame sent = CryoWire.decode(bytes);
		try (CryoTestClient client = connectReady(sid)) {
			client.send(bytes);
			switch (sent.type()) {
				case CryoWire.ACK -> client.expectSilence(QUIET);
				case CryoWire.BYE -> {
					client.expectAck(sent.ack());
					assertThat(client.awaitClose().code()).isEqualTo(4000);
				}
				case CryoWire.UTF8DATA, CryoWire.BINARYDATA -> {
					List<Frame> frames = client.take(2);
					assertThat(frames).anyMatch((f) -> f.isAck(sent.ack()));
					assertThat(frames).anyMatch((f) -> f.is(sent.type()));
				}
				default -> client.expectAck(sent.ack());
			}
			assertThat(client.received()).noneMatch((f) -> f.is(CryoWire.ERROR));
		}
	}

}
