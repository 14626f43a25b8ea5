package dev.cryo.test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.codec.WireCodec;
import dev.cryo.core.dialect.camp.CampCodec;
import dev.cryo.core.dialect.v1.CryoV1Codec;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TransactionLayout;

/**
 * A deliberately thin Cryo peer for tests: a real JDK WebSocket that sends exactly the bytes it
 * is given and records every frame and the close it receives. It does nothing on its own (no
 * ACKs, no pongs) unless a test asks for it, so tests can check each protocol rule by hand.
 * Frames it cannot build with the codec come from {@link RawFrames} and {@link RawCampFrames}.
 *
 * <p>A client speaks one {@linkplain Wire wire}: Cryo v1 in the seed layout unless told
 * otherwise, Cryo v1 read in the cryo-protocol 1.4 layouts (the published 1.4 client generation),
 * or CAMP ({@link #connectCamp}).
 *
 * <pre class="code">
 * try (RawCryoClient client = RawCryoClient.connect(port, "/cryo", "secret", RawFrames.newSid())) {
 *     client.handshake();
 *     client.sendRaw(RawFrames.unknownType(client.sid(), 0x42));
 *     RawCryoClient.Close close = client.awaitClose();
 * }
 * </pre>
 */
public final class RawCryoClient implements AutoCloseable {

	private static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

	/** One client (one selector thread) for all plain connections of a test run. */
	private static final HttpClient SHARED_HTTP_CLIENT = HttpClient.newHttpClient();

	private final WebSocket webSocket;

	private final SessionId sid;

	private final Wire wire;

	private final BlockingQueue<Frame> frames;

	private final CompletableFuture<Close> closed;

	private final Recorder recorder;

	private RawCryoClient(WebSocket webSocket, SessionId sid, Wire wire, Recorder recorder) {
		this.webSocket = webSocket;
		this.sid = sid;
		this.wire = wire;
		this.frames = recorder.frames;
		this.closed = recorder.closed;
		this.recorder = recorder;
	}

	/**
	 * Opens a WebSocket to {@code ws://localhost:port/path?authorization=Bearer+token&x-cryo-sid=sid}.
	 * @param port the server's port
	 * @param path the endpoint's path
	 * @param token the bearer token
	 * @param sid the session id, sent as it reads ({@link SessionId#toString()})
	 * @return the client; the server's ENDPOINT_INFO is the first frame waiting
	 */
	public static RawCryoClient connect(int port, String path, String token, SessionId sid) {
		String query = "authorization=" + URLEncoder.encode("Bearer " + token, StandardCharsets.UTF_8) + "&x-cryo-sid="
				+ sid;
		return connect(URI.create("ws://localhost:" + port + path + "?" + query), sid);
	}

	/**
	 * Opens a WebSocket to the given URI.
	 * @param uri the upgrade URI with its query
	 * @param sid what the frames the client sends will carry
	 * @return the client
	 */
	public static RawCryoClient connect(URI uri, SessionId sid) {
		return connect(uri, sid, SHARED_HTTP_CLIENT);
	}

	/**
	 * Opens a WebSocket with the given HTTP client (e.g. one that trusts a test certificate for
	 * {@code wss://}).
	 * @param uri the upgrade URI with its query
	 * @param sid what the frames the client sends will carry
	 * @param httpClient the HTTP client
	 * @return the client
	 */
	public static RawCryoClient connect(URI uri, SessionId sid, HttpClient httpClient) {
		return connect(uri, sid, httpClient, Wire.CRYO_V1, List.of());
	}

	/**
	 * Opens a WebSocket that speaks the given wire, offering the given subprotocols.
	 * @param uri the upgrade URI with its query
	 * @param sid what the frames the client sends will carry
	 * @param wire how frames are read and written
	 * @param subprotocols the values of {@code Sec-WebSocket-Protocol}, in order; none for no header
	 * @return the client
	 */
	public static RawCryoClient connect(URI uri, SessionId sid, Wire wire, List<String> subprotocols) {
		return connect(uri, sid, SHARED_HTTP_CLIENT, wire, subprotocols);
	}

	/**
	 * Opens a WebSocket with the given HTTP client that speaks the given wire, offering the
	 * given subprotocols.
	 * @param uri the upgrade URI with its query
	 * @param sid what the frames the client sends will carry
	 * @param httpClient the HTTP client
	 * @param wire how frames are read and written
	 * @param subprotocols the values of {@code Sec-WebSocket-Protocol}, in order; none for no header
	 * @return the client
	 */
	public static RawCryoClient connect(URI uri, SessionId sid, HttpClient httpClient, Wire wire,
			List<String> subprotocols) {
		Recorder recorder = new Recorder(new LinkedBlockingQueue<>(), new CompletableFuture<>(), wire);
		WebSocket.Builder builder = httpClient.newWebSocketBuilder().connectTimeout(DEFAULT_WAIT);
		if (!subprotocols.isEmpty()) {
			builder.subprotocols(subprotocols.get(0),
					subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
		}
		WebSocket webSocket = builder.buildAsync(uri, recorder).orTimeout(10, TimeUnit.SECONDS).join();
		return new RawCryoClient(webSocket, sid, wire, recorder);
	}

	/**
	 * Opens a CAMP WebSocket the way the published CAMP clients do (camp.md §1): the session id in
	 * {@code x-CAMP-sid}, no subprotocol offered, frames in the CAMP layout.
	 * @param port the server's port
	 * @param path the endpoint's path
	 * @param token the bearer token
	 * @param sid the session id
	 * @return the client; the server's ENDPOINT_INFO is the first frame waiting
	 */
	public static RawCryoClient connectCamp(int port, String path, String token, SessionId sid) {
		String query = "authorization=" + URLEncoder.encode("Bearer " + token, StandardCharsets.UTF_8) + "&x-CAMP-sid="
				+ sid;
		return connect(URI.create("ws://localhost:" + port + path + "?" + query), sid, Wire.CAMP, List.of());
	}

	/**
	 * Returns the subprotocol the server answered in its 101.
	 * @return the subprotocol, empty when the response had none
	 */
	public String subprotocol() {
		return this.webSocket.getSubprotocol();
	}

	/**
	 * Returns how this client reads and writes frames.
	 * @return the wire
	 */
	public Wire wire() {
		return this.wire;
	}

	/**
	 * Stops reading from the socket after the message being received, like a peer that stalls:
	 * TCP flow control then pushes back on the server.
	 */
	public void pauseReading() {
		this.recorder.paused = true;
	}

	/**
	 * Hands every frame received from now on to {@code handler} instead of queueing it for
	 * {@link #next()}: on the WebSocket's listener thread, one at a time, in arrival order, and the
	 * socket is read no faster than the handler returns. For tests that receive more data than
	 * they should keep in memory. {@code null} goes back to queueing. A handler that throws keeps
	 * the socket being read; its first failure is kept for {@link #handlerFailure()}.
	 * @param handler the handler, or {@code null}
	 */
	public void onFrame(@Nullable Consumer<Frame> handler) {
		this.recorder.handler = handler;
	}

	/**
	 * Returns the first exception a {@linkplain #onFrame(Consumer) frame handler} threw.
	 * @return the exception, or {@code null}
	 */
	public @Nullable Throwable handlerFailure() {
		return this.recorder.handlerFailure.get();
	}

	/** Reads again after {@link #pauseReading()}. */
	public void resumeReading() {
		this.recorder.paused = false;
		if (this.recorder.requestOwed.compareAndSet(true, false)) {
			this.webSocket.request(1);
		}
	}

	/**
	 * Runs the opening of cryo-v1.md §3: takes the server's ENDPOINT_INFO, sends this client's
	 * (ack 0, version 1, transactions), expects the ACK and confirms the server's frame.
	 * @return the server's ENDPOINT_INFO
	 */
	public EndpointInfoFrame handshake() {
		EndpointInfoFrame serverInfo = next(EndpointInfoFrame.class);
		send(new EndpointInfoFrame(this.sid, 0, EndpointInfoFrame.PROTOCOL_VERSION,
				EndpointInfoFrame.FEATURE_TRANSACTIONS));
		AckFrame ack = next(AckFrame.class);
		if (ack.ack() != 0) {
			throw new AssertionError("Expected ACK 0 for ENDPOINT_INFO, got " + ack);
		}
		send(new AckFrame(this.sid, serverInfo.ack()));
		return serverInfo;
	}

	/**
	 * Runs the opening of cryo-v1.md §3 while answering heartbeat pings, which may arrive at any
	 * point when the interval is short.
	 * @param ackServerInfo whether to ACK the server's ENDPOINT_INFO (that ACK is the first RTT
	 * sample)
	 * @return the server's ENDPOINT_INFO
	 */
	public EndpointInfoFrame handshakeAnsweringPings(boolean ackServerInfo) {
		Frame first = nextIgnoringPings();
		if (!(first instanceof EndpointInfoFrame serverInfo)) {
			throw new AssertionError("Expected the server's ENDPOINT_INFO but received " + first);
		}
		send(new EndpointInfoFrame(this.sid, 0, EndpointInfoFrame.PROTOCOL_VERSION,
				EndpointInfoFrame.FEATURE_TRANSACTIONS));
		Frame ack = nextIgnoringPings();
		if (!new AckFrame(this.sid, 0).equals(ack)) {
			throw new AssertionError("Expected ACK 0 for the client's ENDPOINT_INFO but received " + ack);
		}
		if (ackServerInfo) {
			send(new AckFrame(this.sid, serverInfo.ack()));
		}
		return serverInfo;
	}

	/** Sends one frame as one binary message and waits until the JDK has written it. */
	public RawCryoClient send(Frame frame) {
		if (frame instanceof ByeFrame) {
			// The server ACKs a BYE and closes at once; the JDK may then fail the send's own
			// future with "Output closed" although the frame went out.
			synchronized (this) {
				this.webSocket.sendBinary(this.wire.encode(frame), true)
					.handle((sent, failure) -> null)
					.orTimeout(10, TimeUnit.SECONDS)
					.join();
			}
			return this;
		}
		return sendRaw(this.wire.encode(frame));
	}

	/** Sends arbitrary bytes as one binary message. */
	public RawCryoClient sendRaw(byte[] message) {
		return sendRaw(ByteBuffer.wrap(message));
	}

	/** Sends arbitrary bytes as one binary message. */
	public synchronized RawCryoClient sendRaw(ByteBuffer message) {
		this.webSocket.sendBinary(message, true).orTimeout(10, TimeUnit.SECONDS).join();
		return this;
	}

	/**
	 * Sends one part of a binary message, without waiting: a large message can be sent in parts
	 * interleaved with other connections' parts. Send the next part once the future completed.
	 * @param part the bytes of this part
	 * @param last whether this part ends the message
	 * @return completes when the JDK has written the part; fails when the connection is closed
	 */
	public CompletableFuture<WebSocket> sendPart(ByteBuffer part, boolean last) {
		return this.webSocket.sendBinary(part, last);
	}

	/** Sends a text message (Cryo servers must ignore it). */
	public synchronized RawCryoClient sendText(String text) {
		this.webSocket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
		return this;
	}

	/** Returns the next received frame, failing after five seconds. */
	public Frame next() {
		return next(DEFAULT_WAIT);
	}

	/** Returns the next received frame, failing after the given time. */
	public Frame next(Duration wait) {
		try {
			Frame frame = this.frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
			if (frame == null) {
				throw new AssertionError("No frame within " + wait.toMillis() + " ms" + closeDescription());
			}
			return frame;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** Returns the next received frame, which must be of the given type. */
	public <T extends Frame> T next(Class<T> type) {
		Frame frame = next();
		if (!type.isInstance(frame)) {
			throw new AssertionError("Expected " + type.getSimpleName() + " but received " + frame);
		}
		return type.cast(frame);
	}

	/** Skips heartbeat pings (answering them) and returns the next other frame. */
	public Frame nextIgnoringPings() {
		while (true) {
			Frame frame = next();
			if (frame instanceof PingPongFrame ping && ping.isPing()) {
				send(PingPongFrame.pong(this.sid, ping.ack()));
				continue;
			}
			return frame;
		}
	}

	/** Returns the frame received within the given time, or {@code null} if none was. */
	public @Nullable Frame poll(Duration wait) {
		try {
			return this.frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** Waits for the server to close the connection and returns its close code and reason. */
	public Close awaitClose() {
		return awaitClose(Duration.ofSeconds(10));
	}

	/** Waits for the server to close the connection and returns its close code and reason. */
	public Close awaitClose(Duration wait) {
		return this.closed.orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS).join();
	}

	/** Returns whether the server has closed the connection. */
	public boolean isClosed() {
		return this.closed.isDone();
	}

	/** The sid this client puts in its frames. */
	public SessionId sid() {
		return this.sid;
	}

	/** Sends a WebSocket close frame. */
	public void closeWebSocket(int code, String reason) {
		this.webSocket.sendClose(code, reason).orTimeout(10, TimeUnit.SECONDS).join();
	}

	/** Drops the TCP connection without a close frame. */
	public void abort() {
		this.webSocket.abort();
	}

	@Override
	public void close() {
		if (!this.webSocket.isOutputClosed()) {
			this.webSocket.abort();
		}
	}

	private String closeDescription() {
		return this.closed.isDone() ? " (connection closed: " + this.closed.join() + ")" : "";
	}

	/** The close code and reason the server sent. */
	public record Close(int code, String reason) {
	}

	/**
	 * How a raw client reads and writes frames: the codec of its dialect, and the transaction
	 * layout it decodes transaction frames in. Frames are encoded in their own layout, with the
	 * ack number (the txid of a TX_CHUNK) they carry.
	 *
	 * @param codec the dialect's codec
	 * @param layout the layout received transaction frames are read in
	 */
	public record Wire(WireCodec codec, TransactionLayout layout) {

		/** Cryo v1 in the seed layout (a 1.4 TX_START of unknown size is recognised, cryo-v1.md §10.5 rule 3). */
		public static final Wire CRYO_V1 = new Wire(CryoV1Codec.INSTANCE, TransactionLayout.SEED);

		/** Cryo v1 as the published 1.4 client generation reads it (cryo-v1.md §10.5, §16). */
		public static final Wire CRYO_PROTOCOL_1_4 = new Wire(CryoV1Codec.INSTANCE, TransactionLayout.CRYO_PROTOCOL_1_4);

		/** CAMP (camp.md §4). */
		public static final Wire CAMP = new Wire(CampCodec.INSTANCE, TransactionLayout.CAMP);

		public Wire {
			Objects.requireNonNull(codec, "codec");
			Objects.requireNonNull(layout, "layout");
		}

		/**
		 * Decodes one message.
		 * @param message the bytes of one binary message
		 * @return the frame
		 */
		public Frame decode(byte[] message) {
			return this.codec.decode(ByteBuffer.wrap(message), this.layout);
		}

		/**
		 * Encodes a frame with the ack number it carries.
		 * @param frame the frame
		 * @return the message
		 */
		public ByteBuffer encode(Frame frame) {
			return this.codec.encode(frame, Frame.headerNumber(frame));
		}


	}

	/** Collects whole binary messages, decodes them and records the close. */
	private static final class Recorder implements WebSocket.Listener {

		private final BlockingQueue<Frame> frames;

		private final CompletableFuture<Close> closed;

		private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

		private volatile boolean paused;

		private volatile @Nullable Consumer<Frame> handler;

		private final AtomicReference<Throwable> handlerFailure = new AtomicReference<>();

		private final AtomicBoolean requestOwed = new AtomicBoolean();

		private final Wire wire;

		Recorder(BlockingQueue<Frame> frames, CompletableFuture<Close> closed, Wire wire) {
			this.frames = frames;
			this.closed = closed;
			this.wire = wire;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			byte[] bytes = new byte[data.remaining()];
			data.get(bytes);
			this.partial.writeBytes(bytes);
			if (last) {
				byte[] message = this.partial.toByteArray();
				this.partial.reset();
				Frame frame = this.wire.decode(message);
				Consumer<Frame> handler = this.handler;
				if (handler == null) {
					this.frames.add(frame);
				}
				else {
					try {
						handler.accept(frame);
					}
					catch (RuntimeException | Error ex) {
						this.handlerFailure.compareAndSet(null, ex);
					}
				}
			}
			if (this.paused) {
				this.requestOwed.set(true);
				// A resume between the check and the flag must not leave the socket unread.
				if (!this.paused && this.requestOwed.compareAndSet(true, false)) {
					webSocket.request(1);
				}
			}
			else {
				webSocket.request(1);
			}
			return null;
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			throw new AssertionError("A Cryo server must never send text messages, received: " + data);
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(new Close(statusCode, reason));
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.complete(new Close(1006, String.valueOf(error)));
		}

	}

}
