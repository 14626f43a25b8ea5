package dev.cryo.sample;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.sample.CryoWire.Frame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cryo-v1.md §2.1/§4.1: the sid is an unsigned 64-bit value; values ≥ 2^63 are common. Every frame
 * the server sends carries it.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DisplayName("Cryo v1 §4.1 — unsigned 64-bit session ids")
class HighSidConformanceTests extends ConformanceSupport {

	@ParameterizedTest(name = "§4.1: sid {0} connects and every server frame carries it")
	@ValueSource(strings = { "0", "1", "9223372036854775808", "18446744073709551615", "1234567890123456789" })
	@DisplayName("§2.1/§4.1: edge sids connect, are echoed, and appear in every server frame")
	void edgeSid(String decimal) {
		long sid = Long.parseUnsignedLong(decimal);
		String sidHex = String.format("%016x", sid);
		try (CryoTestClient client = CryoTestClient.connectReusingSid(this.port, sid)) {
			Frame info = client.handshake();
			assertThat(info.hex()).startsWith(sidHex + "ff00000000");
			Frame echo = client.assertEchoes("sid " + decimal);
			assertThat(echo.hex()).startsWith(sidHex + "fa");
			long binary = client.sendBinary(new byte[] { (byte) 0xCA, (byte) 0xFE });
			List<Frame> frames = client.take(2);
			assertThat(frames).anyMatch((f) -> f.isAck(binary));
			client.send(CryoWire.ping(sid, 77));
			Frame pong = client.next();
			assertThat(pong.isPong()).as("%s", pong).isTrue();
			assertThat(pong.hex()).startsWith(sidHex + "fb");
			// (The pong's ack value is covered by AcknowledgementConformanceTests.)
			long bye = client.nextAck();
			client.send(CryoWire.bye(sid, bye, "bye " + decimal));
			client.expectAck(bye);
			assertThat(client.awaitClose().code()).isEqualTo(4000);
			assertThat(client.received()).isNotEmpty().allSatisfy((frame) -> {
				assertThat(Long.toUnsignedString(frame.sid())).as("sid of %s", frame).isEqualTo(decimal);
				assertThat(frame.hex()).startsWith(sidHex);
			});
		}
	}

}
