package dev.cryo.sample;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import dev.cryo.sample.LegacyWire.Frame;
import dev.cryo.test.RawCale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A legacy client with CALE (legacy-v0.md §7) as cryo-client-node 1.0.3 with {@code use_cale}
 * on behaves, for the sample tests: frames from {@link LegacyWire}, cryptography from
 * {@link RawCale} (JDK only, independent of the server's code). It keeps every server message as
 * raw bytes, does the §7.1 handshake on request, and then encrypts what it sends with consecutive
 * IV counters from 0 — without avoiding ciphertexts whose byte 20 is ≤ 7, like the published
 * clients — and decrypts what it reads.
 * <p>
 * Every server message read in encrypted mode is checked against §10.4: byte 20 above 7, an IV
 * counter above the previous one, and every counter the server skipped explained by the byte-20
 * rule (the same frame encrypted with the skipped counter has a byte 20 ≤ 7). Server pings are
 * answered with an encrypted pong when they are read; pongs are handed to the caller.
 */
final class LegacyCaleClient implements WebSocket.Listener, AutoCloseable {

	static final byte[] NULL_PAYLOAD = "null".getBytes(StandardCharsets.US_ASCII);

	static final String CLIENT_FINISHED = "Client finished.";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(CryoTestClient.TIMEOUT).build();

	final UUID sid;

	private final AtomicLong ackCounter = new AtomicLong();

	private final LinkedBlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();

	private final List<String> violations = Collections.synchronizedList(new ArrayList<>());

	private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

	final CompletableFuture<CryoTestClient.Close> closed = new CompletableFuture<>();

	private volatile WebSocket webSocket;

	private RawCale.Keys keys;

	private int clientIvCounter;

	private long lastServerIvCounter = -1;

	/** Encrypted messages read from the server. */
	int serverMessages;

	/** IV counters the server skipped (§10.4 re-encryptions). */
	int skippedServerCounters;

	/** Encrypted messages we sent whose byte 20 a byte-20 router would take for plaintext (§7.4). */
	int misroutableClientMessages;

	private LegacyCaleClient(UUID sid) {
		this.sid = sid;
	}

	/** Connects to {@code path} with the dev token and a fresh version-4 UUID sid. */
	static LegacyCaleClient connect(int port, String path) {
		return connect(port, path, UUID.randomUUID());
	}

	static LegacyCaleClient connect(int port, String path, UUID sid) {
		LegacyCaleClient client = new LegacyCaleClient(sid);
		URI uri = URI.create("ws://127.0.0.1:" + port + path + "?authorization=Bearer+" + CryoTestClient.DEV_TOKEN
				+ "&x-cryo-sid=" + sid);
		try {
			client.webSocket = HTTP.newWebSocketBuilder()
				.connectTimeout(CryoTestClient.TIMEOUT)
				.buildAsync(uri, client)
				.get(CryoTestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			return client;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof WebSocketHandshakeException handshake) {
				throw new AssertionError("upgrade refused with HTTP " + handshake.getResponse().statusCode(), ex);
			}
			throw new AssertionError("could not connect to " + uri, ex);
		}
		catch (InterruptedException | TimeoutException ex) {
			throw new AssertionError("could not connect to " + uri, ex);
		}
	}

	long nextAck() {
		return this.ackCounter.getAndIncrement() & CryoWire.U32_MAX;
	}

	// ------------------------------------------------------------------ plaintext

	synchronized void send(byte[] message) {
		try {
			this.webSocket.sendBinary(ByteBuffer.wrap(message), true).get(10, TimeUnit.SECONDS);
		}
		catch (ExecutionException | InterruptedException | TimeoutException ex) {
			throw new AssertionError("send failed", ex);
		}
	}

	/** The next server message as it came, or a failure after {@link CryoTestClient#TIMEOUT}. */
	byte[] nextRaw() {
		byte[] message = poll(CryoTestClient.TIMEOUT);
		if (message == null) {
			fail("no message from the server within " + CryoTestClient.TIMEOUT.toMillis() + " ms (close: "
					+ this.closed.getNow(null) + ")");
		}
		return message;
	}

	/** The next server message, which must be a plaintext legacy frame of this session. */
	Frame nextPlain() {
		byte[] message = nextRaw();
		assertThat(message.length).as("length of a plaintext frame").isGreaterThanOrEqualTo(LegacyWire.HEADER);
		assertThat(message[20] & 0xFF).as("type byte of a plaintext frame: %s", CryoWire.hex(message))
			.isLessThanOrEqualTo(LegacyWire.HANDSHAKE_DONE);
		Frame frame = new Frame(message);
		assertThat(frame.sid()).as("sid of %s", frame).isEqualTo(this.sid);
		return frame;
	}

	/**
	 * §7.1 (1): the first server message is SERVER_HELLO, plaintext, ack 0, 86 bytes, a valid
	 * uncompressed P-256 key.
	 */
	Frame expectServerHello() {
		Frame hello = nextPlain();
		assertThat(hello.type()).as("type of the first server message %s", hello).isEqualTo(LegacyWire.SERVER_HELLO);
		assertThat(hello.bytes()).as("SERVER_HELLO length").hasSize(86);
		assertThat(hello.ack()).as("SERVER_HELLO takes the server's first number").isZero();
		assertThat(hello.payload()[0]).as("uncompressed point prefix").isEqualTo((byte) 0x04);
		RawCale.decodePublicKey(hello.payload());
		return hello;
	}

	/**
	 * The client's side of §7.1: SERVER_HELLO → CLIENT_HELLO (ack 0) → the server's
	 * HANDSHAKE_DONE (ack copied, payload {@code null}) → our HANDSHAKE_DONE; encrypted from then
	 * on.
	 */
	void handshake() {
		Frame hello = expectServerHello();
		KeyPair keyPair = RawCale.generateKeyPair();
		this.keys = RawCale.keys(keyPair.getPrivate(), hello.payload());
		long helloAck = nextAck();
		assertThat(helloAck).as("CLIENT_HELLO takes the client's first number").isZero();
		byte[] clientHello = LegacyWire.frame(this.sid, helloAck, LegacyWire.CLIENT_HELLO, RawCale.publicKey(keyPair));
		assertThat(clientHello).hasSize(86);
		send(clientHello);
		Frame done = nextPlain();
		assertThat(done.type()).as("the server's answer to CLIENT_HELLO: %s", done).isEqualTo(LegacyWire.HANDSHAKE_DONE);
		assertThat(done.ack()).as("HANDSHAKE_DONE copies the CLIENT_HELLO's ack").isEqualTo(helloAck);
		assertThat(done.payload()).as("HANDSHAKE_DONE payload").isEqualTo(NULL_PAYLOAD);
		send(LegacyWire.frame(this.sid, done.ack(), LegacyWire.HANDSHAKE_DONE, NULL_PAYLOAD));
	}

	// ------------------------------------------------------------------ encrypted

	/** Encrypts a complete frame with the next client IV counter and sends it. */
	void sendEncrypted(byte[] frame) {
		assertThat(this.keys).as("keys (handshake done)").isNotNull();
		byte[] message = RawCale.encrypt(this.keys.clientToServer(), this.clientIvCounter++, frame);
		if (RawCale.looksLikePlaintext(message)) {
			this.misroutableClientMessages++;
		}
		send(message);
	}

	/**
	 * The next server frame of the encrypted session, checked against §10.4 (see the class
	 * comment). Pings are answered and skipped.
	 */
	Frame nextDecrypted() {
		while (true) {
			byte[] message = nextRaw();
			this.serverMessages++;
			assertThat(message.length).as("an encrypted message has at least 49 bytes").isGreaterThanOrEqualTo(49);
			assertThat(message[20] & 0xFF)
				.as("§10.4: byte 20 of the server's encrypted message %d (IV counter %d)", this.serverMessages,
						RawCale.ivCounter(message))
				.isGreaterThan(LegacyWire.HANDSHAKE_DONE);
			byte[] plain = RawCale.decrypt(this.keys.serverToClient(), message);
			assertThat(plain).as("the server's message authenticates with the server → client key: %s",
					(message.length <= 64) ? CryoWire.hex(message) : message.length + " bytes").isNotNull();
			long counter = RawCale.ivCounter(message);
			assertThat(counter).as("§7.3, §10.4: the server's IV counter only moves forward")
				.isGreaterThan(this.lastServerIvCounter);
			for (long skipped = this.lastServerIvCounter + 1; skipped < counter; skipped++) {
				byte[] discarded = RawCale.encrypt(this.keys.serverToClient(), (int) skipped, plain);
				assertThat(discarded[20] & 0xFF)
					.as("§10.4: the server skipped IV counter %d, so that encryption had byte 20 ≤ 7", skipped)
					.isLessThanOrEqualTo(LegacyWire.HANDSHAKE_DONE);
				this.skippedServerCounters++;
			}
			this.lastServerIvCounter = counter;
			Frame frame = new Frame(plain);
			assertThat(frame.sid()).as("sid inside %s", frame).isEqualTo(this.sid);
			assertThat(frame.type()).as("type inside %s", frame).isLessThanOrEqualTo(LegacyWire.BINARYDATA);
			if (frame.is(LegacyWire.PING_PONG)) {
				assertThat(frame.bytes()).as("PING_PONG length").hasSize(25);
				assertThat(frame.text()).isIn("ping", "pong");
			}
			if (frame.is(LegacyWire.PING_PONG) && frame.text().equals("ping")) {
				sendEncrypted(LegacyWire.pong(this.sid, frame.ack()));
				continue;
			}
			return frame;
		}
	}

	/**
	 * Sends a data frame encrypted, expects the server's encrypted ACK with the frame's own number
	 * (21 bytes inside) and the sample's encrypted echo of the same type and payload, ACKs the
	 * echo (encrypted) and returns it.
	 */
	Frame echo(int type, byte[] payload) {
		long ack = nextAck();
		sendEncrypted(LegacyWire.frame(this.sid, ack, type, payload));
		Frame first = nextDecrypted();
		Frame second = nextDecrypted();
		Frame acked = first.is(LegacyWire.ACK) ? first : second;
		Frame echo = first.is(LegacyWire.ACK) ? second : first;
		assertThat(acked.isAck(ack)).as("ACK(%d) of our frame: %s", ack, acked).isTrue();
		assertThat(acked.bytes()).as("ACK length").hasSize(LegacyWire.HEADER);
		assertThat(echo.type()).as("type of the echo %s", echo).isEqualTo(type);
		assertThat(echo.payload()).as("payload of the echo").isEqualTo(payload);
		assertThat(echo.bytes()).as("frame length of the echo").hasSize(LegacyWire.HEADER + payload.length);
		sendEncrypted(LegacyWire.ack(this.sid, echo.ack()));
		return echo;
	}

	// ------------------------------------------------------------------ common

	byte[] poll(Duration timeout) {
		try {
			return this.inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	void expectSilence(Duration duration) {
		byte[] message = poll(duration);
		assertThat(message).as("unexpected message from the server: %s",
				(message != null) ? CryoWire.hex(message) : null).isNull();
	}

	void sendClose(int code, String reason) {
		try {
			this.webSocket.sendClose(code, reason).get(5, TimeUnit.SECONDS);
		}
		catch (ExecutionException | InterruptedException | TimeoutException ex) {
			throw new AssertionError("close failed", ex);
		}
	}

	CryoTestClient.Close awaitClose() {
		try {
			return this.closed.get(CryoTestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | InterruptedException | TimeoutException ex) {
			throw new AssertionError("the server did not close the WebSocket", ex);
		}
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		webSocket.request(1);
	}

	@Override
	public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		byte[] chunk = new byte[data.remaining()];
		data.get(chunk);
		this.partial.writeBytes(chunk);
		if (last) {
			this.inbox.add(this.partial.toByteArray());
			this.partial.reset();
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.violations.add("the server sent a text message: " + data);
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closed.complete(new CryoTestClient.Close(statusCode, reason));
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closed.completeExceptionally(error);
	}

	@Override
	public void close() {
		if (!this.closed.isDone()) {
			try {
				this.webSocket.sendClose(4000, CLIENT_FINISHED).get(2, TimeUnit.SECONDS);
				this.closed.get(2, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				// already gone
			}
		}
		this.webSocket.abort();
		synchronized (this.violations) {
			assertThat(this.violations).as("legacy-v0.md violations by the server").isEmpty();
		}
	}

}
