package dev.cryo.sample;

import java.time.Duration;
import java.util.Arrays;

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
 * cryo-v1.md §3 (session start) and §3.1 (feature flags).
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DisplayName("Cryo v1 §3 — session start")
class HandshakeConformanceTests extends ConformanceSupport {

	private static final Duration QUIET = Duration.ofMillis(400);

	@Test
	@DisplayName("§3.1/§3.2: the server sends ENDPOINT_INFO(ack 0, version 1, flags 1) first, without waiting for the client")
	void serverEndpointInfoComesFirst() {
		long sid = randomSid();
		try (CryoTestClient client = connect(sid)) {
			Frame info = client.next();
			assertThat(info.type()).isEqualTo(CryoWire.ENDPOINT_INFO);
			assertThat(info.hex()).as("whole frame")
				.isEqualTo(CryoWire.hex(CryoWire.endpointInfo(sid, 0, 1, CryoWire.FEATURE_TRANSACTIONS)));
			// Nothing else is sent until the client speaks.
			client.expectSilence(QUIET);
		}
	}

	@ParameterizedTest(name = "§3.3: client ENDPOINT_INFO with ack {0} is ACKed with ack {0}")
	@ValueSource(longs = { 0, 1, 4242, 0x7FFF_FFFFL, 0xFFFF_FFFFL })
	@DisplayName("§3.3: the client's ENDPOINT_INFO is ACKed with its ack value")
	void clientEndpointInfoIsAcked(long ack) {
		long sid = randomSid();
		try (CryoTestClient client = connect(sid)) {
			Frame serverInfo = client.expectServerEndpointInfo();
			client.send(CryoWire.endpointInfo(sid, ack, 1, CryoWire.FEATURE_TRANSACTIONS));
			client.expectAck(ack);
			client.send(CryoWire.ack(sid, serverInfo.ack()));
			client.expectSilence(QUIET);
			client.assertEchoes("ready");
		}
	}

	@Test
	@DisplayName("§3.2: the client may send its ENDPOINT_INFO before reading the server's; both orders work")
	void clientSendsImmediately() {
		long sid = randomSid();
		try (CryoTestClient client = connect(sid)) {
			client.send(CryoWire.endpointInfo(sid, 0, 1, CryoWire.FEATURE_TRANSACTIONS));
			client.expectServerEndpointInfo();
			client.expectAck(0);
		}
	}

	@Test
	@DisplayName("§3.4: readiness does not depend on the client ACKing the server's ENDPOINT_INFO")
	void readyWithoutAckOfServerInfo() {
		long sid = randomSid();
		try (CryoTestClient client = connect(sid)) {
			client.expectServerEndpointInfo();
			long ack = client.nextAck();
			client.send(CryoWire.endpointInfo(sid, ack, 1, CryoWire.FEATURE_TRANSACTIONS));
			client.expectAck(ack);
			client.assertEchoes("no ACK(0) sent");
		}
	}

	@ParameterizedTest(name = "§3.3: version {0} → close 4001 \"Protocol mismatch. Client offered {0}, we support 1 !\"")
	@ValueSource(longs = { 0, 2, 0xFFFF_FFFFL })
	@DisplayName("§3.3: version mismatch closes with 4001 and the exact reason, without ACK, BYE or ERROR")
	void versionMismatch(long version) {
		long sid = randomSid();
		try (CryoTestClient client = connect(sid)) {
			client.expectServerEndpointInfo();
			client.send(CryoWire.endpointInfo(sid, 0, version, CryoWire.FEATURE_TRANSACTIONS));
			Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(4001);
			assertThat(close.reason()).isEqualTo("Protocol mismatch. Client offered " + version + ", we support 1 !");
			assertThat(client.received()).as("only the server's ENDPOINT_INFO, no ACK/BYE/ERROR")
				.extracting(Frame::type)
				.containsExactly(CryoWire.ENDPOINT_INFO);
		}
		// The session ended, so its sid is released (§2.3 step 7).
		try (CryoTestClient again = CryoTestClient.connectReusingSid(this.port, sid)) {
			again.handshake();
		}
	}

	@Test
	@DisplayName("§3.6: a repeated ENDPOINT_INFO is ACKed only (even with another version or flags)")
	void repeatedEndpointInfoIsAckedOnly() {
		long sid = randomSid();
		try (CryoTestClient client = connectReady(sid)) {
			long again = client.nextAck();
			client.send(CryoWire.endpointInfo(sid, again, 1, CryoWire.FEATURE_TRANSACTIONS));
			client.expectAck(again);
			long otherVersion = client.nextAck();
			client.send(CryoWire.endpointInfo(sid, otherVersion, 2, 0));
			client.expectAck(otherVersion);
			client.expectSilence(QUIET);
			assertThat(client.isClosed()).isFalse();
			// The stored flags are still those of the first ENDPOINT_INFO: transactions stay allowed.
			long flow = client.nextAck();
			client.send(CryoWire.txFlow(sid, flow, 0));
			client.expectAck(flow);
			client.assertEchoes("still ready");
		}
	}

	@Test
	@DisplayName("§4.5: an ENDPOINT_INFO with extra trailing bytes is accepted (fixed-size frames may be longer)")
	void endpointInfoWithTrailingBytes() {
		long sid = randomSid();
		try (CryoTestClient client = connect(sid)) {
			client.expectServerEndpointInfo();
			byte[] info = CryoWire.endpointInfo(sid, 0, 1, 1);
			byte[] longer = Arrays.copyOf(info, info.length + 5);
			client.send(longer);
			client.expectAck(0);
			client.assertEchoes("lenient");
		}
	}

	@Test
	@DisplayName("§3.5/§5: a transaction frame sent right behind the ENDPOINT_INFO is accepted (in-order processing)")
	void transactionFrameRightBehindEndpointInfo() {
		long sid = randomSid();
		try (CryoTestClient client = connect(sid)) {
			client.send(CryoWire.endpointInfo(sid, 0, 1, CryoWire.FEATURE_TRANSACTIONS));
			client.send(CryoWire.txFlow(sid, 1, 0));
			client.expectServerEndpointInfo();
			client.expectAck(0);
			client.expectAck(1);
		}
	}

	@Test
	@DisplayName("§3 rules 5, 9(a): a transaction frame from a peer that has not sent ENDPOINT_INFO makes the session "
			+ "ready first and is ACKed; a later ENDPOINT_INFO is ACKed and changes nothing")
	void transactionFrameWithoutEndpointInfoOpensTheSession() {
		long sid = randomSid();
		try (CryoTestClient client = connect(sid)) {
			client.expectServerEndpointInfo();
			client.send(CryoWire.txFlow(sid, 77, 0));
			client.expectAck(77);
			client.expectSilence(QUIET);
			client.send(CryoWire.endpointInfo(sid, 78, 1, CryoWire.FEATURE_TRANSACTIONS));
			client.expectAck(78);
			client.expectSilence(QUIET);
			assertThat(client.isClosed()).isFalse();
			client.assertEchoes("opened by its first transaction frame");
		}
	}

	@Test
	@DisplayName("§3.5: base frames (PING_PONG, ERROR, ACK) before the session is ready are processed normally")
	void baseFramesBeforeReady() {
		long sid = randomSid();
		try (CryoTestClient client = connect(sid)) {
			client.expectServerEndpointInfo();
			client.send(CryoWire.ping(sid, 5));
			Frame pong = client.next();
			assertThat(pong.isPong()).as("%s", pong).isTrue();
			// (The pong's ack value is covered by AcknowledgementConformanceTests.)
			client.send(CryoWire.error(sid, 6, "before ready"));
			client.expectAck(6);
			client.send(CryoWire.ack(sid, 0));
			client.expectSilence(QUIET);
		}
	}

	@Test
	@DisplayName("§3.1: a transaction frame from a peer without FEATURE_TRANSACTIONS closes with 4001 and the feature-mismatch reason")
	void transactionFrameWithoutFeatureFlag() {
		long sid = randomSid();
		try (CryoTestClient client = connect(sid)) {
			client.expectServerEndpointInfo();
			client.send(CryoWire.endpointInfo(sid, 0, 1, 0));
			client.expectAck(0);
			client.send(CryoWire.txFlow(sid, 1, 0));
			Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(4001);
			assertThat(close.reason()).isEqualTo(
					"PROTOCOL FEATURE MISMATCH - The connected client does not support features in the namespace 'Cryo.Transaction' !");
			assertThat(client.received()).noneMatch((f) -> f.isAck(1));
		}
	}

	@Test
	@DisplayName("§3.1: reserved flag bits 1–63 are ignored by the receiver")
	void reservedFlagBitsAreIgnored() {
		long sid = randomSid();
		try (CryoTestClient client = connect(sid)) {
			client.expectServerEndpointInfo();
			client.send(CryoWire.endpointInfo(sid, 0, 1, -1L));
			client.expectAck(0);
			client.send(CryoWire.txFlow(sid, 1, 1));
			client.expectAck(1);
			client.expectSilence(QUIET);
		}
	}

}
