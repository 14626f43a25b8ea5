package dev.cryo.sample;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.sample.CryoTestClient.Close;
import dev.cryo.sample.CryoWire.Frame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cryo-v1.md §8 (ending a session): BYE handling and close reasons.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DisplayName("Cryo v1 §8 — BYE")
class ByeConformanceTests extends ConformanceSupport {

	@ParameterizedTest(name = "§8.1: BYE \"{0}\" → ACK, then close 4000 \"{0}\"")
	@ValueSource(strings = { "done", "héllo ✓ 🚀", "Client shutdown." })
	@DisplayName("§8.1: a client BYE with a reason is ACKed, then the WebSocket is closed with 4000 and that reason")
	void byeWithReason(String reason) {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			long ack = client.nextAck();
			client.send(CryoWire.bye(sid, ack, reason));
			client.expectAck(ack);
			Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(4000);
			assertThat(close.reason()).isEqualTo(reason);
			assertThat(client.received()).as("nothing after the ACK").last().matches((f) -> f.isAck(ack));
		}
	}

	@Test
	@DisplayName("§4.3/§8.1: a 13-byte BYE (no reason) is accepted: ACK, then close 4000 with an empty reason")
	void byeWithoutReason() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			long ack = client.nextAck();
			byte[] bye = CryoWire.frame(sid, CryoWire.BYE, ack, new byte[0]);
			assertThat(bye).hasSize(13);
			client.send(bye);
			client.expectAck(ack);
			Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(4000);
			assertThat(close.reason()).as("the server never invents 'disconnect' (D-C4)").isEmpty();
		}
	}

	@Test
	@DisplayName("§8.4: a BYE reason longer than 123 bytes is truncated at a character boundary in the close reason")
	void longByeReasonIsTruncated() {
		long sid = randomSid();
		String reason = "é".repeat(100) + "✓".repeat(30); // 290 bytes
		try (CryoTestClient client = connectReady(sid)) {
			long ack = client.nextAck();
			client.send(CryoWire.bye(sid, ack, reason));
			client.expectAck(ack);
			Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(4000);
			assertThat(reason).startsWith(close.reason());
			assertThat(CryoWire.utf8Length(close.reason())).isLessThanOrEqualTo(123).isGreaterThanOrEqualTo(120);
		}
	}

	@Test
	@DisplayName("§3.5/§8.1: a BYE before the session is ready is handled like any base frame")
	void byeBeforeReady() {
		long sid = randomSid();
		try (CryoTestClient client = connect(sid)) {
			client.expectServerEndpointInfo();
			client.send(CryoWire.bye(sid, 0, "never mind"));
			client.expectAck(0);
			Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(4000);
			assertThat(close.reason()).isEqualTo("never mind");
		}
	}

	@Test
	@DisplayName("§8.1/§5: data sent before the BYE is still ACKed, in order, before the close")
	void dataBeforeByeIsHandled() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			long data = client.sendUtf8("last words");
			long bye = client.nextAck();
			client.send(CryoWire.bye(sid, bye, "done"));
			Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(4000);
			List<Frame> acks = client.received().stream().filter((f) -> f.is(CryoWire.ACK)).toList();
			assertThat(acks).extracting(Frame::ack).containsExactly(0L, data, bye);
		}
	}

}
