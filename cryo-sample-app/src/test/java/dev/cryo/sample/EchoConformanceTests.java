package dev.cryo.sample;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.sample.CryoTestClient.Close;
import dev.cryo.sample.CryoWire.Frame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data frames through the sample app's echo listener: UTF8DATA and BINARYDATA layouts (§4.3),
 * lenient UTF-8 decoding (§1.6), WebSocket-level reassembly of big messages (§1.2) and the payload
 * limit (§9).
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DisplayName("Cryo v1 §4.3/§9 — echo of UTF-8 and binary data")
class EchoConformanceTests extends ConformanceSupport {

	static Stream<Arguments> texts() {
		return Stream.of(Arguments.of("empty string", ""), Arguments.of("ASCII", "hello"),
				Arguments.of("multi-byte héllo ✓ 🚀", "héllo ✓ 🚀"), Arguments.of("100 KiB text", hundredKibText()));
	}

	/** Exactly 102 400 UTF-8 bytes, mixing 1-, 2-, 3- and 4-byte characters. */
	static String hundredKibText() {
		StringBuilder text = new StringBuilder();
		String unit = "héllo ✓ 🚀 "; // 16 bytes
		while (CryoWire.utf8Length(text.toString()) + 16 <= 100 * 1024) {
			text.append(unit);
		}
		while (CryoWire.utf8Length(text.toString()) < 100 * 1024) {
			text.append('x');
		}
		assertThat(CryoWire.utf8Length(text.toString())).isEqualTo(100 * 1024);
		return text.toString();
	}

	@ParameterizedTest(name = "UTF-8 echo: {0}")
	@MethodSource("texts")
	@DisplayName("§4.3 UTF8DATA: text is ACKed and echoed byte for byte")
	void utf8Echo(String description, String text) {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			long ack = client.sendUtf8(text);
			Frame echo = ackAndEcho(client, ack, CryoWire.UTF8DATA);
			assertThat(echo.length()).isEqualTo(13 + CryoWire.utf8Length(text));
			assertThat(echo.tail()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
			assertThat(echo.text()).isEqualTo(text);
		}
	}

	@ParameterizedTest(name = "binary echo of {0} bytes")
	@ValueSource(ints = { 0, 1, 13, 8 * 1024, 8 * 1024 + 1, 64 * 1024, 1024 * 1024 })
	@DisplayName("§4.3 BINARYDATA: bytes are ACKed and echoed exactly")
	void binaryEcho(int size) {
		long sid = randomSid();
		byte[] payload = randomBytes(size, size);
		try (CryoTestClient client = connectReady(sid)) {
			long ack = client.sendBinary(payload);
			Frame echo = ackAndEcho(client, ack, CryoWire.BINARYDATA);
			assertThat(echo.length()).isEqualTo(13 + size);
			if (size <= 8 * 1024 + 1) {
				assertThat(echo.tail()).isEqualTo(payload);
			}
			else {
				assertThat(sha256(echo.tail())).isEqualTo(sha256(payload));
			}
		}
	}

	@Test
	@DisplayName("§1.2: a frame split into WebSocket continuation frames (even inside the header) is reassembled")
	void fragmentedMessageIsReassembled() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			long ack = client.nextAck();
			String text = "fragmented héllo ✓ 🚀";
			client.sendFragmented(CryoWire.utf8(sid, ack, text), 5, 11, 20);
			Frame echo = ackAndEcho(client, ack, CryoWire.UTF8DATA);
			assertThat(echo.text()).isEqualTo(text);
			long binaryAck = client.nextAck();
			byte[] payload = randomBytes(100_000, 7);
			client.sendFragmented(CryoWire.binary(sid, binaryAck, payload), 1, 13, 50_000);
			Frame binaryEcho = ackAndEcho(client, binaryAck, CryoWire.BINARYDATA);
			assertThat(binaryEcho.tail()).isEqualTo(payload);
		}
	}

	@Test
	@DisplayName("§1.6: malformed UTF-8 is decoded leniently with U+FFFD (lenient vector utf8data-invalid-utf8)")
	void lenientUtf8Decoding() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			client.send(CryoWire.frame(sid, CryoWire.UTF8DATA, 5, new byte[] { 'h', (byte) 0xFF, (byte) 0xFE, 'i' }));
			Frame echo = ackAndEcho(client, 5, CryoWire.UTF8DATA);
			assertThat(echo.text()).isEqualTo("h\uFFFD\uFFFDi");
			assertThat(echo.hex()).as("the server sends valid UTF-8").endsWith("68efbfbdefbfbd69");
		}
	}

	@Test
	@DisplayName("§9: a payload of exactly CRYO_MAX_PAYLOAD (16 MiB) is accepted and echoed")
	void maximumPayloadIsAccepted() {
		long sid = randomSid();
		byte[] payload = randomBytes(CryoWire.MAX_PAYLOAD, 16);
		try (CryoTestClient client = connectReady(sid)) {
			long ack = client.sendBinary(payload);
			Frame echo = ackAndEcho(client, ack, CryoWire.BINARYDATA);
			assertThat(echo.length()).isEqualTo(13 + CryoWire.MAX_PAYLOAD);
			assertThat(sha256(echo.tail())).isEqualTo(sha256(payload));
		}
	}

	@Test
	@DisplayName("§9: a message within 16 777 233 bytes whose payload exceeds 16 MiB closes with 1009")
	void oversizedPayloadClosesWith1009() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			long ack = client.nextAck();
			client.sendIgnoringFailure(CryoWire.utf8(sid, ack, "a".repeat(CryoWire.MAX_PAYLOAD + 1))); // 16 777 230 bytes
			Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(1009);
			assertThat(client.received()).noneMatch((f) -> f.isAck(ack));
		}
	}

	@Test
	@DisplayName("§9: a message larger than 16 777 233 bytes closes with 1009")
	void oversizedMessageClosesWith1009() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			long ack = client.nextAck();
			client.sendIgnoringFailure(CryoWire.binary(sid, ack, new byte[CryoWire.MAX_MESSAGE - 13 + 1])); // 16 777 234 bytes
			Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(1009);
			assertThat(client.received()).noneMatch((f) -> f.isAck(ack));
		}
	}

	/** Reads the ACK for {@code ack} and the echo (in either order, §11.3 lets ACKs overtake data). */
	static Frame ackAndEcho(CryoTestClient client, long ack, int echoType) {
		List<Frame> frames = client.take(2);
		assertThat(frames).as("ACK(%d) and the echo", ack).anyMatch((f) -> f.isAck(ack));
		Frame echo = frames.stream().filter((f) -> f.is(echoType)).findFirst().orElseThrow(
				() -> new AssertionError("no " + CryoWire.typeName(echoType) + " echo in " + frames));
		client.send(CryoWire.ack(client.sid, echo.ack()));
		return echo;
	}

	static byte[] randomBytes(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

}
