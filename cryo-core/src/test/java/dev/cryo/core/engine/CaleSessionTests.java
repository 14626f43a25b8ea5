package dev.cryo.core.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.UpgradeRequest;
import dev.cryo.core.dialect.legacy.LegacyCodec;
import dev.cryo.core.dialect.legacy.LegacyDialect;
import dev.cryo.core.dialect.legacy.LegacyHandshake;
import dev.cryo.core.dialect.legacy.LegacyHandshakeFrame;
import dev.cryo.core.dialect.legacy.cale.CaleCipher;
import dev.cryo.core.dialect.legacy.cale.CaleKeyPair;
import dev.cryo.core.dialect.legacy.cale.CaleKeys;
import dev.cryo.core.dialect.legacy.cale.CalePublicKey;
import dev.cryo.core.engine.TestTransport.CloseCall;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.Utf8DataFrame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A legacy session with CALE on the shared engine (legacy-v0.md §7, §10.3, §10.4): SERVER_HELLO
 * as the first write, the handshake and its failures (4011), nothing sent or delivered before
 * encrypted mode, the handshake deadline, decrypt-first receiving, and ciphertexts that no client
 * can take for plaintext. The client side is the core's own CALE primitives, checked against the
 * document's vectors in {@code CaleVectorsTests}; the end-to-end tests use an independent client.
 */
class CaleSessionTests {

	private static final SessionId SID = SessionId.of(UUID.fromString("123e4567-e89b-42d3-a456-426614174000"));

	private static final CryoDialect CALE = LegacyDialect.withCalePaths(List.of("/cale"), Duration.ofSeconds(60))
		.variantFor(new UpgradeRequest("/cale", List.of(), Map.of()));

	private final SessionFixture fixture = new SessionFixture().dialect(CALE).sid(SID);

	private final CaleKeyPair clientKeys = CaleKeyPair.generate();

	private CaleCipher client;

	/** The SERVER_HELLO the session wrote first, once it was written. */
	private byte @Nullable [] serverHello;

	@AfterEach
	void stopTimers() {
		this.fixture.close();
	}

	private ProtocolSession start() {
		this.fixture.transport.recordBytesOnly();
		ProtocolSession session = this.fixture.start();
		List<byte[]> sent = this.fixture.transport.messages();
		this.serverHello = sent.isEmpty() ? null : sent.get(0);
		return session;
	}

	/** Starts the session and runs the whole handshake as a published client does. */
	private ProtocolSession encrypted() throws Exception {
		ProtocolSession session = start();
		clientHello(11);
		this.fixture.receive(LegacyCodec.encodeHandshakeDone(SID, 11).array());
		this.fixture.transport.clear();
		this.fixture.log.clear();
		return session;
	}

	/** Sends the client's CLIENT_HELLO with the given ack and derives the client's keys. */
	private void clientHello(int ack) throws Exception {
		byte[] serverHello = (this.serverHello != null) ? this.serverHello : this.fixture.transport.messages().get(0);
		LegacyHandshakeFrame hello = LegacyCodec.decodeHandshake(ByteBuffer.wrap(serverHello));
		this.client = CaleCipher
			.forClient(CaleKeys.agree(this.clientKeys, CalePublicKey.decode(hello.payloadBytes())));
		this.fixture.receive(LegacyCodec
			.encodeHandshake(LegacyHandshake.CLIENT_HELLO, SID, ack, this.clientKeys.publicKey().encoded())
			.array());
	}

	private byte[] plain(Frame frame) {
		ByteBuffer encoded = LegacyCodec.INSTANCE.encode(frame, Frame.headerNumber(frame));
		byte[] bytes = new byte[encoded.remaining()];
		encoded.get(bytes);
		return bytes;
	}

	private void receiveEncrypted(Frame frame) throws Exception {
		this.fixture.receive(this.client.encrypt(plain(frame)));
	}

	/** Decrypts one message the server sent, failing the test if it is not authentic. */
	private Frame decrypt(byte[] message) throws Exception {
		byte[] plain = this.client.decrypt(message);
		if (plain == null) {
			throw new AssertionError("not an authentic message: " + message.length + " bytes");
		}
		return LegacyCodec.INSTANCE.decode(ByteBuffer.wrap(plain));
	}

	private List<Frame> decryptedSent() throws Exception {
		List<Frame> frames = new java.util.ArrayList<>();
		for (byte[] message : this.fixture.transport.messages()) {
			frames.add(decrypt(message));
		}
		return frames;
	}

	// ---- handshake (§7.1, §10.3)

	@Test
	void serverHelloIsTheFirstMessageWithAckZeroAndAFreshKey() throws Exception {
		ProtocolSession session = start();
		List<byte[]> sent = this.fixture.transport.messages();
		assertThat(sent).hasSize(1);
		LegacyHandshakeFrame hello = LegacyCodec.decodeHandshake(ByteBuffer.wrap(sent.get(0)));
		assertThat(sent.get(0)).hasSize(86);
		assertThat(hello.type()).isEqualTo(LegacyHandshake.SERVER_HELLO);
		assertThat(hello.ack()).isZero();
		assertThat(hello.sid()).isEqualTo(SID);
		assertThat(CalePublicKey.decode(hello.payloadBytes()).encoded()).hasSize(65);
		assertThat(session.state()).isEqualTo(SessionState.HANDSHAKING);
		assertThat(this.fixture.log.events()).doesNotContain("onReady");
	}

	@Test
	void serverHelloWaitsForTheFirstFrameDelayAsAWriteOfItsOwn() throws Exception {
		this.fixture.manualClock().options(SessionFixture.QUIET.withFirstFrameDelay(Duration.ofMillis(20)));
		start();
		assertThat(this.fixture.transport.messages()).isEmpty();
		this.fixture.clock.advance(Duration.ofMillis(20));
		assertThat(this.fixture.transport.messages()).singleElement()
			.satisfies((hello) -> assertThat(LegacyCodec.handshakeType(ByteBuffer.wrap(hello)))
				.isEqualTo(LegacyHandshake.SERVER_HELLO));
	}

	@Test
	void eachSessionDrawsItsOwnKey() throws Exception {
		start();
		byte[] first = this.fixture.transport.messages().get(0);
		SessionFixture other = new SessionFixture().dialect(CALE).sid(SID);
		other.transport.recordBytesOnly();
		other.start();
		byte[] second = other.transport.messages().get(0);
		other.close();
		assertThat(ByteBuffer.wrap(first, 21, 65)).isNotEqualTo(ByteBuffer.wrap(second, 21, 65));
	}

	@Test
	void clientHelloIsAnsweredWithAPlaintextHandshakeDoneCopyingItsAck() throws Exception {
		ProtocolSession session = start();
		this.fixture.transport.clear();
		clientHello(0x7fff_0001);
		byte[] done = this.fixture.transport.messages().get(0);
		assertThat(done).hasSize(25);
		LegacyHandshakeFrame frame = LegacyCodec.decodeHandshake(ByteBuffer.wrap(done));
		assertThat(frame.type()).isEqualTo(LegacyHandshake.HANDSHAKE_DONE);
		assertThat(frame.ack()).isEqualTo(0x7fff_0001);
		assertThat(new String(frame.payloadBytes(), StandardCharsets.US_ASCII)).isEqualTo("null");
		assertThat(session.state()).isEqualTo(SessionState.HANDSHAKING);
	}

	@Test
	void clientsHandshakeDoneOpensTheSession() throws Exception {
		ProtocolSession session = start();
		clientHello(0);
		this.fixture.receive(LegacyCodec.encodeHandshakeDone(SID, 0).array());
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
		assertThat(this.fixture.log.events()).containsOnlyOnce("onReady");
		assertThat(this.fixture.transport.closes()).isEmpty();
	}

	@Test
	void nothingIsSentOrDeliveredBeforeEncryptedMode() throws Exception {
		ProtocolSession session = start();
		this.fixture.transport.clear();
		// A client with CALE off talks before it reads SERVER_HELLO (§10.2): dropped, not ACKed.
		this.fixture.receive(plain(Utf8DataFrame.of(SID, 0, "too early")));
		session.heartbeatTick();
		session.heartbeatTick();
		CompletableFuture<Void> send = session.sendUtf8("not yet");
		clientHello(1);
		this.fixture.receive(plain(new BinaryDataFrame(SID, 2, ByteBuffer.wrap(new byte[] { 1 }))));
		assertThat(send).isCompletedExceptionally();
		assertThat(this.fixture.transport.messages()).singleElement()
			.satisfies((done) -> assertThat(LegacyCodec.handshakeType(ByteBuffer.wrap(done)))
				.isEqualTo(LegacyHandshake.HANDSHAKE_DONE));
		assertThat(this.fixture.log.events()).noneMatch((event) -> event.startsWith("on"));
		assertThat(session.state()).isEqualTo(SessionState.HANDSHAKING);
	}

	@ParameterizedTest
	@ValueSource(strings = { "short", "long", "compressed", "offCurve", "zeroes" })
	void clientHelloWithoutAValidKeyEndsTheSessionWith4011(String defect) throws Exception {
		ProtocolSession session = start();
		byte[] key = this.clientKeys.publicKey().encoded();
		byte[] payload = switch (defect) {
			case "short" -> java.util.Arrays.copyOf(key, 64);
			case "long" -> java.util.Arrays.copyOf(key, 66);
			case "compressed" -> withFirst(key, (byte) 0x02);
			case "offCurve" -> withLast(key);
			default -> withFirst(new byte[65], (byte) 0x04);
		};
		byte[] hello = new byte[21 + payload.length];
		System.arraycopy(LegacyCodec.encodeHandshake(LegacyHandshake.CLIENT_HELLO, SID, 0, key).array(), 0, hello, 0, 21);
		System.arraycopy(payload, 0, hello, 21, payload.length);
		this.fixture.receive(hello);
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4011, "Error during CALE handshake."));
		assertThat(session.state()).isNotEqualTo(SessionState.OPEN);
		assertThat(this.fixture.transport.messages()).hasSize(1);
	}

	private static byte[] withFirst(byte[] key, byte first) {
		byte[] copy = key.clone();
		copy[0] = first;
		return copy;
	}

	private static byte[] withLast(byte[] key) {
		byte[] copy = key.clone();
		copy[64] ^= 1;
		return copy;
	}

	@ParameterizedTest
	@ValueSource(strings = { "doneFirst", "serverHello", "secondHello", "encryptedHello", "plainDoneAfter" })
	void handshakeFrameInTheWrongStateEndsTheSessionWith4011(String order) throws Exception {
		start();
		byte[] key = this.clientKeys.publicKey().encoded();
		byte[] clientHello = LegacyCodec.encodeHandshake(LegacyHandshake.CLIENT_HELLO, SID, 0, key).array();
		switch (order) {
			case "doneFirst" -> this.fixture.receive(LegacyCodec.encodeHandshakeDone(SID, 0).array());
			case "serverHello" -> this.fixture
				.receive(LegacyCodec.encodeHandshake(LegacyHandshake.SERVER_HELLO, SID, 0, key).array());
			case "secondHello" -> {
				clientHello(0);
				this.fixture.receive(clientHello);
			}
			case "encryptedHello" -> {
				clientHello(0);
				this.fixture.receive(LegacyCodec.encodeHandshakeDone(SID, 0).array());
				this.fixture.receive(this.client.encrypt(clientHello));
			}
			default -> {
				clientHello(0);
				this.fixture.receive(LegacyCodec.encodeHandshakeDone(SID, 0).array());
				this.fixture.receive(LegacyCodec.encodeHandshakeDone(SID, 0).array());
			}
		}
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4011, "Error during CALE handshake."));
	}

	@Test
	void handshakeNotCompletedWithinTheOpeningDeadlineEndsWith4011() throws Exception {
		this.fixture.manualClock().options(SessionFixture.options(Duration.ofSeconds(30), Duration.ofSeconds(10), 16));
		ProtocolSession session = start();
		clientHello(0);
		this.fixture.clock.advance(Duration.ofMillis(9_999));
		assertThat(this.fixture.transport.closes()).isEmpty();
		this.fixture.clock.advance(Duration.ofMillis(1));
		assertThat(this.fixture.transport.closes()).containsExactly(new CloseCall(4011, "Error during CALE handshake."));
		session.transportClosed(4011, "Error during CALE handshake.");
		assertThat(this.fixture.handler.closes()).singleElement()
			.satisfies((close) -> assertThat(close.code()).isEqualTo(4011));
	}

	// ---- encrypted mode (§7.3, §7.4, §10.4, §10.5)

	@Test
	void encryptedDataIsAckedEncryptedAndDelivered() throws Exception {
		encrypted();
		receiveEncrypted(Utf8DataFrame.of(SID, 0, "héllo"));
		assertThat(this.fixture.log.events()).containsExactly("send 49 bytes", "onUtf8 héllo");
		assertThat(decryptedSent()).containsExactly(new AckFrame(SID, 0));
	}

	@Test
	void serverFramesAreEncryptedNumberedAfterServerHelloAndNeverLookLikePlaintext() throws Exception {
		ProtocolSession session = encrypted();
		for (int i = 0; i < 600; i++) {
			session.sendUtf8("message " + i);
		}
		session.heartbeatTick();
		List<byte[]> sent = this.fixture.transport.messages();
		assertThat(sent).hasSize(601);
		long previousIv = -1;
		for (byte[] message : sent) {
			// No published client can take one of ours for a plaintext frame (§7.4, §10.4).
			assertThat(message[20] & 0xFF).isGreaterThan(7);
			long iv = ByteBuffer.wrap(message, 8, 4).getInt() & 0xFFFF_FFFFL;
			assertThat(ByteBuffer.wrap(message, 0, 8).getLong()).isZero();
			assertThat(iv).isGreaterThan(previousIv);
			previousIv = iv;
		}
		List<Frame> frames = decryptedSent();
		// SERVER_HELLO took number 0 (§10.5).
		assertThat(frames.get(0)).isEqualTo(Utf8DataFrame.of(SID, 1, "message 0"));
		assertThat(frames.get(600)).isEqualTo(PingPongFrame.ping(SID, 601));
	}

	@Test
	void messagesAreDecryptedFirstWhateverTheirByte20() throws Exception {
		encrypted();
		int lowByte20 = 0;
		for (int i = 0; i < 400; i++) {
			byte[] message = this.client.encrypt(plain(Utf8DataFrame.of(SID, i, "m" + i)));
			if ((message[20] & 0xFF) <= 7) {
				lowByte20++;
			}
			this.fixture.receive(message);
		}
		// Like the published clients, the test client sends ~3 % of messages with byte 20 <= 7.
		assertThat(lowByte20).isPositive();
		assertThat(this.fixture.log.events().stream().filter((event) -> event.startsWith("onUtf8"))).hasSize(400);
		assertThat(this.fixture.transport.closes()).isEmpty();
	}

	@Test
	void tamperedMessageIsDroppedWithoutAnAnswer() throws Exception {
		ProtocolSession session = encrypted();
		byte[] message;
		do {
			message = this.client.encrypt(plain(Utf8DataFrame.of(SID, 0, "tampered")));
		}
		while ((message[20] & 0xFF) <= 7);
		message[message.length - 1] ^= 0x01;
		this.fixture.receive(message);
		assertThat(this.fixture.log.events()).isEmpty();
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
	}

	@Test
	void replayedAndReorderedMessagesAreAcceptedAsTheDocumentSays() throws Exception {
		encrypted();
		byte[] later = this.client.encryptWithCounter(plain(Utf8DataFrame.of(SID, 1, "second")), 9);
		byte[] earlier = this.client.encryptWithCounter(plain(Utf8DataFrame.of(SID, 0, "first")), 8);
		this.fixture.receive(later);
		this.fixture.receive(earlier);
		this.fixture.receive(earlier);
		// No order or replay check (§7.3, §10.4): the browser client sends IVs out of order.
		assertThat(this.fixture.log.events()).containsSubsequence("onUtf8 second", "onUtf8 first", "onUtf8 first");
	}

	@Test
	void plaintextFrameAfterTheHandshakeIsAcceptedAndAnsweredEncrypted() throws Exception {
		encrypted();
		this.fixture.receive(plain(Utf8DataFrame.of(SID, 4, "plain")));
		assertThat(this.fixture.log.events()).contains("onUtf8 plain");
		assertThat(decryptedSent()).containsExactly(new AckFrame(SID, 4));
	}

	@Test
	void pingIsAnsweredWithAnEncryptedPong() throws Exception {
		encrypted();
		receiveEncrypted(PingPongFrame.ping(SID, 77));
		assertThat(this.fixture.transport.messages()).singleElement()
			.satisfies((pong) -> assertThat(pong).hasSize(53));
		assertThat(decryptedSent()).containsExactly(PingPongFrame.pong(SID, 77));
	}

	@Test
	void garbageIsDroppedAndTheSessionStaysOpen() throws Exception {
		ProtocolSession session = encrypted();
		byte[] garbage = new byte[64];
		garbage[20] = (byte) 0xF0;
		this.fixture.receive(garbage);
		this.fixture.receive(new byte[3]);
		assertThat(this.fixture.log.events()).isEmpty();
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
	}

}
