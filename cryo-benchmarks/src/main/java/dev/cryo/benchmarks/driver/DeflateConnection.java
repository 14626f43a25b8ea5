package dev.cryo.benchmarks.driver;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import org.jspecify.annotations.Nullable;

/**
 * A Cryo connection that offers permessage-deflate the way browsers and the {@code ws} library
 * do ({@code permessage-deflate; client_max_window_bits}), on Tomcat's Jakarta WebSocket client:
 * the JDK's client offers no extensions. It speaks the same lean Cryo as {@link LeanConnection}
 * (ENDPOINT_INFO, ACKs of tracked frames, pongs that copy the ping's ack) and hands the payload
 * of every data frame to a consumer. Whether the server accepted the offer is up to the server.
 */
final class DeflateConnection extends Endpoint {

	private static final int PING = 0x70696E67;

	private static final int PONG = 0x706F6E67;

	private static final ClientEndpointConfig OFFER = ClientEndpointConfig.Builder.create()
		.extensions(List.of(new Offer("permessage-deflate", List.of(new Parameter("client_max_window_bits", null)))))
		.build();

	private final long sid;

	private final AtomicInteger nextAck = new AtomicInteger();

	private final Map<Integer, CompletableFuture<Void>> awaitedAcks = new ConcurrentHashMap<>();

	private final CompletableFuture<DeflateConnection> ready = new CompletableFuture<>();

	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();

	private volatile Consumer<ByteBuffer> onData = (payload) -> {
	};

	private volatile @Nullable Session session;

	private boolean sending;

	private @Nullable ByteBuffer partial;

	private DeflateConnection(long sid) {
		this.sid = sid;
	}

	/**
	 * Opens a connection and waits until the Cryo session is ready (our ENDPOINT_INFO ACKed).
	 */
	static DeflateConnection open(WebSocketContainer container, int port, long sid)
			throws IOException, DeploymentException {
		DeflateConnection connection = new DeflateConnection(sid);
		URI uri = URI.create("ws://127.0.0.1:" + port + "/cryo?authorization=Bearer+bench&x-cryo-sid="
				+ Long.toUnsignedString(sid));
		container.connectToServer(connection, OFFER, uri);
		return connection.ready.orTimeout(60, TimeUnit.SECONDS).join();
	}

	/** Whether the server accepted permessage-deflate. */
	boolean compressed() {
		return !session().getNegotiatedExtensions().isEmpty();
	}

	void onData(Consumer<ByteBuffer> onData) {
		this.onData = onData;
	}

	/** Returns a buffer with a Cryo header written, positioned after it, {@code capacity} bytes long. */
	ByteBuffer frame(int type, int capacity) {
		ByteBuffer frame = ByteBuffer.allocate(capacity).order(ByteOrder.BIG_ENDIAN);
		frame.putLong(this.sid).put((byte) type).putInt(this.nextAck.getAndIncrement());
		return frame;
	}

	/** Queues one binary message; Tomcat's client takes one asynchronous send at a time. */
	void send(ByteBuffer message) {
		synchronized (this) {
			if (this.sending) {
				this.pending.add(message);
				return;
			}
			this.sending = true;
		}
		session().getAsyncRemote().sendBinary(message, this::sent);
	}

	private void sent(SendResult result) {
		if (!result.isOK()) {
			this.closed.complete(null);
			this.ready.completeExceptionally(result.getException());
			return;
		}
		ByteBuffer next;
		synchronized (this) {
			next = this.pending.poll();
			if (next == null) {
				this.sending = false;
				return;
			}
		}
		session().getAsyncRemote().sendBinary(next, this::sent);
	}

	CompletableFuture<Void> close() {
		Session current = this.session;
		if (current != null && current.isOpen()) {
			try {
				current.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
			}
			catch (IOException ex) {
				this.closed.complete(null);
			}
		}
		return this.closed;
	}

	private Session session() {
		Session current = this.session;
		if (current == null) {
			throw new IllegalStateException("not open");
		}
		return current;
	}

	@Override
	public void onOpen(Session session, EndpointConfig config) {
		this.session = session;
		session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) this::onBinary);
		// Our ENDPOINT_INFO right away, without waiting for the server's (cryo-v1.md §3).
		ByteBuffer info = frame(LeanConnection.ENDPOINT_INFO, 25).putInt(1).putLong(1L).flip();
		CompletableFuture<Void> acked = new CompletableFuture<>();
		this.awaitedAcks.put(info.getInt(9), acked);
		acked.thenRun(() -> this.ready.complete(this));
		send(info);
	}

	private void onBinary(ByteBuffer data, boolean last) {
		ByteBuffer message = data;
		if (!last || this.partial != null) {
			ByteBuffer buffer = this.partial;
			if (buffer == null || buffer.remaining() < data.remaining()) {
				ByteBuffer grown = ByteBuffer.allocate(Math.max(64 * 1024,
						2 * (((buffer != null) ? buffer.position() : 0) + data.remaining())));
				if (buffer != null) {
					grown.put(buffer.flip());
				}
				buffer = grown;
			}
			buffer.put(data);
			if (!last) {
				this.partial = buffer;
				return;
			}
			this.partial = null;
			message = buffer.flip();
		}
		receiveFrame(message);
	}

	private void receiveFrame(ByteBuffer message) {
		if (message.remaining() < 13) {
			return;
		}
		int start = message.position();
		int type = message.get(start + 8) & 0xFF;
		int ack = message.getInt(start + 9);
		switch (type) {
			case LeanConnection.ACK -> {
				CompletableFuture<Void> awaited = this.awaitedAcks.remove(ack);
				if (awaited != null) {
					awaited.complete(null);
				}
			}
			case LeanConnection.PING_PONG -> {
				if (message.getInt(start + 13) == PING) {
					send(header(LeanConnection.PING_PONG, ack, 17).putInt(PONG).flip());
				}
			}
			case LeanConnection.BINARYDATA, LeanConnection.UTF8DATA -> {
				acknowledge(ack);
				this.onData.accept(message.position(start + 13));
			}
			case LeanConnection.ENDPOINT_INFO, LeanConnection.ERROR, LeanConnection.BYE -> acknowledge(ack);
			default -> {
				// Transactions: this client starts none.
			}
		}
	}

	private void acknowledge(int ack) {
		send(header(LeanConnection.ACK, ack, 13).flip());
	}

	private ByteBuffer header(int type, int ack, int capacity) {
		return ByteBuffer.allocate(capacity).putLong(this.sid).put((byte) type).putInt(ack);
	}

	@Override
	public void onClose(Session session, CloseReason closeReason) {
		this.closed.complete(null);
		this.ready.completeExceptionally(new IllegalStateException("closed " + closeReason));
	}

	@Override
	public void onError(Session session, Throwable failure) {
		this.closed.complete(null);
		this.ready.completeExceptionally(failure);
	}

	private record Offer(String getName, List<Extension.Parameter> getParameters) implements Extension {
	}

	private record Parameter(String getName, @Nullable String getValue) implements Extension.Parameter {
	}

}
