package dev.cryo.boot.autoconfigure.endtoend;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.SessionState;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;
import dev.cryo.test.RawCale;
import dev.cryo.test.RawCaleClient;
import dev.cryo.test.RawCaleClient.Decoded;
import dev.cryo.test.RawLegacyFrames;
import dev.cryo.test.RawLegacyFrames.Parsed;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Encrypted legacy sessions on a real server with a CALE path (legacy-v0.md §7.1–§7.4, §10.3,
 * §10.4, §10.5), driven by {@link RawCaleClient}, whose crypto comes from the document and not
 * from the server: the handshake seen on the wire and by the application, echoes of text and
 * binary data encrypted both ways with encrypted ACKs and the server's numbering after its
 * SERVER_HELLO, ten thousand pipelined round trips without a loss or a ciphertext a published
 * client would misroute, the server decrypting first whatever byte 20 of a client's message
 * looks like, a tampered tag dropped, and replays and out-of-order IVs accepted.
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.dialects.legacy.cale-paths=" + CaleClients.CALE_PATH)
@Timeout(120)
class LegacyCaleEndToEndTests {

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	// ---- handshake and echoes (§7.1, §7.3, §7.4, §10.3, §10.5)

	@Test
	void handshakeThenTextAndBinaryAreEchoedEncrypted() {
		UUID uuid = UUID.randomUUID();
		SessionId sid = SessionId.of(uuid);
		try (RawCaleClient client = CaleClients.connect(this.port, uuid)) {
			// (1) SERVER_HELLO first, in plaintext: 86 bytes, ack 0, the session's sid and a P-256 key.
			Parsed hello = client.awaitServerHello();
			assertThat(hello.sid()).isEqualTo(uuid);
			assertThat(hello.ack()).isZero();
			assertThat(hello.payload()).hasSize(RawCale.PUBLIC_KEY_LENGTH).startsWith((byte) 0x04);
			RawCale.decodePublicKey(hello.payload());
			// (2) CLIENT_HELLO with an ack other than 0, to see it copied.
			client.useKeyPair(RawCale.generateKeyPair());
			client.sendRaw(RawLegacyFrames.frame(uuid, 42, RawLegacyFrames.CLIENT_HELLO,
					RawCale.publicKey(client.keyPair())));
			// (3) HANDSHAKE_DONE in plaintext, copying it.
			Parsed done = client.awaitHandshakeDone();
			assertThat(done.ack()).isEqualTo(42);
			assertThat(done.text()).isEqualTo("null");
			// Not connected for the application before the client's HANDSHAKE_DONE (§10.3 rule 3),
			// and plaintext data sent now is dropped (rule 5).
			client.sendRaw(RawLegacyFrames.utf8(uuid, 43, "echo:too early"));
			CryoSession session = CryoClients.session(this.server, sid);
			assertThat(session.state()).isEqualTo(SessionState.HANDSHAKING);
			assertThat(session.isOpen()).isFalse();
			assertThat(this.events.events(sid, CryoSessionConnectedEvent.class)).isEmpty();
			// (4) the client's HANDSHAKE_DONE: now both sides encrypt.
			client.sendHandshakeDone(done.ack()).startEncrypting();
			this.events.await(sid, CryoSessionConnectedEvent.class);
			assertThat(session.isOpen()).isTrue();

			String text = "héllo ✓ 🚀 ünïcödé";
			client.sendFrame(RawLegacyFrames.utf8(uuid, 44, "echo:" + text));
			// The first thing after the handshake is the ACK of this frame, not of the dropped one:
			// encrypted, and exactly 49 bytes (§7.3).
			Decoded ack = client.nextDecoded(Duration.ofSeconds(5));
			assertThat(ack.authentic()).isTrue();
			assertThat(ack.message()).hasSize(49);
			assertThat(ack.frame().type()).isEqualTo(RawLegacyFrames.ACK);
			assertThat(ack.frame().ack()).isEqualTo(44);
			Parsed echo = client.next();
			assertThat(echo.type()).isEqualTo(RawLegacyFrames.UTF8DATA);
			assertThat(echo.text()).isEqualTo(text);
			assertThat(echo.payload()).hasSize(text.getBytes(StandardCharsets.UTF_8).length);
			assertThat(echo.sid()).isEqualTo(uuid);
			// SERVER_HELLO took 0: the server's first data frame is 1 (§5, §10.5).
			assertThat(echo.ack()).isEqualTo(1);
			client.sendFrame(RawLegacyFrames.ack(uuid, echo.ack()));

			int clientAck = 45;
			int serverAck = 2;
			for (int size : new int[] { 0, 1, 1000, 1024 * 1024 }) {
				byte[] payload = new byte[size];
				new Random(size).nextBytes(payload);
				client.sendFrame(RawLegacyFrames.binary(uuid, clientAck, payload));
				Parsed binaryAck = client.next(Duration.ofSeconds(10));
				assertThat(binaryAck.type()).isEqualTo(RawLegacyFrames.ACK);
				assertThat(binaryAck.ack()).isEqualTo(clientAck);
				Decoded binaryEcho = client.nextDecoded(Duration.ofSeconds(10));
				assertThat(binaryEcho.authentic()).as("the echo of %d bytes decrypts", size).isTrue();
				assertThat(binaryEcho.message()).hasSize(RawCale.OVERHEAD + RawLegacyFrames.HEADER_LENGTH + size);
				assertThat(binaryEcho.frame().type()).isEqualTo(RawLegacyFrames.BINARYDATA);
				assertThat(binaryEcho.frame().ack()).isEqualTo(serverAck);
				assertThat(binaryEcho.frame().payload()).isEqualTo(payload);
				client.sendFrame(RawLegacyFrames.ack(uuid, serverAck));
				clientAck++;
				serverAck++;
			}
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> session.pendingAcks() == 0);
			assertThat(this.events.events(sid, CryoUtf8MessageEvent.class)).extracting(CryoUtf8MessageEvent::text)
				.containsExactly("echo:" + text);
			assertThat(client.misroutableCount()).isZero();
			CaleClients.assertStrictlyIncreasing(client.serverIvCounters());
		}
	}

	// ---- many messages (§7.4, §10.4)

	@Test
	void tenThousandPipelinedRoundTripsLoseNothingAndNoneLooksLikePlaintext() {
		int total = 10_000;
		int window = 256;
		UUID uuid = UUID.randomUUID();
		SessionId sid = SessionId.of(uuid);
		try (RawCaleClient client = CaleClients.ready(this.port, uuid, this.events)) {
			// The client numbers its IVs itself, to see which of its messages look like plaintext.
			int ivCounter = client.nextSendCounter();
			int clientLookingLikePlaintext = 0;
			int sent = 0;
			int echoed = 0;
			int lastServerAck = 0;
			BitSet acked = new BitSet();
			List<String> mismatches = new ArrayList<>();
			while (echoed < total || acked.cardinality() < total) {
				while (sent < total && sent - echoed < window) {
					// Data numbered from 1: the CLIENT_HELLO took 0 (§5).
					byte[] message = client.encryptWithCounter(RawLegacyFrames.utf8(uuid, sent + 1, "echo:" + sent),
							ivCounter++);
					clientLookingLikePlaintext += RawCale.looksLikePlaintext(message) ? 1 : 0;
					client.sendRaw(message);
					sent++;
				}
				Parsed next = client.next(Duration.ofSeconds(10));
				byte[] answer = null;
				if (next.type() == RawLegacyFrames.ACK) {
					assertThat(acked.get(next.ack())).as("ACK %d twice", next.ack()).isFalse();
					acked.set(next.ack());
				}
				else if (next.type() == RawLegacyFrames.UTF8DATA) {
					if (!next.text().equals(String.valueOf(echoed))) {
						mismatches.add("#" + echoed + ": " + next.text());
					}
					assertThat(next.ack()).isGreaterThan(lastServerAck);
					lastServerAck = next.ack();
					echoed++;
					answer = RawLegacyFrames.ack(uuid, next.ack());
				}
				else if (next.isPing()) {
					answer = RawLegacyFrames.pingPong(uuid, next.ack(), false);
				}
				else {
					throw new AssertionError("Unexpected " + next);
				}
				if (answer != null) {
					byte[] message = client.encryptWithCounter(answer, ivCounter++);
					clientLookingLikePlaintext += RawCale.looksLikePlaintext(message) ? 1 : 0;
					client.sendRaw(message);
				}
			}
			assertThat(mismatches).isEmpty();
			assertThat(acked.cardinality()).isEqualTo(total);
			assertThat(acked.nextSetBit(0)).isEqualTo(1);
			assertThat(acked.length() - 1).isEqualTo(total);
			// About 3 % of the client's messages had a byte 20 of at most 7; the server decrypted
			// them first and lost none (§10.4) ...
			assertThat(clientLookingLikePlaintext).isPositive();
			assertThat(this.events.awaitCount(sid, CryoUtf8MessageEvent.class, total)).hasSize(total);
			// ... and none of its own does, so a published client would have lost nothing either.
			assertThat(client.misroutableCount()).isZero();
			List<Long> serverIvs = client.serverIvCounters();
			assertThat(serverIvs).hasSizeGreaterThanOrEqualTo(2 * total);
			CaleClients.assertStrictlyIncreasing(serverIvs);
			CryoSession session = CryoClients.session(this.server, sid);
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> session.pendingAcks() == 0);
		}
	}

	// ---- what the server accepts in encrypted mode (§7.3, §10.4)

	@Test
	void messageWithATamperedTagIsDroppedAndTheSessionGoesOn() {
		UUID uuid = UUID.randomUUID();
		SessionId sid = SessionId.of(uuid);
		try (RawCaleClient client = CaleClients.ready(this.port, uuid, this.events)) {
			// Byte 20 above 7, so that the unauthentic message cannot pass for a plaintext frame.
			byte[] tampered = null;
			for (int counter = 1000; tampered == null; counter++) {
				byte[] message = client.encryptWithCounter(RawLegacyFrames.utf8(uuid, 7, "echo:tampered"), counter);
				if (!RawCale.looksLikePlaintext(message)) {
					tampered = message;
				}
			}
			tampered[tampered.length - 1] ^= 0x01;
			client.sendRaw(tampered);
			client.sendFrame(RawLegacyFrames.utf8(uuid, 8, "echo:after"));
			// Neither an ACK nor an echo of the tampered message comes before those of the next one.
			Parsed ack = client.next();
			assertThat(ack.type()).isEqualTo(RawLegacyFrames.ACK);
			assertThat(ack.ack()).isEqualTo(8);
			assertThat(CaleClients.nextData(client).text()).isEqualTo("after");
			assertThat(this.events.awaitCount(sid, CryoUtf8MessageEvent.class, 1))
				.extracting(CryoUtf8MessageEvent::text)
				.containsExactly("echo:after");
			assertThat(this.server.session(sid)).isPresent();
		}
	}

	@Test
	void replayedMessagesAndIvCountersOutOfOrderAreAccepted() {
		UUID uuid = UUID.randomUUID();
		SessionId sid = SessionId.of(uuid);
		try (RawCaleClient client = CaleClients.ready(this.port, uuid, this.events)) {
			// IV 0, then 500 twice (a replay of the same bytes), then 400 and 3 (going back), then 1.
			client.sendFrame(RawLegacyFrames.utf8(uuid, 1, "echo:first"));
			byte[] replayed = client.encryptWithCounter(RawLegacyFrames.utf8(uuid, 2, "echo:replayed"), 500);
			client.sendRaw(replayed);
			client.sendRaw(replayed);
			client.sendRaw(client.encryptWithCounter(RawLegacyFrames.utf8(uuid, 3, "echo:older"), 400));
			client.sendRaw(client.encryptWithCounter(RawLegacyFrames.utf8(uuid, 4, "echo:oldest"), 3));
			client.sendFrame(RawLegacyFrames.utf8(uuid, 5, "echo:last"));
			List<Integer> acks = new ArrayList<>();
			List<String> echoes = new ArrayList<>();
			while (echoes.size() < 6) {
				Parsed next = client.next();
				if (next.type() == RawLegacyFrames.ACK) {
					acks.add(next.ack());
				}
				else if (next.type() == RawLegacyFrames.UTF8DATA) {
					echoes.add(next.text());
					client.sendFrame(RawLegacyFrames.ack(uuid, next.ack()));
				}
			}
			// No order or replay check (§7.3, §10.4): every message is ACKed and delivered, the replay twice.
			assertThat(acks).containsExactly(1, 2, 2, 3, 4, 5);
			assertThat(echoes).containsExactly("first", "replayed", "replayed", "older", "oldest", "last");
			assertThat(this.events.awaitCount(sid, CryoUtf8MessageEvent.class, 6))
				.extracting(CryoUtf8MessageEvent::text)
				.containsExactly("echo:first", "echo:replayed", "echo:replayed", "echo:older", "echo:oldest",
						"echo:last");
		}
	}

}
