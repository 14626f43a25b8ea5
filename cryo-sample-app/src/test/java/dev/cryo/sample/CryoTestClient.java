package dev.cryo.sample;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import dev.cryo.sample.CryoWire.Frame;
import dev.cryo.sample.CryoWire.Layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * An independent Cryo v1 test client on top of the JDK's {@link java.net.http.WebSocket}. It
 * reassembles WebSocket messages (§1.2), decodes frames with {@link CryoWire}, and records every
 * frame in arrival order. By default server pings are answered automatically (so that an
 * unexpected heartbeat does not disturb a test) and kept out of the {@link #next() inbox}; tests
 * about the heartbeat switch that off.
 * <p>
 * While running it checks the invariants every server frame must satisfy and reports violations
 * from {@link #close()}: every frame carries the session's sid (§4.1) and is well formed in the
 * session's transaction layout ({@link CryoWire#problems}: assigned type, fixed-size frames of
 * exactly their size, variable ones within the limits), and the server never sends text messages
 * (§1.3). What the server sends in a layout is checked too: no TX_CANCEL in Cryo v1 (§4.3), no
 * TX_FLOW, no fetch and TX_START with size −1 to a cryo-protocol 1.4 peer (§10.5), and in CAMP
 * the txid of its TX_START is the frame's ack (camp.md §8 rule 5). A CAMP client
 * ({@link #connect(int, String, long, Map, List, Layout)} with {@link Layout#CAMP}) answers the
 * 13-byte CAMP ping instead of the 17-byte one.
 */
final class CryoTestClient implements AutoCloseable {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	static final String DEV_TOKEN = "dev-token";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	record Close(int code, String reason) {
	}

	final long sid;

	private final WebSocket webSocket;

	private final Listener listener;

	private final ExecutorService sender;

	/** The client's own ack counter (§6.1): starts at 0, the first value goes to ENDPOINT_INFO. */
	private final AtomicLong ackCounter = new AtomicLong();

	private CryoTestClient(long sid, WebSocket webSocket, Listener listener, ExecutorService sender) {
		this.sid = sid;
		this.webSocket = webSocket;
		this.listener = listener;
		this.sender = sender;
	}

	/** The layout the server's frames are judged in; a seed session may switch to 1.4 (§10.5 rule 3). */
	Layout layout() {
		return this.listener.layout;
	}

	void layout(Layout layout) {
		this.listener.layout = layout;
	}

	/** The subprotocol the server selected in the 101 response, empty if none. */
	String subprotocol() {
		return this.webSocket.getSubprotocol();
	}

	// ------------------------------------------------------------------ connecting

	static URI uri(int port, String rawQuery) {
		return URI.create("ws://127.0.0.1:" + port + "/cryo" + ((rawQuery != null) ? "?" + rawQuery : ""));
	}

	/** The query a URLSearchParams-based client sends (the space as '+', §2.1). */
	static String query(String token, long sid) {
		return "authorization=Bearer+" + token + "&x-cryo-sid=" + CryoWire.sid(sid);
	}

	static CryoTestClient connect(int port, long sid) {
		return connect(port, query(DEV_TOKEN, sid), sid, Map.of());
	}

	static CryoTestClient connect(int port, String rawQuery, long expectedSid) {
		return connect(port, rawQuery, expectedSid, Map.of());
	}

	/**
	 * Opens the WebSocket; fails the test if the upgrade is refused. {@code expectedSid} is the sid
	 * every server frame must carry.
	 */
	static CryoTestClient connect(int port, String rawQuery, long expectedSid, Map<String, String> headers) {
		return connect(port, rawQuery, expectedSid, headers, List.of(), Layout.SEED);
	}

	/**
	 * Opens the WebSocket offering the given subprotocols (most preferred first, none if empty);
	 * the server's frames are judged in {@code layout}, and with {@link Layout#CAMP} the client
	 * answers CAMP's 13-byte pings.
	 */
	static CryoTestClient connect(int port, String rawQuery, long expectedSid, Map<String, String> headers,
			List<String> subprotocols, Layout layout) {
		Listener listener = new Listener(expectedSid, layout);
		WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT);
		headers.forEach(builder::header);
		if (!subprotocols.isEmpty()) {
			builder.subprotocols(subprotocols.get(0),
					subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
		}
		ExecutorService sender = Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "cryo-test-sender-" + CryoWire.sid(expectedSid));
			thread.setDaemon(true);
			return thread;
		});
		try {
			WebSocket webSocket = builder.buildAsync(uri(port, rawQuery), listener)
				.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			CryoTestClient client = new CryoTestClient(expectedSid, webSocket, listener, sender);
			listener.client = client;
			return client;
		}
		catch (ExecutionException ex) {
			sender.shutdownNow();
			Throwable cause = ex.getCause();
			if (cause instanceof WebSocketHandshakeException handshake) {
				Object body = handshake.getResponse().body();
				throw new Refused("upgrade refused with HTTP " + handshake.getResponse().statusCode() + " for "
						+ rawQuery + ": " + body, handshake.getResponse().statusCode(), ex);
			}
			throw new AssertionError("could not connect with " + rawQuery, ex);
		}
		catch (InterruptedException | TimeoutException ex) {
			sender.shutdownNow();
			throw new AssertionError("could not connect with " + rawQuery, ex);
		}
	}

	/**
	 * Like {@link #connect(int, long)}, but retries while the server still holds the sid of a
	 * previous session of the same test run (sessions end asynchronously after their close).
	 */
	static CryoTestClient connectReusingSid(int port, long sid) {
		return connectRetrying(port, query(DEV_TOKEN, sid), sid);
	}

	/** {@link #connectReusingSid(int, long)} with an arbitrary (valid) query. */
	static CryoTestClient connectRetrying(int port, String rawQuery, long sid) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
		while (true) {
			try {
				return connect(port, rawQuery, sid);
			}
			catch (Refused ex) {
				// With a valid token and sid the only possible refusal is "The session already exists."
				if (ex.status != 401 || System.nanoTime() > deadline) {
					throw ex;
				}
			}
			sleep(50);
		}
	}

	/** The upgrade was refused with an HTTP status. */
	static final class Refused extends AssertionError {

		final int status;

		Refused(String message, int status, Throwable cause) {
			super(message, cause);
			this.status = status;
		}

	}

	// ------------------------------------------------------------------ handshake

	/**
	 * §3: receive the server's ENDPOINT_INFO, send ours (ack 0, version 1, flags 1), expect its
	 * ACK, and ACK the server's ENDPOINT_INFO. Returns the server's ENDPOINT_INFO.
	 */
	Frame handshake() {
		Frame serverInfo = expectServerEndpointInfo();
		long ack = nextAck();
		send(CryoWire.endpointInfo(this.sid, ack, 1, CryoWire.FEATURE_TRANSACTIONS));
		expectAck(ack);
		send(CryoWire.ack(this.sid, serverInfo.ack()));
		return serverInfo;
	}

	/** §3.2: the server's first frame is ENDPOINT_INFO(ack 0, version 1, flags 1) with our sid. */
	Frame expectServerEndpointInfo() {
		Frame info = next();
		assertThat(info.type()).as("first server frame type (%s)", info).isEqualTo(CryoWire.ENDPOINT_INFO);
		assertThat(info.length()).as("ENDPOINT_INFO length").isEqualTo(25);
		assertThat(info.sid()).as("ENDPOINT_INFO sid").isEqualTo(this.sid);
		assertThat(info.ack()).as("ENDPOINT_INFO ack").isZero();
		assertThat(info.version()).as("ENDPOINT_INFO version").isEqualTo(1);
		assertThat(info.flags()).as("ENDPOINT_INFO flags").isEqualTo(1L);
		return info;
	}

	// ------------------------------------------------------------------ sending

	/** Takes the next value of the client's ack counter (§6.1). */
	long nextAck() {
		return this.ackCounter.getAndIncrement() & CryoWire.U32_MAX;
	}

	/** Sends one binary message and waits until the JDK has written it. */
	void send(byte[] message) {
		await(this.sender.submit(() -> this.webSocket.sendBinary(ByteBuffer.wrap(message), true).join()));
	}

	/**
	 * Sends a message after which the server closes at once (a BYE): waits for the write but
	 * accepts that the JDK fails its future when the server's close overtakes the completion.
	 */
	void sendIgnoringOutcome(byte[] message) {
		await(this.sender.submit(() -> this.webSocket.sendBinary(ByteBuffer.wrap(message), true)
			.handle((sent, failure) -> null)
			.join()));
	}

	/**
	 * Sends one binary message as several WebSocket frames (a first frame and continuation frames),
	 * cut at the given offsets (§1.2: the receiver reassembles the message before decoding).
	 */
	void sendFragmented(byte[] message, int... cuts) {
		await(this.sender.submit(() -> {
			int from = 0;
			for (int cut : cuts) {
				this.webSocket.sendBinary(ByteBuffer.wrap(message, from, cut - from), false).join();
				from = cut;
			}
			this.webSocket.sendBinary(ByteBuffer.wrap(message, from, message.length - from), true).join();
		}));
	}

	/** Sends one binary message; a failure (the server may close while it is being sent) is ignored. */
	void sendIgnoringFailure(byte[] message) {
		try {
			send(message);
		}
		catch (AssertionError ex) {
			// expected when the server closes the connection because of this very message
		}
	}

	void sendText(String text) {
		await(this.sender.submit(() -> this.webSocket.sendText(text, true).join()));
	}

	/** Sends UTF8DATA with a fresh ack number and returns that number. */
	long sendUtf8(String text) {
		long ack = nextAck();
		send(CryoWire.utf8(this.sid, ack, text));
		return ack;
	}

	/** Sends BINARYDATA with a fresh ack number and returns that number. */
	long sendBinary(byte[] payload) {
		long ack = nextAck();
		send(CryoWire.binary(this.sid, ack, payload));
		return ack;
	}

	void sendClose(int code, String reason) {
		await(this.sender.submit(() -> this.webSocket.sendClose(code, reason).join()));
	}

	private static void await(java.util.concurrent.Future<?> future) {
		try {
			future.get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw new AssertionError("send failed", ex.getCause());
		}
		catch (InterruptedException | TimeoutException ex) {
			throw new AssertionError("send did not complete", ex);
		}
	}

	// ------------------------------------------------------------------ receiving

	/** Whether server pings are answered automatically and kept out of the inbox (default true). */
	void autoPong(boolean autoPong) {
		this.listener.autoPong = autoPong;
	}

	Frame next() {
		return next(TIMEOUT);
	}

	Frame next(Duration timeout) {
		Frame frame = poll(timeout);
		if (frame == null) {
			fail("no frame from the server within " + timeout.toMillis() + " ms (close: "
					+ (this.listener.closed.isDone() ? this.listener.closed.getNow(null) : "none") + ", received so far: "
					+ received() + ")");
		}
		return frame;
	}

	Frame poll(Duration timeout) {
		try {
			return this.listener.inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	Frame expect(int type) {
		Frame frame = next();
		assertThat(frame.type()).as("type of %s", frame).isEqualTo(type);
		return frame;
	}

	/** The next frame must be exactly the 13-byte ACK with this value and our sid (§4.3, §6.2). */
	Frame expectAck(long ack) {
		Frame frame = next();
		assertThat(frame.type()).as("expected ACK(%d) but got %s", ack, frame).isEqualTo(CryoWire.ACK);
		assertThat(frame.ack()).as("ack value of %s", frame).isEqualTo(ack);
		assertThat(frame.length()).as("ACK length").isEqualTo(13);
		return frame;
	}

	/** Reads frames until {@code done} holds for the collected list (or the timeout passes). */
	List<Frame> collectUntil(Predicate<List<Frame>> done, Duration timeout) {
		List<Frame> frames = new ArrayList<>();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!done.test(frames)) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				fail("condition not reached within " + timeout.toMillis() + " ms; collected " + frames + "; close: "
						+ (this.listener.closed.isDone() ? this.listener.closed.getNow(null) : "none"));
			}
			Frame frame = poll(Duration.ofNanos(left));
			if (frame != null) {
				frames.add(frame);
			}
		}
		return frames;
	}

	/** Collects exactly {@code count} frames. */
	List<Frame> take(int count) {
		return collectUntil((frames) -> frames.size() >= count, TIMEOUT);
	}

	/** Asserts that nothing (other than auto-answered pings) arrives for the given time. */
	void expectSilence(Duration duration) {
		Frame frame = poll(duration);
		assertThat(frame).as("unexpected frame from the server").isNull();
	}

	Close awaitClose() {
		return awaitClose(TIMEOUT);
	}

	Close awaitClose(Duration timeout) {
		try {
			return this.listener.closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new AssertionError("the server did not close the WebSocket within " + timeout.toMillis()
					+ " ms; received " + received());
		}
		catch (ExecutionException | CompletionException ex) {
			throw new AssertionError("WebSocket failed instead of closing", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	boolean isClosed() {
		return this.listener.closed.isDone();
	}

	/** Every frame received so far, pings included, in arrival order. */
	List<Frame> received() {
		synchronized (this.listener.received) {
			return new ArrayList<>(this.listener.received);
		}
	}

	/** Every server ping received so far (CAMP's 13-byte ones in a CAMP session). */
	List<Frame> pings() {
		return received().stream().filter(this.listener::isPing).toList();
	}

	/**
	 * Proves the session is alive and processing in order: sends a UTF-8 message and expects its
	 * ACK and its echo (the sample app echoes every message). Returns the echo.
	 */
	Frame assertEchoes(String text) {
		long ack = sendUtf8(text);
		List<Frame> frames = collectUntil((list) -> list.stream().anyMatch((f) -> f.isAck(ack))
				&& list.stream().anyMatch((f) -> f.is(CryoWire.UTF8DATA)), TIMEOUT);
		assertThat(frames).as("ACK(%d) and the echo, nothing else", ack).hasSize(2);
		Frame echo = frames.stream().filter((f) -> f.is(CryoWire.UTF8DATA)).findFirst().orElseThrow();
		assertThat(echo.text()).isEqualTo(text);
		send(CryoWire.ack(this.sid, echo.ack()));
		return echo;
	}

	// ------------------------------------------------------------------ closing

	@Override
	public void close() {
		try {
			if (!this.listener.closed.isDone()) {
				try {
					this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
					this.listener.closed.get(2, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					// the connection may already be gone; abort below
				}
			}
			this.webSocket.abort();
		}
		finally {
			this.sender.shutdownNow();
		}
		List<String> violations = this.listener.violations;
		synchronized (violations) {
			if (!violations.isEmpty()) {
				throw new AssertionError("server frames violated invariants of "
						+ ((this.listener.layout == Layout.CAMP) ? "camp.md" : "cryo-v1.md") + ": " + violations);
			}
		}
	}

	// ------------------------------------------------------------------ listener

	private static final class Listener implements WebSocket.Listener {

		private final long expectedSid;

		final LinkedBlockingQueue<Frame> inbox = new LinkedBlockingQueue<>();

		final List<Frame> received = Collections.synchronizedList(new ArrayList<>());

		final List<String> violations = Collections.synchronizedList(new ArrayList<>());

		final CompletableFuture<Close> closed = new CompletableFuture<>();

		volatile boolean autoPong = true;

		volatile CryoTestClient client;

		volatile Layout layout;

		private final ByteArrayOutputStream partialBinary = new ByteArrayOutputStream();

		private final StringBuilder partialText = new StringBuilder();

		Listener(long expectedSid, Layout layout) {
			this.expectedSid = expectedSid;
			this.layout = layout;
		}

		boolean isPing(Frame frame) {
			return (this.layout == Layout.CAMP) ? frame.isCampPing() : frame.isPing();
		}

		@Override
		public void onOpen(WebSocket webSocket) {
			webSocket.request(1);
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			byte[] chunk = new byte[data.remaining()];
			data.get(chunk);
			this.partialBinary.writeBytes(chunk);
			if (last) {
				byte[] message = this.partialBinary.toByteArray();
				this.partialBinary.reset();
				onMessage(webSocket, message);
			}
			webSocket.request(1);
			return null;
		}

		private void onMessage(WebSocket webSocket, byte[] message) {
			if (message.length < CryoWire.HEADER) {
				this.violations.add("message shorter than 13 bytes: " + CryoWire.hex(message));
				return;
			}
			Frame frame = CryoWire.decode(message);
			check(frame);
			this.received.add(frame);
			if (this.autoPong && isPing(frame)) {
				CryoTestClient owner = this.client;
				if (owner != null) {
					byte[] pong = (this.layout == Layout.CAMP) ? CryoWire.campPong(this.expectedSid)
							: CryoWire.pong(this.expectedSid, frame.ack());
					owner.sender.submit(() -> webSocket.sendBinary(ByteBuffer.wrap(pong), true).join());
				}
				return;
			}
			this.inbox.add(frame);
		}

		private void check(Frame frame) {
			if (frame.sid() != this.expectedSid) {
				this.violations.add("§4.1 frame carries sid " + CryoWire.sid(frame.sid()) + " instead of the session sid "
						+ CryoWire.sid(this.expectedSid) + ": " + frame);
			}
			Layout layout = this.layout;
			for (String problem : CryoWire.problems(frame.bytes(), layout)) {
				this.violations.add(problem + ": " + abbreviated(frame));
			}
			int type = frame.type();
			if (layout != Layout.CAMP && type == CryoWire.TX_CANCEL) {
				this.violations.add("§4.3 the server never sends TX_CANCEL: " + frame.hex());
			}
			if (layout == Layout.CRYO_PROTOCOL_1_4) {
				if (type == CryoWire.TX_FLOW || type == CryoWire.TX_PULL) {
					this.violations.add("§10.5 the server sends no TX_FLOW and no fetch to a cryo-protocol 1.4 peer: "
							+ frame.hex());
				}
				if (type == CryoWire.TX_START && frame.length() >= 21
						&& frame.startSize(layout) != CryoWire.UNKNOWN_SIZE) {
					this.violations.add("§10.5 the server's 1.4 TX_START has size -1: " + abbreviated(frame));
				}
			}
			if (layout == Layout.CAMP && type == CryoWire.TX_START && frame.length() >= 17
					&& frame.txid() != frame.ack()) {
				this.violations.add("camp.md §8 rule 5: the txid of the server's TX_START is its ack: "
						+ abbreviated(frame));
			}
		}

		private static String abbreviated(Frame frame) {
			return (frame.length() <= 64) ? frame.hex() : CryoWire.hex(Arrays.copyOf(frame.bytes(), 64)) + "… ("
					+ frame.length() + " bytes)";
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partialText.append(data);
			if (last) {
				this.violations.add("§1.3 the server sent a text message: " + this.partialText);
				this.partialText.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(new Close(statusCode, reason));
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.completeExceptionally(error);
		}

	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
