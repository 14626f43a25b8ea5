package dev.cryo.sample;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The legacy "v0" frame layout of legacy-v0.md §3, written for the sample tests from the document
 * alone (it does not use the project's codec): sid = the 16 raw bytes of the UUID @0, ack u32
 * @16, type u8 @20, payload @21, big-endian, no length prefixes. {@link Client} is a minimal
 * legacy client on the JDK's WebSocket that behaves like cryo-client-node 1.0.3 without CALE.
 */
final class LegacyWire {

	static final int ACK = 0;

	static final int ERROR = 1;

	static final int PING_PONG = 2;

	static final int UTF8DATA = 3;

	static final int BINARYDATA = 4;

	static final int SERVER_HELLO = 5;

	static final int CLIENT_HELLO = 6;

	static final int HANDSHAKE_DONE = 7;

	static final int HEADER = 21;

	private LegacyWire() {
	}

	// ------------------------------------------------------------------ encoding

	/** The 32 hex digits of the UUID, in text order, as 16 raw bytes (§3). */
	static byte[] sidBytes(UUID sid) {
		return ByteBuffer.allocate(16).putLong(sid.getMostSignificantBits()).putLong(sid.getLeastSignificantBits())
			.array();
	}

	static byte[] frame(UUID sid, long ack, int type, byte[] payload) {
		return ByteBuffer.allocate(HEADER + payload.length)
			.order(ByteOrder.BIG_ENDIAN)
			.put(sidBytes(sid))
			.putInt((int) ack)
			.put((byte) type)
			.put(payload)
			.array();
	}

	static byte[] ack(UUID sid, long ack) {
		return frame(sid, ack, ACK, new byte[0]);
	}

	static byte[] ping(UUID sid, long ack) {
		return frame(sid, ack, PING_PONG, "ping".getBytes(StandardCharsets.US_ASCII));
	}

	static byte[] pong(UUID sid, long ack) {
		return frame(sid, ack, PING_PONG, "pong".getBytes(StandardCharsets.US_ASCII));
	}

	/** UTF8DATA sized by the text's UTF-8 length (as the 2.x server from 2.5.1 does). */
	static byte[] utf8(UUID sid, long ack, String text) {
		return frame(sid, ack, UTF8DATA, text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The payload the Node clients write for a text (§3.1): {@code text.length()} bytes (UTF-16
	 * units), filled with the UTF-8 of as many whole characters as fit, the rest NUL.
	 */
	static byte[] nodeClientText(String text) {
		byte[] payload = new byte[text.length()];
		int used = 0;
		for (int i = 0; i < text.length();) {
			int codePoint = text.codePointAt(i);
			byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
			if (used + encoded.length > payload.length) {
				break;
			}
			System.arraycopy(encoded, 0, payload, used, encoded.length);
			used += encoded.length;
			i += Character.charCount(codePoint);
		}
		return payload;
	}

	static byte[] binary(UUID sid, long ack, byte[] payload) {
		return frame(sid, ack, BINARYDATA, payload);
	}

	// ------------------------------------------------------------------ decoding

	record Frame(byte[] bytes) {

		Frame {
			assertThat(bytes.length).as("legacy frame length").isGreaterThanOrEqualTo(HEADER);
		}

		/** The sid bytes printed back as a lower-case UUID (§3). */
		UUID sid() {
			ByteBuffer buffer = ByteBuffer.wrap(this.bytes);
			return new UUID(buffer.getLong(0), buffer.getLong(8));
		}

		long ack() {
			return ByteBuffer.wrap(this.bytes).getInt(16) & 0xFFFF_FFFFL;
		}

		int type() {
			return this.bytes[20] & 0xFF;
		}

		byte[] payload() {
			byte[] payload = new byte[this.bytes.length - HEADER];
			System.arraycopy(this.bytes, HEADER, payload, 0, payload.length);
			return payload;
		}

		String text() {
			return new String(payload(), StandardCharsets.UTF_8);
		}

		boolean is(int type) {
			return type() == type;
		}

		boolean isAck(long ack) {
			return is(ACK) && ack() == ack;
		}

		@Override
		public String toString() {
			return "v0[type " + type() + ", ack " + ack() + ", " + this.bytes.length + " bytes"
					+ ((this.bytes.length <= 64) ? ", " + CryoWire.hex(this.bytes) : "") + "]";
		}

	}

	// ------------------------------------------------------------------ client

	/**
	 * A legacy client as cryo-client-node 1.0.3 without CALE: no Origin header, the UUID sid in
	 * {@code x-cryo-sid} exactly as given, no greeting, its own ack counter from 0. It answers
	 * server pings with a pong carrying the same ack (unless told not to) and records every frame.
	 * Frames of the server must carry the session's (lower-case) sid and be well formed.
	 */
	static final class Client implements WebSocket.Listener, AutoCloseable {

		private static final HttpClient HTTP = HttpClient.newBuilder()
			.connectTimeout(CryoTestClient.TIMEOUT)
			.build();

		final UUID sid;

		private final AtomicLong ackCounter = new AtomicLong();

		private final LinkedBlockingQueue<Frame> inbox = new LinkedBlockingQueue<>();

		private final List<String> violations = Collections.synchronizedList(new ArrayList<>());

		private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

		final CompletableFuture<CryoTestClient.Close> closed = new CompletableFuture<>();

		volatile boolean autoPong = true;

		private volatile WebSocket webSocket;

		private Client(UUID sid) {
			this.sid = sid;
		}

		/** Connects with the dev token; {@code sidText} is sent as given (any case). */
		static Client connect(int port, String sidText) {
			return connect(port, "authorization=Bearer+" + CryoTestClient.DEV_TOKEN + "&x-cryo-sid=" + sidText,
					UUID.fromString(sidText));
		}

		static Client connect(int port, String rawQuery, UUID sid) {
			Client client = new Client(sid);
			try {
				client.webSocket = HTTP.newWebSocketBuilder()
					.connectTimeout(CryoTestClient.TIMEOUT)
					.buildAsync(CryoTestClient.uri(port, rawQuery), client)
					.get(CryoTestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				return client;
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof WebSocketHandshakeException handshake) {
					throw new AssertionError("upgrade refused with HTTP " + handshake.getResponse().statusCode(), ex);
				}
				throw new AssertionError("could not connect with " + rawQuery, ex);
			}
			catch (InterruptedException | TimeoutException ex) {
				throw new AssertionError("could not connect with " + rawQuery, ex);
			}
		}

		long nextAck() {
			return this.ackCounter.getAndIncrement() & CryoWire.U32_MAX;
		}

		synchronized void send(byte[] message) {
			try {
				this.webSocket.sendBinary(ByteBuffer.wrap(message), true).get(10, TimeUnit.SECONDS);
			}
			catch (ExecutionException | InterruptedException | TimeoutException ex) {
				throw new AssertionError("send failed", ex);
			}
		}

		long sendUtf8Payload(byte[] payload) {
			long ack = nextAck();
			send(frame(this.sid, ack, UTF8DATA, payload));
			return ack;
		}

		long sendBinary(byte[] payload) {
			long ack = nextAck();
			send(binary(this.sid, ack, payload));
			return ack;
		}

		void sendClose(int code, String reason) {
			try {
				this.webSocket.sendClose(code, reason).get(5, TimeUnit.SECONDS);
			}
			catch (ExecutionException | InterruptedException | TimeoutException ex) {
				throw new AssertionError("close failed", ex);
			}
		}

		Frame poll(Duration timeout) {
			try {
				return this.inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}

		Frame next() {
			Frame frame = poll(CryoTestClient.TIMEOUT);
			if (frame == null) {
				fail("no legacy frame within " + CryoTestClient.TIMEOUT.toMillis() + " ms (close: "
						+ this.closed.getNow(null) + ")");
			}
			return frame;
		}

		void expectSilence(Duration duration) {
			assertThat(poll(duration)).as("unexpected frame from the server").isNull();
		}

		CryoTestClient.Close awaitClose() {
			try {
				return this.closed.get(CryoTestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException | InterruptedException | TimeoutException ex) {
				throw new AssertionError("the server did not close the WebSocket", ex);
			}
		}

		/**
		 * Sends a data frame's payload, expects the server's ACK with the frame's own number and
		 * the sample's echo of the same type, ACKs the echo and returns it.
		 */
		Frame echo(int type, byte[] payload) {
			long ack = nextAck();
			send(frame(this.sid, ack, type, payload));
			Frame first = next();
			Frame second = next();
			Frame acked = first.is(ACK) ? first : second;
			Frame echo = first.is(ACK) ? second : first;
			assertThat(acked.isAck(ack)).as("ACK(%d) of our frame: %s", ack, acked).isTrue();
			assertThat(acked.bytes()).as("ACK length").hasSize(HEADER);
			assertThat(echo.type()).as("type of the echo %s", echo).isEqualTo(type);
			assertThat(echo.payload()).as("payload of the echo").isEqualTo(payload);
			send(ack(this.sid, echo.ack()));
			return echo;
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
				byte[] message = this.partial.toByteArray();
				this.partial.reset();
				onMessage(webSocket, message);
			}
			webSocket.request(1);
			return null;
		}

		private void onMessage(WebSocket webSocket, byte[] message) {
			if (message.length < HEADER || (message[20] & 0xFF) > HANDSHAKE_DONE) {
				this.violations.add("not a legacy frame: " + CryoWire.hex(message));
				return;
			}
			Frame frame = new Frame(message);
			if (!frame.sid().equals(this.sid)) {
				this.violations.add("frame with sid " + frame.sid() + " instead of " + this.sid + ": " + frame);
			}
			if (frame.is(ACK) && message.length != HEADER
					|| frame.is(PING_PONG) && (message.length != 25 || !frame.text().equals("ping") && !frame.text().equals("pong"))
					|| frame.type() >= SERVER_HELLO) {
				this.violations.add("malformed or unexpected frame from the server: " + frame);
			}
			if (frame.is(PING_PONG) && frame.text().equals("ping") && this.autoPong) {
				webSocket.sendBinary(ByteBuffer.wrap(pong(this.sid, frame.ack())), true);
				return;
			}
			this.inbox.add(frame);
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
					this.webSocket.sendClose(4000, "Client finished.").get(2, TimeUnit.SECONDS);
					this.closed.get(2, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					// already gone
				}
			}
			this.webSocket.abort();
			synchronized (this.violations) {
				assertThat(this.violations).as("legacy-v0.md §3 violations by the server").isEmpty();
			}
		}

		/** The sid as the application sees it (§10.1 rule 2). */
		String lowerCaseSid() {
			return this.sid.toString().toLowerCase(Locale.ROOT);
		}

	}

}
