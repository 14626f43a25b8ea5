package dev.cryo.client;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.engine.CryoTransport;
import dev.cryo.core.engine.ProtocolSession;

/**
 * {@link CryoTransport} over a JDK {@link WebSocket}, and the listener that feeds what it reads
 * to the {@link ProtocolSession}. Reading is demand-driven: the next message is requested only
 * after the session handled the current one, so a slow consumer pushes back through TCP.
 * Partial messages are assembled up to the largest legal frame of the session's dialect;
 * anything larger closes the connection with 1009 instead of growing a buffer.
 */
final class JdkWebSocketTransport implements CryoTransport, WebSocket.Listener {

	private static final int INITIAL_ASSEMBLY_CAPACITY = 16 * 1024;

	private final Function<CryoTransport, ProtocolSession> sessionFactory;

	private final ScheduledExecutorService scheduler;

	private final Duration closeTimeout;

	/** The subprotocol the upgrade offered, which the server must have answered; null when none was offered. */
	private final @Nullable String requiredSubprotocol;

	/** Completes in {@link #onOpen} with the started session. */
	final CompletableFuture<ProtocolSession> opened = new CompletableFuture<>();

	private final AtomicBoolean closeSent = new AtomicBoolean();

	private final AtomicBoolean closeReported = new AtomicBoolean();

	private volatile @Nullable WebSocket webSocket;

	private volatile @Nullable ProtocolSession session;

	/** The message being assembled from parts; touched by the reading thread only. */
	private @Nullable ByteBuffer assembly;

	/** Skipping the rest of a message that was too large; touched by the reading thread only. */
	private boolean discarding;

	/**
	 * The largest message the session's codec accepts (16,777,237 bytes in Cryo v1, 1,048,597 in
	 * CAMP); set in {@link #onOpen} before the first message is requested.
	 */
	private int maxMessageLength;

	JdkWebSocketTransport(Function<CryoTransport, ProtocolSession> sessionFactory, ScheduledExecutorService scheduler,
			Duration closeTimeout, @Nullable String requiredSubprotocol) {
		this.sessionFactory = sessionFactory;
		this.scheduler = scheduler;
		this.closeTimeout = closeTimeout;
		this.requiredSubprotocol = requiredSubprotocol;
	}

	// ---- WebSocket.Listener: the reading side

	@Override
	public void onOpen(WebSocket webSocket) {
		this.webSocket = webSocket;
		String required = this.requiredSubprotocol;
		String answered = webSocket.getSubprotocol();
		if (required != null && !required.equals(answered)) {
			// The dialect is decided at the upgrade only: without the answer, nothing is sent.
			close(CloseCodes.NORMAL, "Subprotocol " + required + " not answered.");
			this.opened.completeExceptionally(new SubprotocolNotAnsweredException(required, answered));
			// Read on, so that the server's close frame ends the connection without the close timeout.
			webSocket.request(1);
			return;
		}
		ProtocolSession created;
		try {
			// The factory starts the session, so our ENDPOINT_INFO leaves before anything is read.
			created = this.sessionFactory.apply(this);
		}
		catch (RuntimeException ex) {
			webSocket.abort();
			this.opened.completeExceptionally(ex);
			return;
		}
		// Written before the volatile session, which the reading side reads first.
		this.maxMessageLength = created.dialect().codec().maxMessageLength();
		this.session = created;
		this.opened.complete(created);
		webSocket.request(1);
	}

	@Override
	public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		ProtocolSession target = this.session;
		if (this.discarding) {
			this.discarding = !last;
		}
		else if (target != null) {
			if (this.assembly == null && last && data.remaining() <= this.maxMessageLength) {
				// The common case: a whole message in one piece, handed over without a copy.
				target.receive(data);
			}
			else {
				assemble(target, data, last);
			}
		}
		webSocket.request(1);
		return null;
	}

	private void assemble(ProtocolSession target, ByteBuffer data, boolean last) {
		ByteBuffer buffer = this.assembly;
		int held = (buffer != null) ? buffer.position() : 0;
		long needed = (long) held + data.remaining();
		if (needed > this.maxMessageLength) {
			this.assembly = null;
			this.discarding = !last;
			target.closeNow(CloseCodes.MESSAGE_TOO_BIG, "Message too big.");
			return;
		}
		if (buffer == null || buffer.remaining() < data.remaining()) {
			int capacity = (int) Math.min(this.maxMessageLength,
					Math.max(needed, Math.max(INITIAL_ASSEMBLY_CAPACITY, 2L * held)));
			ByteBuffer grown = ByteBuffer.allocate(capacity);
			if (buffer != null) {
				grown.put(buffer.flip());
			}
			buffer = grown;
		}
		buffer.put(data);
		if (last) {
			this.assembly = null;
			target.receive(buffer.flip());
		}
		else {
			this.assembly = buffer;
		}
	}

	@Override
	public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		// Cryo ignores text messages (cryo-v1.md §4.5).
		webSocket.request(1);
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		// Returning null lets the JDK answer the peer's close frame with the same code.
		reportClosed(statusCode, reason);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		reportClosed(CloseCodes.ABNORMAL, "Connection lost: " + error.getClass().getSimpleName());
	}

	private void reportClosed(int code, String reason) {
		ProtocolSession target = this.session;
		if (target != null && this.closeReported.compareAndSet(false, true)) {
			target.transportClosed(code, reason);
		}
	}

	// ---- CryoTransport: the writing side

	@Override
	public void send(ByteBuffer message, SendCallback callback) {
		WebSocket target = this.webSocket;
		if (target == null) {
			callback.completed(new IllegalStateException("The WebSocket is not open"));
			return;
		}
		try {
			target.sendBinary(message, true).whenComplete((result, failure) -> callback.completed(failure));
		}
		catch (RuntimeException ex) {
			callback.completed(ex);
		}
	}

	@Override
	public void close(int code, String reason) {
		WebSocket target = this.webSocket;
		if (target == null || !this.closeSent.compareAndSet(false, true)) {
			return;
		}
		sendClose(target, code, reason).whenComplete((result, failure) -> {
			if (failure != null) {
				abort(target, code, reason);
			}
		});
		// The JDK waits for the peer's close frame; a peer that never sends one is cut off.
		this.scheduler.schedule(() -> abort(target, code, reason), this.closeTimeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	private CompletableFuture<WebSocket> sendClose(WebSocket target, int code, String reason) {
		try {
			return target.sendClose(code, reason).handle((result, failure) -> {
				if (failure instanceof IllegalArgumentException) {
					// The JDK refuses some codes from a client (1009, 1011, ...): say "normal" instead.
					return target.sendClose(CloseCodes.NORMAL, reason);
				}
				return (failure != null) ? CompletableFuture.<WebSocket>failedFuture(failure)
						: CompletableFuture.completedFuture(result);
			}).thenCompose((next) -> next);
		}
		catch (IllegalArgumentException ex) {
			return target.sendClose(CloseCodes.NORMAL, reason);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private void abort(WebSocket target, int code, String reason) {
		if (!this.closeReported.get()) {
			target.abort();
			// An aborted WebSocket reports nothing more: tell the session ourselves.
			reportClosed(code, reason);
		}
	}

	/** The server accepted the upgrade without answering the subprotocol that was offered. */
	static final class SubprotocolNotAnsweredException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final String offered;

		private final String answered;

		SubprotocolNotAnsweredException(String offered, String answered) {
			super("Subprotocol " + offered + " offered, '" + answered + "' answered", null, false, false);
			this.offered = offered;
			this.answered = answered;
		}

		String offered() {
			return this.offered;
		}

		String answered() {
			return this.answered;
		}

	}

}
