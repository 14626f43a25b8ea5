package dev.cryo.sample;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.sample.CryoTestClient.Close;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cryo-v1.md §3 item 7 with {@code cryo.endpoint-info-timeout=1s}: a connection that never sends
 * its ENDPOINT_INFO does not hold a session for ever.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.endpoint-info-timeout=1s")
@DisplayName("Cryo v1 §3.7 — ENDPOINT_INFO timeout (1 s)")
class EndpointInfoTimeoutConformanceTests extends ConformanceSupport {

	@Test
	@DisplayName("§3.7: without a client ENDPOINT_INFO the connection is closed with 4001 \"No ENDPOINT_INFO received.\" and the sid is released")
	void missingEndpointInfoClosesWith4001() {
		long sid = randomSid();
		long start = System.nanoTime();
		try (CryoTestClient client = connect(sid)) {
			client.expectServerEndpointInfo();
			Close close = client.awaitClose();
			long afterMillis = (System.nanoTime() - start) / 1_000_000;
			assertThat(close.code()).isEqualTo(4001);
			assertThat(close.reason()).isEqualTo("No ENDPOINT_INFO received.");
			assertThat(afterMillis).isBetween(800L, 4000L);
		}
		try (CryoTestClient again = CryoTestClient.connectReusingSid(this.port, sid)) {
			again.handshake();
		}
	}

	@Test
	@DisplayName("§3.7: a session that sent its ENDPOINT_INFO is not affected by the timeout")
	void handshakeStopsTheTimer() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			CryoTestClient.sleep(1500);
			assertThat(client.isClosed()).isFalse();
			client.assertEchoes("after the timeout");
		}
	}

}
