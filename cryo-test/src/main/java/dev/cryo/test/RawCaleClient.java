package dev.cryo.test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.cryo.test.RawCale.Keys;
import dev.cryo.test.RawCryoClient.Close;
import dev.cryo.test.RawLegacyFrames.Parsed;

/**
 * A legacy-generation client with CALE for tests, built from legacy-v0.md §7 and {@link RawCale}
 * rather than from the server's code. It connects as {@link RawLegacyClient} does, keeps every
 * received binary message as raw bytes, performs the client side of the CALE handshake (§7.1) as a
 * whole or step by step, and in encrypted mode encrypts what it sends and decrypts what it reads.
 * <p>
 * Like the published clients it encrypts with consecutive IV counters from 0 and does not avoid
 * ciphertexts whose byte 20 is at most 7. It records, for every received message that
 * authenticates with the server → client key, its IV counter and whether its byte 20 would have
 * made a published client route it as plaintext (§7.4), so that tests can check that the server
 * never sends such a message (§10.4). It answers nothing by itself.
 */
public final class RawCaleClient implements AutoCloseable {

	private static final byte[] NULL_PAYLOAD = "null".getBytes(StandardCharsets.US_ASCII);

	private final LegacySocket socket;

	private final Accounting accounting;

	private @Nullable KeyPair keyPair;

	private byte @Nullable [] serverPublicKey;

	private @Nullable Keys keys;

	private boolean encrypting;

	private int sendCounter;

	private final UUID sid;

	private RawCaleClient(LegacySocket socket, Accounting accounting) {
		this.socket = socket;
		this.sid = socket.sid();
		this.accounting = accounting;
	}

	/**
	 * Connects to {@code ws://localhost:port/path?authorization=Bearer+token&x-cryo-sid=sid}.
	 * @param port the server's port
	 * @param path the endpoint's path
	 * @param token the bearer token
	 * @param sid the sid exactly as sent (any case)
	 * @return the client, connected, in plaintext mode and without keys
	 */
	public static RawCaleClient connect(int port, String path, String token, String sid) {
		Accounting accounting = new Accounting();
		// Accounted before it is queued, so a test that has read a message also sees it counted.
		return new RawCaleClient(LegacySocket.connect(port, path, token, sid, accounting::record), accounting);
	}

	/**
	 * Returns the sid the client puts in its frames.
	 * @return the UUID
	 */
	public UUID sid() {
		return this.sid;
	}

	/**
	 * Uses a fixed key pair instead of a fresh one, e.g. {@code RawCale.keyPair(hex)}. Call it
	 * before {@link #handshake()} or {@link #sendClientHello()}.
	 * @param keyPair the client's P-256 key pair
	 * @return this client
	 */
	public synchronized RawCaleClient useKeyPair(KeyPair keyPair) {
		this.keyPair = keyPair;
		deriveKeysIfPossible();
		return this;
	}

	/**
	 * Returns the client's key pair.
	 * @return the key pair, or {@code null} before one was chosen
	 */
	public synchronized @Nullable KeyPair keyPair() {
		return this.keyPair;
	}

	/**
	 * Returns the public key the server sent in its SERVER_HELLO.
	 * @return the 65 bytes, or {@code null} before {@link #awaitServerHello()}
	 */
	public synchronized byte @Nullable [] serverPublicKey() {
		return this.serverPublicKey;
	}

	/**
	 * Returns the keys agreed with the server.
	 * @return the keys, or {@code null} while the client lacks its key pair or the server's key
	 */
	public synchronized @Nullable Keys keys() {
		return this.keys;
	}

	/**
	 * Sends one binary message as it is, in any mode.
	 * @param message the bytes
	 * @return this client
	 */
	public synchronized RawCaleClient sendRaw(byte[] message) {
		this.socket.send(message);
		return this;
	}

	/**
	 * Returns the next message from the server as received.
	 * @return the bytes
	 * @throws AssertionError if none arrives within 5 seconds
	 */
	public byte[] nextRaw() {
		return nextRaw(LegacySocket.DEFAULT_WAIT);
	}

	/**
	 * Returns the next message from the server as received.
	 * @param wait how long to wait
	 * @return the bytes
	 * @throws AssertionError if none arrives in time
	 */
	public byte[] nextRaw(Duration wait) {
		return this.socket.next(wait);
	}

	/**
	 * Returns the next message from the server as received, or {@code null} if none arrives in
	 * time.
	 * @param wait how long to wait
	 * @return the bytes or {@code null}
	 */
	public byte @Nullable [] pollRaw(Duration wait) {
		return this.socket.poll(wait);
	}

	/**
	 * Performs the client side of the handshake (legacy-v0.md §7.1) with a fresh key pair unless
	 * {@link #useKeyPair(KeyPair)} chose one: awaits SERVER_HELLO, sends CLIENT_HELLO (ack 0),
	 * awaits the server's HANDSHAKE_DONE, answers with HANDSHAKE_DONE copying its ack, and
	 * switches to encrypted mode.
	 * @return this client
	 * @throws AssertionError if the server's messages are not the expected plaintext handshake
	 * frames
	 */
	public RawCaleClient handshake() {
		awaitServerHello();
		sendClientHello();
		Parsed done = awaitHandshakeDone();
		sendHandshakeDone(done.ack());
		startEncrypting();
		return this;
	}

	/**
	 * Awaits the server's first message, which must be a plaintext SERVER_HELLO (type 5, 86
	 * bytes), and remembers the server's public key.
	 * @return the SERVER_HELLO
	 * @throws AssertionError if none arrives within 5 seconds or the message is something else
	 */
	public Parsed awaitServerHello() {
		byte[] message = nextRaw();
		if (message.length != 86 || message[20] != RawLegacyFrames.SERVER_HELLO) {
			throw new AssertionError("Expected an 86-byte plaintext SERVER_HELLO, got " + describe(message));
		}
		Parsed hello = RawLegacyFrames.parse(message);
		synchronized (this) {
			this.serverPublicKey = hello.payload();
			deriveKeysIfPossible();
		}
		return hello;
	}

	/**
	 * Sends CLIENT_HELLO (ack 0) in plaintext with the client's public key, choosing a fresh key
	 * pair if none was set, and derives the keys as the published clients do on SERVER_HELLO.
	 * @return this client
	 * @throws IllegalStateException before {@link #awaitServerHello()}
	 */
	public RawCaleClient sendClientHello() {
		byte[] publicKey;
		synchronized (this) {
			if (this.serverPublicKey == null) {
				throw new IllegalStateException("No SERVER_HELLO yet");
			}
			if (this.keyPair == null) {
				this.keyPair = RawCale.generateKeyPair();
			}
			deriveKeysIfPossible();
			publicKey = RawCale.publicKey(this.keyPair);
		}
		return sendClientHello(publicKey);
	}

	/**
	 * Sends CLIENT_HELLO (ack 0) in plaintext with any bytes as its payload, e.g. an invalid key.
	 * Derives no keys.
	 * @param publicKey the payload
	 * @return this client
	 */
	public RawCaleClient sendClientHello(byte[] publicKey) {
		return sendRaw(RawLegacyFrames.frame(this.sid, 0, RawLegacyFrames.CLIENT_HELLO, publicKey));
	}

	/**
	 * Awaits the server's next message, which must be a plaintext HANDSHAKE_DONE (type 7).
	 * @return the HANDSHAKE_DONE
	 * @throws AssertionError if none arrives within 5 seconds or the message is something else
	 */
	public Parsed awaitHandshakeDone() {
		byte[] message = nextRaw();
		if (message.length < RawLegacyFrames.HEADER_LENGTH || message[20] != RawLegacyFrames.HANDSHAKE_DONE) {
			throw new AssertionError("Expected a plaintext HANDSHAKE_DONE, got " + describe(message));
		}
		return RawLegacyFrames.parse(message);
	}

	/**
	 * Sends the client's HANDSHAKE_DONE in plaintext with payload {@code null}.
	 * @param ack the ack, which the published clients copy from the server's HANDSHAKE_DONE
	 * @return this client
	 */
	public RawCaleClient sendHandshakeDone(int ack) {
		return sendRaw(RawLegacyFrames.frame(this.sid, ack, RawLegacyFrames.HANDSHAKE_DONE, NULL_PAYLOAD));
	}

	/**
	 * Switches to encrypted mode: from now on {@link #sendFrame(byte[])} encrypts.
	 * @return this client
	 * @throws IllegalStateException if the keys are not known (no key pair or no SERVER_HELLO)
	 */
	public synchronized RawCaleClient startEncrypting() {
		requireKeys();
		this.encrypting = true;
		return this;
	}

	/**
	 * Returns whether the client is in encrypted mode.
	 * @return whether {@link #startEncrypting()} was called
	 */
	public synchronized boolean isEncrypting() {
		return this.encrypting;
	}

	/**
	 * Encrypts a frame with the client's next IV counter (0, 1, 2, …) and sends it.
	 * @param plainFrame a complete legacy frame, e.g. from {@link RawLegacyFrames}
	 * @return this client
	 * @throws IllegalStateException if not in encrypted mode
	 */
	public synchronized RawCaleClient sendFrame(byte[] plainFrame) {
		if (!this.encrypting) {
			throw new IllegalStateException("Not in encrypted mode; use sendRaw for plaintext");
		}
		return sendRaw(encryptWithCounter(plainFrame, this.sendCounter++));
	}

	/**
	 * Encrypts a frame with the client → server key and a chosen IV counter without sending it
	 * and without touching the client's own counter, e.g. for replays or messages out of order.
	 * @param plainFrame a complete legacy frame
	 * @param counter the IV counter, read as an unsigned 32-bit number
	 * @return the message
	 * @throws IllegalStateException if the keys are not known
	 */
	public synchronized byte[] encryptWithCounter(byte[] plainFrame, int counter) {
		return RawCale.encrypt(requireKeys().clientToServer(), counter, plainFrame);
	}

	/**
	 * Returns the IV counter the next {@link #sendFrame(byte[])} uses.
	 * @return the counter
	 */
	public synchronized int nextSendCounter() {
		return this.sendCounter;
	}

	/**
	 * Returns the next message from the server, which must decrypt with the server → client key.
	 * @return the decrypted frame
	 * @throws AssertionError if none arrives within 5 seconds or it does not decrypt
	 */
	public Parsed next() {
		return next(LegacySocket.DEFAULT_WAIT);
	}

	/**
	 * Returns the next message from the server, which must decrypt with the server → client key.
	 * @param wait how long to wait
	 * @return the decrypted frame
	 * @throws AssertionError if none arrives in time or it does not decrypt
	 */
	public Parsed next(Duration wait) {
		Parsed next = poll(wait);
		if (next == null) {
			throw new AssertionError("No message within " + wait);
		}
		return next;
	}

	/**
	 * Returns the next message from the server, which must decrypt with the server → client key,
	 * or {@code null} if none arrives in time.
	 * @param wait how long to wait
	 * @return the decrypted frame or {@code null}
	 * @throws AssertionError if the message does not decrypt
	 */
	public @Nullable Parsed poll(Duration wait) {
		byte[] message = pollRaw(wait);
		if (message == null) {
			return null;
		}
		Decoded decoded = decode(message);
		if (decoded.frame() == null) {
			throw new AssertionError("A message of " + message.length + " bytes (" + describe(message)
					+ ") does not decrypt with the server -> client key");
		}
		return decoded.frame();
	}

	/**
	 * Returns the next message from the server with what decrypting it gave, whether or not it is
	 * authentic.
	 * @param wait how long to wait
	 * @return the message, its IV counter and the decrypted frame if authentic
	 * @throws AssertionError if none arrives in time
	 */
	public Decoded nextDecoded(Duration wait) {
		return decode(nextRaw(wait));
	}

	/**
	 * Returns how many received messages authenticated with the server → client key and still had
	 * a byte 20 of at most 7: a published client would have routed each of them as a plaintext
	 * frame and lost it (legacy-v0.md §7.4).
	 * @return the count
	 */
	public int misroutableCount() {
		return this.accounting.misroutable.get();
	}

	/**
	 * Returns the IV counters of the received messages that authenticated with the server →
	 * client key, in the order they arrived.
	 * @return a copy of the list
	 */
	public List<Long> serverIvCounters() {
		synchronized (this.accounting.ivCounters) {
			return List.copyOf(this.accounting.ivCounters);
		}
	}

	/**
	 * Waits for the server's close.
	 * @param wait how long to wait
	 * @return the close code and reason
	 */
	public Close awaitClose(Duration wait) {
		return this.socket.awaitClose(wait);
	}

	/**
	 * Sends a close frame, e.g. 4010 as a published client does on a CALE mismatch, and leaves
	 * the connection open for the server's answer ({@link #awaitClose(Duration)}).
	 * <p>
	 * {@code java.net.http} refuses to send some codes a client may not choose itself, among them
	 * 1002, which cryo-client-node 1.0.x and cryo-client 2.x use (legacy-v0.md §8); those end in an
	 * {@link IllegalArgumentException}.
	 * @param code the close code
	 * @param reason the reason
	 * @return this client
	 */
	public RawCaleClient closeWith(int code, String reason) {
		this.socket.closeWith(code, reason);
		return this;
	}

	/**
	 * Closes the WebSocket as cryo-client-node's {@code Close()} does: 4000 {@code Client finished.}
	 */
	@Override
	public void close() {
		this.socket.close();
	}

	private Decoded decode(byte[] message) {
		Keys known = requireKeys();
		byte[] plain = RawCale.decrypt(known.serverToClient(), message);
		long counter = (message.length >= RawCale.IV_LENGTH) ? RawCale.ivCounter(message) : -1;
		return new Decoded(message, counter, (plain != null) ? RawLegacyFrames.parse(plain) : null);
	}

	private synchronized Keys requireKeys() {
		deriveKeysIfPossible();
		if (this.keys == null) {
			throw new IllegalStateException("No CALE keys: the client needs its key pair and the server's SERVER_HELLO");
		}
		return this.keys;
	}

	private synchronized void deriveKeysIfPossible() {
		if (this.keys == null && this.keyPair != null && this.serverPublicKey != null) {
			this.keys = RawCale.keys(this.keyPair.getPrivate(), this.serverPublicKey);
			// The listener needs the receive key as soon as it exists: the server's first
			// encrypted message may arrive before the test reads anything.
			this.accounting.receiveKey = this.keys.serverToClient();
		}
	}

	private static String describe(byte[] message) {
		String type = (message.length >= RawLegacyFrames.HEADER_LENGTH) ? ", byte 20 = " + (message[20] & 0xFF) : "";
		return message.length + " bytes" + type;
	}

	/**
	 * One received message as decrypted.
	 *
	 * @param message the message as received
	 * @param ivCounter the counter of its IV (bytes 8 to 11, unsigned), or -1 if it is shorter
	 * than an IV
	 * @param frame the decrypted frame, or {@code null} if it does not authenticate with the
	 * server → client key
	 */
	public record Decoded(byte[] message, long ivCounter, @Nullable Parsed frame) {

		/**
		 * Returns whether the message authenticated with the server → client key.
		 * @return whether {@link #frame()} is not {@code null}
		 */
		public boolean authentic() {
			return this.frame != null;
		}

		/**
		 * Returns whether a published client would have routed the message as plaintext: at least
		 * 21 bytes with byte 20 at most 7.
		 * @return whether byte 20 looks like a frame type
		 */
		public boolean looksLikePlaintext() {
			return RawCale.looksLikePlaintext(this.message);
		}

	}

	/** What the listener records about authentic encrypted messages as they arrive. */
	private static final class Accounting {

		private volatile byte @Nullable [] receiveKey;

		private final AtomicInteger misroutable = new AtomicInteger();

		private final List<Long> ivCounters = new ArrayList<>();

		void record(byte[] message) {
			byte[] key = this.receiveKey;
			if (key == null || RawCale.decrypt(key, message) == null) {
				return;
			}
			synchronized (this.ivCounters) {
				this.ivCounters.add(RawCale.ivCounter(message));
			}
			if (RawCale.looksLikePlaintext(message)) {
				this.misroutable.incrementAndGet();
			}
		}

	}

}
