package dev.cryo.sample;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.sample.CryoTestClient.Close;
import dev.cryo.sample.CryoWire.Frame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the client side of {@code referenceTranscript} (cryo-v1.md §15, recorded against the
 * reference server 3.0.x) against the sample app and checks that the server side matches the
 * recording.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DisplayName("Cryo v1 §15 — reference transcript replay")
class ReferenceTranscriptConformanceTests extends ConformanceSupport {

	/**
	 * Steps 9–12 are skipped. In the recording the server's heartbeat ping (step 9, answered in
	 * step 10) was triggered by hand, and the server UTF8DATA "hi" of step 11 (ACKed in step 12)
	 * was sent by the recording application. Neither can be provoked here without waiting for the
	 * 15 s heartbeat or changing the app. Their role is taken by the sample app's echo of the
	 * step 5 UTF8DATA (the recording had no echo listener): it is a server UTF8DATA with a fresh,
	 * tracked ack number, which the client ACKs as in step 12. Because no heartbeat ping takes
	 * number 1 here, the echo carries ack 1 instead of the recorded 2 (§6.1: one counter for
	 * ENDPOINT_INFO, data and pings).
	 */
	private static final Set<Integer> SKIPPED_STEPS = Set.of(9, 10, 11, 12);

	@Test
	@DisplayName("§15 referenceTranscript: the server's frames match the recorded server→client frames (type, ack, bytes)")
	void replayReferenceTranscript() {
		replay();
	}

	private void replay() {
		long sid = Long.parseUnsignedLong(Vectors.read("$.referenceTranscript.sid"));
		List<Map<String, Object>> steps = Vectors.list("$.referenceTranscript.frames");
		Frame echo = null;
		boolean byeSent = false;
		try (CryoTestClient client = CryoTestClient.connectReusingSid(this.port, sid)) {
			for (Map<String, Object> step : steps) {
				int number = ((Number) step.get("step")).intValue();
				if (SKIPPED_STEPS.contains(number)) {
					continue;
				}
				byte[] recorded = CryoWire.unhex((String) step.get("hex"));
				Frame expected = CryoWire.decode(recorded);
				assertThat(CryoWire.typeName(expected.type())).as("step %d type name", number).isEqualTo(step.get("type"));
				if ("client->server".equals(step.get("direction"))) {
					if (expected.is(CryoWire.BYE)) {
						// The server ACKs the BYE and closes at once; the JDK client may then fail
						// the send's own future with "Output closed" although the bytes went out.
						client.sendIgnoringOutcome(recorded);
						byeSent = true;
					}
					else {
						client.send(recorded);
					}
					continue;
				}
				Frame actual = client.next();
				if (actual.is(CryoWire.UTF8DATA) && echo == null) {
					// The sample app's echo of step 5 (not in the recording): consume and ACK it. The
					// echo is sent by an event listener, so on a busy machine it may come after the
					// client's BYE, when the server is closing and the ACK may find the output closed.
					echo = actual;
					if (byeSent) {
						client.sendIgnoringOutcome(CryoWire.ack(sid, echo.ack()));
					}
					else {
						client.send(CryoWire.ack(sid, echo.ack()));
					}
					actual = client.next();
				}
				assertThat(actual.type()).as("step %d type (%s)", number, actual).isEqualTo(expected.type());
				assertThat(actual.ack()).as("step %d ack (%s)", number, actual).isEqualTo(expected.ack());
				assertThat(actual.hex()).as("step %d bytes", number).isEqualTo(CryoWire.hex(recorded));
			}
			Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(Vectors.<Integer>read("$.referenceTranscript.close.code"));
			assertThat(close.reason()).isEqualTo(Vectors.<String>read("$.referenceTranscript.close.reason"));
			if (echo == null) {
				echo = client.received().stream().filter((f) -> f.is(CryoWire.UTF8DATA)).findFirst().orElse(null);
			}
			assertThat(echo).as("the sample app's echo of step 5").isNotNull();
			assertThat(echo.text()).isEqualTo("héllo ✓ 🚀");
			if (client.pings().isEmpty()) {
				assertThat(echo.ack()).as("first number after the ENDPOINT_INFO's 0").isEqualTo(1);
			}
		}
	}

}
