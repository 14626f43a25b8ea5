package dev.cryo.benchmarks.driver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * A lean load-generating client on the JDK WebSocket: one connection, either speaking just
 * enough Cryo (ENDPOINT_INFO, ACKs of tracked frames, pongs that copy the ping's ack, cryo-v1.md
 * §3, §6.2, §7) or nothing at all (raw). It decodes only the header bytes it needs and hands
 * data to a {@link Handler}, so the client's own cost per message stays small and the same for
 * both sides of a comparison. Sends are queued and written one at a time, as the JDK requires.
 */
final class LeanConnection implements WebSocket.Listener {

	static final int ENDPOINT_INFO = 0xFF;

	static final int BYE = 0xFE;

	static final int ACK = 0xFD;

	static final int ERROR = 0xFC;

	static final int PING_PONG = 0xFB;

	static final int UTF8DATA = 0xFA;

	static final int BINARYDATA = 0xF9;

	static final int TX_START = 0x00;

	static final int TX_CHUNK = 0x01;

	static final int TX_FINISH = 0x02;

	private static final int PONG = 0x706F6E67;

	private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

	private static final int PING = 0x70696E67;

	/** What a scenario does with what arrives; called on the connection's listener thread. */
	interface Handler {

		/** A complete binary message (raw) or the payload of a data frame (Cryo), position at the payload. */
		default void onData(LeanConnection connection, int type, ByteBuffer payload) {
		}

		/** A text message (raw only). */
		default void onText(LeanConnection connection, String text) {
		}

		/** A transaction frame (Cryo only); for TX_CHUNK {@code length} is the payload length. */
		default void onTransaction(LeanConnection connection, int type, int length) {
		}

	}

	private final boolean cryo;

	private final long sid;

	private final AtomicInteger nextAck = new AtomicInteger();

	private final Map<Integer, CompletableFuture<Void>> awaitedAcks = new ConcurrentHashMap<>();

	private final CompletableFuture<LeanConnection> ready = new CompletableFuture<>();

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	private final ArrayDeque<Pending> pending = new ArrayDeque<>();

	private volatile Handler handler = new Handler() {
	};

	private volatile @Nullable WebSocket webSocket;

	private boolean sending;

	private @Nullable ByteBuffer partial;

	/** The parts of a text message received so far (the JDK calls {@code onText} in order). */
	private final StringBuilder partialText = new StringBuilder();

	private LeanConnection(boolean cryo, long sid) {
		this.cryo = cryo;
		this.sid = sid;
	}

	/**
	 * Opens a connection; the future completes when a Cryo session is ready (our ENDPOINT_INFO
	 * ACKed) or, for raw, when the WebSocket is open.
	 */
	static CompletableFuture<LeanConnection> open(HttpClient client, int port, boolean cryo, long sid) {
		return open(client, port, cryo, sid, "/raw");
	}

	/**
	 * Opens a connection; a raw one to the given path.
	 * @param client the client
	 * @param port the server's port
	 * @param cryo whether to open a Cryo session at {@code /cryo}
	 * @param sid the Cryo session id
	 * @param rawPath the path of a raw connection
	 * @return completes when ready
	 */
	static CompletableFuture<LeanConnection> open(HttpClient client, int port, boolean cryo, long sid, String rawPath) {
		LeanConnection connection = new LeanConnection(cryo, sid);
		URI uri = URI.create(cryo
				? "ws://127.0.0.1:" + port + "/cryo?authorization=Bearer+bench&x-cryo-sid=" + Long.toUnsignedString(sid)
				: "ws://127.0.0.1:" + port + rawPath);
		return client.newWebSocketBuilder()
			.buildAsync(uri, connection)
			.thenCompose((webSocket) -> connection.ready)
			.orTimeout(60, TimeUnit.SECONDS);
	}

	void handler(Handler handler) {
		this.handler = handler;
	}

	boolean isCryo() {
		return this.cryo;
	}

	CompletableFuture<Integer> closed() {
		return this.closed;
	}

	/** Allocates a fresh ack number of ours (cryo-v1.md §6.1). */
	int nextAck() {
		return this.nextAck.getAndIncrement();
	}

	/** Returns a buffer with a Cryo header written, positioned after it, {@code capacity} bytes long. */
	ByteBuffer frame(int type, int ackOrTxid, int capacity) {
		ByteBuffer frame = ByteBuffer.allocate(capacity).order(ByteOrder.BIG_ENDIAN);
		frame.putLong(this.sid).put((byte) type).putInt(ackOrTxid);
		return frame;
	}

	/** Sends a frame of ours whose ACK we wait for; the future completes when it arrives. */
	CompletableFuture<Void> sendTracked(ByteBuffer message, int ack) {
		CompletableFuture<Void> acked = new CompletableFuture<>();
		this.awaitedAcks.put(ack, acked);
		send(message, null);
		return acked;
	}

	/** Sends a Cryo UTF8DATA frame. */
	void sendUtf8(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		int ack = nextAck();
		send(frame(UTF8DATA, ack, 13 + bytes.length).put(bytes).flip(), null);
	}

	/** Sends a raw text message (outside the binary send queue's order, so only when nothing else is queued). */
	CompletableFuture<WebSocket> sendText(String text) {
		return webSocket().sendText(text, true);
	}

	/**
	 * Queues one text message, in order with the binary ones.
	 * @param text the message
	 */
	void sendQueuedText(String text) {
		synchronized (this) {
			this.pending.add(new Pending(EMPTY, text, null));
			if (this.sending) {
				return;
			}
			this.sending = true;
		}
		drain();
	}

	/**
	 * Queues one binary message.
	 * @param message the message, ready to read
	 * @param sent run once the JDK has written it, or {@code null}
	 */
	void send(ByteBuffer message, @Nullable Runnable sent) {
		synchronized (this) {
			this.pending.add(new Pending(message, null, sent));
			if (this.sending) {
				return;
			}
			this.sending = true;
		}
		drain();
	}

	private void drain() {
		while (true) {
			Pending next;
			synchronized (this) {
				next = this.pending.poll();
				if (next == null) {
					this.sending = false;
					return;
				}
			}
			String text = next.text();
			CompletableFuture<WebSocket> write = (text != null) ? webSocket().sendText(text, true)
					: webSocket().sendBinary(next.message(), true);
			if (!write.isDone()) {
				write.whenComplete((webSocket, failure) -> afterWrite(next, failure));
				return;
			}
			if (!afterWrite0(next, write.isCompletedExceptionally() ? new IllegalStateException("send failed") : null)) {
				return;
			}
		}
	}

	private void afterWrite(Pending written, @Nullable Throwable failure) {
		if (afterWrite0(written, failure)) {
			drain();
		}
	}

	private boolean afterWrite0(Pending written, @Nullable Throwable failure) {
		if (failure != null) {
			this.closed.complete(-1);
			return false;
		}
		if (written.sent() != null) {
			written.sent().run();
		}
		return true;
	}

	void close() {
		WebSocket current = this.webSocket;
		if (current != null && !current.isOutputClosed()) {
			current.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally((failure) -> null);
		}
	}

	private WebSocket webSocket() {
		WebSocket current = this.webSocket;
		if (current == null) {
			throw new IllegalStateException("not open");
		}
		return current;
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		this.webSocket = webSocket;
		if (this.cryo) {
			// Our ENDPOINT_INFO right away, without waiting for the server's (cryo-v1.md §3).
			int ack = nextAck();
			ByteBuffer info = frame(ENDPOINT_INFO, ack, 25).putInt(1).putLong(1L).flip();
			sendTracked(info, ack).thenRun(() -> this.ready.complete(this));
		}
		else {
			this.ready.complete(this);
		}
		webSocket.request(1);
	}

	@Override
	public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		ByteBuffer message = data;
		if (!last || this.partial != null) {
			message = accumulate(data, last);
		}
		if (message != null) {
			if (this.cryo) {
				receiveFrame(message);
			}
			else {
				this.handler.onData(this, BINARYDATA, message);
			}
		}
		webSocket.request(1);
		return null;
	}

	private @Nullable ByteBuffer accumulate(ByteBuffer data, boolean last) {
		ByteBuffer buffer = this.partial;
		if (buffer == null) {
			buffer = ByteBuffer.allocate(Math.max(64 * 1024, data.remaining() * 2));
		}
		else if (buffer.remaining() < data.remaining()) {
			ByteBuffer grown = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + data.remaining()));
			grown.put(buffer.flip());
			buffer = grown;
		}
		buffer.put(data);
		if (!last) {
			this.partial = buffer;
			return null;
		}
		this.partial = null;
		return buffer.flip();
	}

	private void receiveFrame(ByteBuffer message) {
		if (message.remaining() < 13) {
			return;
		}
		int start = message.position();
		int type = message.get(start + 8) & 0xFF;
		int ack = message.getInt(start + 9);
		switch (type) {
			case ACK -> {
				CompletableFuture<Void> awaited = this.awaitedAcks.remove(ack);
				if (awaited != null) {
					awaited.complete(null);
				}
			}
			case PING_PONG -> {
				if (message.getInt(start + 13) == PING) {
					send(frame(PING_PONG, ack, 17).putInt(PONG).flip(), null);
				}
			}
			case BINARYDATA, UTF8DATA -> {
				acknowledge(ack);
				this.handler.onData(this, type, message.position(start + 13));
			}
			case TX_CHUNK -> this.handler.onTransaction(this, type, message.remaining() - 13);
			case TX_START, TX_FINISH -> {
				acknowledge(ack);
				this.handler.onTransaction(this, type, 0);
			}
			case ENDPOINT_INFO, ERROR, BYE -> acknowledge(ack);
			default -> {
				// TX_FLOW, TX_PULL, TX_CANCEL: the server sends none of them to this client.
			}
		}
	}

	private void acknowledge(int ack) {
		send(frame(ACK, ack, 13).flip(), null);
	}

	@Override
	public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		// The JDK hands a text message over in parts when it spans its read buffers.
		this.partialText.append(data);
		if (last) {
			String text = this.partialText.toString();
			this.partialText.setLength(0);
			this.handler.onText(this, text);
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closed.complete(statusCode);
		this.ready.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closed.complete(-1);
		this.ready.completeExceptionally(error);
	}

	/** A message waiting for its turn: binary, or text when {@code text} is set. */
	private record Pending(ByteBuffer message, @Nullable String text, @Nullable Runnable sent) {
	}

}
