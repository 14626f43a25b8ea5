package dev.cryo.core.session;

import java.lang.System.Logger.Level;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.codec.WireCodec;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.FrameDispatcher;
import dev.cryo.core.dialect.MessageTransform;
import dev.cryo.core.dialect.SessionContext;
import dev.cryo.core.dialect.SessionPolicy;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TxCancelFrame;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.core.session.CloseInfo.Initiator;
import dev.cryo.core.transaction.IncomingStream;
import dev.cryo.core.transaction.StreamSource;
import dev.cryo.core.transaction.TransactionChannel;
import dev.cryo.core.transaction.TransactionManager;

/**
 * One endpoint of one Cryo v1 connection: everything cryo-v1.md asks of "an endpoint", written
 * once for the server and the client.
 *
 * <p>The owner feeds it received messages ({@link #receive}) in arrival order from one thread
 * at a time, reports the end of the connection ({@link #transportClosed}), and drives the
 * heartbeat ({@link #heartbeatTick}). Sends are thread-safe, never block, and return futures
 * that complete when the peer ACKs the frame and fail, never hang, on ack timeout or close.
 */
public final class ProtocolSession {

	/** BYE and close reason for a peer that stopped answering pings (§7). */
	public static final String DEAD_PEER_REASON = "Disconnecting session due to not responding to ping frames.";

	private static final System.Logger logger = System.getLogger(ProtocolSession.class.getName());

	/** Which end of the connection this session is; it only changes how the peer is named. */
	public enum Role {

		/** The side that accepted the WebSocket upgrade. */
		SERVER("Client", "client"),

		/** The side that requested the upgrade. */
		CLIENT("Server", "server");

		private final String peerTitle;

		private final String peerNoun;

		Role(String peerTitle, String peerNoun) {
			this.peerTitle = peerTitle;
			this.peerNoun = peerNoun;
		}

	}

	private final long sid;

	private final Role role;

	private final CryoTransport transport;

	private final ProtocolHandler handler;

	private final SessionOptions options;

	private final ScheduledExecutorService scheduler;

	private final CryoDialect dialect;

	private final WireCodec codec;

	private final SessionPolicy policy;

	private final FrameDispatcher dispatcher;

	/** The dialect's per-session layer, or {@code null}: checked once per received message. */
	private final @Nullable MessageTransform transform;

	private final Context context = new Context();

	private final AckTracker acks;

	private final SendQueue sendQueue;

	private final TransactionManager transactions;

	private final SessionObserver observer;

	private final AtomicLong bytesSent = new AtomicLong();

	private final AtomicLong bytesReceived = new AtomicLong();

	private final AtomicLong framesDropped = new AtomicLong();

	private final AtomicBoolean ackTimerArmed = new AtomicBoolean();

	private final AtomicReference<@Nullable CloseInfo> closeDecision = new AtomicReference<>();

	private final AtomicBoolean closedReported = new AtomicBoolean();

	private final CompletableFuture<Void> readiness = new CompletableFuture<>();

	private final AtomicReference<SessionState> state = new AtomicReference<>(SessionState.HANDSHAKING);

	/** Set once the connection is being torn down without a goodbye: nothing received matters any more. */
	private volatile boolean discardIncoming;

	private volatile @Nullable ScheduledFuture<?> closeTimer;

	private volatile long peerFlags;

	private volatile boolean peerAlive = true;

	/** The version of the peer's first ENDPOINT_INFO, or -1 before it arrives. */
	private volatile long peerVersion = -1;

	/** When the peer's last ping arrived, or when the session was created: what a client watches. */
	private volatile long lastPingNanos = System.nanoTime();

	private volatile @Nullable ScheduledFuture<?> endpointInfoTimer;

	/** Touched only by the receiving thread. */
	private int malformedFrames;

	/**
	 * Creates a session; nothing is sent until {@link #start()}.
	 * @param sid the session id, an unsigned 64-bit value
	 * @param role which end of the connection this is
	 * @param dialect the wire dialect the upgrade chose
	 * @param transport the connection
	 * @param handler receives what the peer does
	 * @param options timings and limits
	 * @param scheduler shared timer for ack timeouts and the handshake deadline
	 */
	public ProtocolSession(long sid, Role role, CryoDialect dialect, CryoTransport transport, ProtocolHandler handler,
			SessionOptions options, ScheduledExecutorService scheduler) {
		this(sid, role, dialect, transport, handler, options, scheduler, TransactionManager.sharedExecutor());
	}

	/**
	 * Creates a session; nothing is sent until {@link #start()}.
	 * @param sid the session id, an unsigned 64-bit value
	 * @param role which end of the connection this is
	 * @param dialect the wire dialect the upgrade chose
	 * @param transport the connection
	 * @param handler receives what the peer does
	 * @param options timings and limits
	 * @param scheduler shared timer for ack timeouts and the handshake deadline
	 * @param streamExecutor runs the blocking work of transactions: reading sources, serving pulls
	 */
	public ProtocolSession(long sid, Role role, CryoDialect dialect, CryoTransport transport, ProtocolHandler handler,
			SessionOptions options, ScheduledExecutorService scheduler, Executor streamExecutor) {
		this(sid, role, dialect, transport, handler, options, scheduler, streamExecutor, SessionObserver.NOOP);
	}

	/**
	 * Creates a session that reports its traffic to an observer; nothing is sent until
	 * {@link #start()}.
	 * @param sid the session id, an unsigned 64-bit value
	 * @param role which end of the connection this is
	 * @param dialect the wire dialect the upgrade chose
	 * @param transport the connection
	 * @param handler receives what the peer does
	 * @param options timings and limits
	 * @param scheduler shared timer for ack timeouts and the handshake deadline
	 * @param streamExecutor runs the blocking work of transactions: reading sources, serving pulls
	 * @param observer told about frames, drops, ack timeouts and round trips (metrics);
	 * {@link SessionObserver#NOOP} for none
	 */
	public ProtocolSession(long sid, Role role, CryoDialect dialect, CryoTransport transport, ProtocolHandler handler,
			SessionOptions options, ScheduledExecutorService scheduler, Executor streamExecutor,
			SessionObserver observer) {
		this.observer = Objects.requireNonNull(observer, "observer");
		this.dialect = Objects.requireNonNull(dialect, "dialect");
		this.codec = dialect.codec();
		this.policy = dialect.policy();
		this.dispatcher = this.policy.dispatcher();
		this.transform = dialect.newMessageTransform();
		this.sid = sid;
		this.role = Objects.requireNonNull(role, "role");
		this.transport = Objects.requireNonNull(transport, "transport");
		this.handler = Objects.requireNonNull(handler, "handler");
		this.options = Objects.requireNonNull(options, "options");
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
		this.acks = new AckTracker(options.ackTimeout(), observer);
		CryoTransport wire = (this.transform != null) ? new TransformingTransport(transport, this.transform) : transport;
		this.sendQueue = new SendQueue(ObservedTransport.of(wire, observer, this.codec), options.backpressure(),
				new QueueListener());
		this.transactions = new TransactionManager(new Channel(), options.transactions(), streamExecutor, scheduler);
	}

	/**
	 * Opens the session the way its dialect does: in Cryo v1 it sends this endpoint's
	 * ENDPOINT_INFO (version 1, transactions) and starts the deadline for the peer's.
	 * @return completes when the peer ACKs this endpoint's opening frame (at once for a dialect
	 * without one); a client waits for it before it calls the connection established (cryo-v1.md
	 * §3 item 5)
	 */
	public CompletableFuture<Void> start() {
		CompletableFuture<Void> acknowledged = new CompletableFuture<>();
		Frame opening = this.policy.openingFrame(this.sid);
		if (opening != null) {
			sendTracked(opening, acknowledged, true);
		}
		else {
			acknowledged.complete(null);
		}
		if (!this.policy.awaitsPeerOpening()) {
			opened(0);
			return acknowledged;
		}
		long timeout = this.options.endpointInfoTimeout().toNanos();
		if (timeout > 0) {
			this.endpointInfoTimer = this.scheduler.schedule(this::endpointInfoTimedOut, timeout, TimeUnit.NANOSECONDS);
		}
		return acknowledged;
	}

	// ---- receiving

	/**
	 * Handles one received binary message. Must be called for one session from one thread at a
	 * time, in arrival order.
	 * @param message one complete WebSocket binary message; read during the call only
	 */
	public void receive(ByteBuffer message) {
		if (this.discardIncoming || this.state.get() == SessionState.CLOSED) {
			return;
		}
		int length = message.remaining();
		this.bytesReceived.addAndGet(length);
		if (this.transform != null) {
			ByteBuffer plain = this.transform.inbound(message);
			if (plain == null) {
				return;
			}
			message = plain;
		}
		Frame frame;
		try {
			frame = this.codec.decode(message);
		}
		catch (CryoFrameException ex) {
			this.observer.malformedFrameReceived(length);
			rejected(ex);
			return;
		}
		this.observer.frameReceived(frame.type(), length);
		if (frame.sid() != this.sid) {
			logger.log(Level.DEBUG, () -> "Session " + id() + " received a frame with foreign sid "
					+ Long.toUnsignedString(frame.sid()));
		}
		try {
			this.dispatcher.dispatch(frame, this.context);
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING, "Handling " + frame.type() + " of session " + id() + " failed", ex);
		}
	}

	private void rejected(CryoFrameException ex) {
		if (!ex.rule().isMalformed()) {
			closeNow(CloseCodes.MESSAGE_TOO_BIG, "Payload too large.");
			return;
		}
		this.malformedFrames++;
		logger.log(Level.DEBUG, () -> "Session " + id() + ": " + ex.getMessage());
		if (this.malformedFrames >= this.options.maxMalformedFrames()) {
			closeNow(CloseCodes.CLIENT_ERROR, "Too many malformed frames.");
		}
		else {
			sendTracked(new ErrorFrame(this.sid, 0, ex.peerMessage()), null, false);
		}
	}

	/** The session opens once; a session lost or closed meanwhile stays as it is. */
	private void opened(long flags) {
		this.peerFlags = flags;
		cancelEndpointInfoTimer();
		if (this.state.compareAndSet(SessionState.HANDSHAKING, SessionState.OPEN)) {
			this.handler.onReady(this);
			this.readiness.complete(null);
		}
	}

	/**
	 * Reports that the connection is closed, by either side. Fails every pending send and
	 * reports the close to the handler, once.
	 * @param code the close code the transport saw
	 * @param reason the close reason the transport saw
	 */
	public void transportClosed(int code, String reason) {
		if (!this.closedReported.compareAndSet(false, true)) {
			return;
		}
		this.state.set(SessionState.CLOSED);
		cancelEndpointInfoTimer();
		ScheduledFuture<?> timer = this.closeTimer;
		if (timer != null) {
			timer.cancel(false);
		}
		// Recording the peer's close also keeps any later close() from reopening the decision.
		this.closeDecision.compareAndSet(null, new CloseInfo(code, reason, Initiator.PEER));
		CloseInfo closeInfo = this.closeDecision.get();
		this.sendQueue.close(this::closedFailure);
		CryoSessionClosedException closedException = new CryoSessionClosedException(this.sid,
				"closed with " + closeInfo.code() + " " + closeInfo.reason());
		this.acks.failAll(closedException);
		this.transactions.closeAll(closedException);
		this.readiness.completeExceptionally(closedException);
		try {
			this.handler.onClosed(this, closeInfo);
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING, "Close handler of session " + id() + " failed", ex);
		}
	}

	// ---- sending

	/**
	 * Sends a UTF8DATA frame.
	 * @param text the message
	 * @return completes when the peer ACKs the frame
	 * @throws CryoFrameException when the text is larger than 16 MiB of UTF-8, before anything is queued
	 */
	public CompletableFuture<Void> sendUtf8(String text) {
		return sendUtf8(text, null);
	}

	/**
	 * Sends a UTF8DATA frame that the {@code dedupe-latest} policy replaces when a newer frame
	 * with the same key is sent before it left the queue (latest-value semantics).
	 * @param text the message
	 * @param dedupeKey the key, or {@code null} to key on the payload
	 * @return completes when the peer ACKs the frame; fails with
	 * {@link CryoFrameDroppedException} if the frame is dropped or replaced
	 */
	public CompletableFuture<Void> sendUtf8(String text, @Nullable Object dedupeKey) {
		return sendDroppable(Utf8DataFrame.of(this.sid, 0, text), dedupeKey);
	}

	/**
	 * Sends a BINARYDATA frame. The bytes are copied before this method returns.
	 * @param payload the remaining bytes are sent
	 * @return completes when the peer ACKs the frame
	 * @throws CryoFrameException when the payload is larger than 16 MiB, before anything is queued
	 */
	public CompletableFuture<Void> sendBinary(ByteBuffer payload) {
		return sendBinary(payload, null);
	}

	/**
	 * Sends a BINARYDATA frame with a dedupe key for the {@code dedupe-latest} policy.
	 * @param payload the remaining bytes are sent (copied before this method returns)
	 * @param dedupeKey the key, or {@code null} to key on the payload
	 * @return completes when the peer ACKs the frame
	 */
	public CompletableFuture<Void> sendBinary(ByteBuffer payload, @Nullable Object dedupeKey) {
		return sendDroppable(new BinaryDataFrame(this.sid, 0, payload), dedupeKey);
	}

	private CompletableFuture<Void> sendDroppable(Frame frame, @Nullable Object dedupeKey) {
		CompletableFuture<Void> acknowledged = new CompletableFuture<>();
		sendTracked(frame, acknowledged, false, dedupeKey);
		return acknowledged;
	}

	/**
	 * Sends an ERROR frame.
	 * @param message the text
	 * @return completes when the peer ACKs the frame
	 * @throws CryoFrameException when the text is larger than 16 MiB of UTF-8, before anything is queued
	 */
	public CompletableFuture<Void> sendError(String message) {
		return sendTracked(new ErrorFrame(this.sid, 0, message));
	}

	/**
	 * Sends a tracked frame built by the caller; its ack field is replaced by the next number.
	 * @param frame a frame of a {@linkplain dev.cryo.core.frame.FrameType#isTracked() tracked} type
	 * @return completes when the peer ACKs the frame
	 */
	public CompletableFuture<Void> sendTracked(Frame frame) {
		if (!this.policy.isTracked(frame.type())) {
			throw new IllegalArgumentException(frame.type() + " is not a tracked frame type");
		}
		CompletableFuture<Void> acknowledged = new CompletableFuture<>();
		sendTracked(frame, acknowledged, false);
		return acknowledged;
	}

	/**
	 * Sends a ping (in Cryo v1 with a fresh, untracked ack number); the answer marks the peer
	 * alive.
	 */
	public void ping() {
		if (isOpenForSending()) {
			enqueue(PingPongFrame.ping(this.sid, 0), this.policy.pingCarriesAck() ? this.acks.next() : 0, false);
		}
	}

	private void sendInternalError(String message) {
		sendTracked(new ErrorFrame(this.sid, 0, message), null, false);
	}

	private void acknowledge(int ack) {
		enqueue(new AckFrame(this.sid, ack), ack, false);
	}

	private void sendTracked(Frame frame, @Nullable CompletableFuture<Void> acknowledged, boolean whileClosing) {
		sendTracked(frame, acknowledged, whileClosing, null);
	}

	private void sendTracked(Frame frame, @Nullable CompletableFuture<Void> acknowledged, boolean whileClosing,
			@Nullable Object dedupeKey) {
		if (!whileClosing && !isOpenForSending()) {
			if (acknowledged != null) {
				acknowledged.completeExceptionally(new CryoSessionClosedException(this.sid, "cannot send " + frame.type()));
			}
			return;
		}
		int ack = this.acks.register(acknowledged, System.nanoTime(), this.sid);
		SendQueue.Admission admission = enqueue(frame, ack, true, dedupeKey);
		if (admission == SendQueue.Admission.QUEUED) {
			armAckTimer();
			return;
		}
		CompletableFuture<Void> refused = this.acks.forget(ack);
		switch (admission) {
			case DROPPED, OVERFLOWED -> {
				this.framesDropped.incrementAndGet();
				this.observer.framesDropped(this.options.backpressure().dropPolicy(), 1);
				if (refused != null) {
					refused.completeExceptionally(
							new CryoFrameDroppedException(this.sid, this.options.backpressure().dropPolicy()));
				}
				if (admission == SendQueue.Admission.OVERFLOWED) {
					closeNow(CloseCodes.POLICY_VIOLATION, "Send queue limit exceeded.");
				}
			}
			default -> {
				if (refused != null) {
					refused.completeExceptionally(new CryoSessionClosedException(this.sid, "cannot send " + frame.type()));
				}
			}
		}
	}

	/** Encodes the frame once with the given ack number in its header and offers it to the queue. */
	private SendQueue.Admission enqueue(Frame frame, int ack, boolean tracked) {
		return enqueue(frame, ack, tracked, null);
	}

	private SendQueue.Admission enqueue(Frame frame, int ack, boolean tracked, @Nullable Object dedupeKey) {
		ByteBuffer message = this.codec.encode(frame, ack);
		// stat-bytes-tx counts every frame handed to the send queue (§12). Count before handing
		// it over: the writer may put it on the wire, and the peer answer, before enqueue returns.
		int length = message.remaining();
		this.bytesSent.addAndGet(length);
		SendQueue.Admission admission = this.sendQueue
			.enqueue(new OutboundFrame(frame.type(), message, ack, tracked, dedupeKey, this.codec));
		if (admission == SendQueue.Admission.CLOSED) {
			// Nothing was handed over: the session had already ended.
			this.bytesSent.addAndGet(-length);
		}
		return admission;
	}

	private boolean isOpenForSending() {
		SessionState current = this.state.get();
		return current == SessionState.HANDSHAKING || current == SessionState.OPEN;
	}

	/** Turns the send queue's reports into futures, counters, handler calls and closes. */
	private final class QueueListener implements SendQueue.Listener {

		@Override
		public void dropped(List<OutboundFrame> frames) {
			ProtocolSession.this.framesDropped.addAndGet(frames.size());
			ProtocolSession.this.observer.framesDropped(ProtocolSession.this.options.backpressure().dropPolicy(),
					frames.size());
			for (OutboundFrame frame : frames) {
				CompletableFuture<Void> dropped = frame.tracked() ? ProtocolSession.this.acks.forget(frame.ack()) : null;
				if (dropped != null) {
					dropped.completeExceptionally(new CryoFrameDroppedException(ProtocolSession.this.sid,
							ProtocolSession.this.options.backpressure().dropPolicy()));
				}
			}
		}

		@Override
		public void writabilityChanged(boolean writable) {
			try {
				ProtocolSession.this.handler.onWritabilityChanged(ProtocolSession.this, writable);
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, "Writability handler of session " + id() + " failed", ex);
			}
		}

		@Override
		public void writeFailed(Throwable failure) {
			logger.log(Level.DEBUG, () -> "Session " + id() + " could not write: " + failure);
			// The connection is unusable, even if a graceful close was under way: end it now.
			if (failure instanceof SocketTimeoutException) {
				// Our own deadline: this side ends a peer that accepts nothing.
				forceClose(new CloseInfo(CloseCodes.POLICY_VIOLATION, "Send timeout.", Initiator.LOCAL));
			}
			else {
				// A broken write means the connection dropped: the peer's end, as the container
				// would report it (1006) had it noticed first.
				forceClose(new CloseInfo(CloseCodes.ABNORMAL, "Connection lost.", Initiator.PEER));
			}
		}

	}

	// ---- timers and heartbeat

	private void armAckTimer() {
		if (this.ackTimerArmed.compareAndSet(false, true)) {
			this.scheduler.schedule(this::ackTimerFired, this.options.ackTimeout().toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	private void ackTimerFired() {
		while (true) {
			long now = System.nanoTime();
			long nextDeadline = this.acks.expire(now, this.sid);
			if (nextDeadline != -1) {
				this.scheduler.schedule(this::ackTimerFired, Math.max(1, nextDeadline - now), TimeUnit.NANOSECONDS);
				return;
			}
			this.ackTimerArmed.set(false);
			// A frame registered between the expiry and the reset must not go unwatched.
			if (this.acks.pendingCount() == 0 || !this.ackTimerArmed.compareAndSet(false, true)) {
				return;
			}
		}
	}

	private void endpointInfoTimedOut() {
		if (this.state.get() == SessionState.HANDSHAKING) {
			this.dispatcher.openingTimedOut(this.context);
		}
	}

	private void cancelEndpointInfoTimer() {
		ScheduledFuture<?> timer = this.endpointInfoTimer;
		if (timer != null) {
			timer.cancel(false);
		}
	}

	/**
	 * Runs one heartbeat tick (§7): a peer that has not answered the previous ping is sent BYE
	 * and closed with 4000; otherwise the statistics are reported and a new ping goes out.
	 */
	public void heartbeatTick() {
		if (!isOpenForSending()) {
			return;
		}
		long sendTimeout = this.options.sendTimeout().toNanos();
		if (sendTimeout > 0 && this.sendQueue.stalledNanos(System.nanoTime()) > sendTimeout) {
			// The peer has not taken a single message for the whole send timeout.
			closeNow(CloseCodes.POLICY_VIOLATION, "Send timeout.");
			return;
		}
		if (!this.peerAlive) {
			close(DEAD_PEER_REASON);
			return;
		}
		try {
			this.handler.onStatistics(this, new SessionStatistics(this.acks.takeTimeoutCount(),
					this.acks.roundTripMillis(), this.bytesSent.get(), this.bytesReceived.get(), this.framesDropped.get()));
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING, "Statistics handler of session " + id() + " failed", ex);
		}
		this.peerAlive = false;
		ping();
	}

	// ---- closing

	/**
	 * Ends the session gracefully: flushes what is queued, sends BYE with the reason, and closes
	 * the connection with 4000 (§8.1). The ACK of the BYE is not awaited.
	 * @param reason the BYE reason, cut to 16 MiB of UTF-8 if longer; the close reason is its
	 * first 123 bytes
	 */
	public void close(String reason) {
		ByeFrame bye = bye(reason);
		CloseInfo closeInfo = new CloseInfo(CloseCodes.GRACEFUL, CloseCodes.truncateReason(reason), Initiator.LOCAL);
		if (beginClose(closeInfo)) {
			sendTracked(bye, null, true);
			flushThenClose(closeInfo);
		}
	}

	/**
	 * Starts a goodbye whose end the caller controls: sends BYE with the reason behind what is
	 * queued and stops taking application sends, but leaves the connection open so the peer's
	 * ACK can arrive. Finish with {@link #terminate()}. Used by graceful shutdown.
	 * @param reason the BYE reason; the eventual close reason is its first 123 bytes
	 * @return completes when the peer ACKs the BYE; fails if it does not in time or the
	 * session was already closing
	 */
	public CompletableFuture<Void> goodbye(String reason) {
		ByeFrame bye = bye(reason);
		CloseInfo closeInfo = new CloseInfo(CloseCodes.GRACEFUL, CloseCodes.truncateReason(reason), Initiator.LOCAL);
		CompletableFuture<Void> acknowledged = new CompletableFuture<>();
		if (beginClose(closeInfo)) {
			sendTracked(bye, acknowledged, true);
		}
		else {
			acknowledged.completeExceptionally(new CryoSessionClosedException(this.sid, "already closing"));
		}
		return acknowledged;
	}

	/** Builds the BYE first, so that nothing is decided before the frame is known to be valid. */
	private ByeFrame bye(String reason) {
		return new ByeFrame(this.sid, 0, CloseCodes.truncateUtf8(reason, this.codec.maxPayload()));
	}

	/**
	 * Closes the connection now with the close code and reason already decided (by
	 * {@link #goodbye}, {@link #close} or a protocol error), or with 4000 if none was.
	 */
	public void terminate() {
		CloseInfo decided = this.closeDecision.get();
		if (decided == null) {
			closeNow(CloseCodes.GRACEFUL, "");
			return;
		}
		closeTransportAfterInFlight(decided);
	}

	/**
	 * Closes the connection at once, without BYE and without flushing the queue; frames that
	 * arrive afterwards are ignored.
	 * @param code the close code
	 * @param reason the close reason, truncated to 123 bytes
	 */
	public void closeNow(int code, String reason) {
		CloseInfo closeInfo = new CloseInfo(code, CloseCodes.truncateReason(reason), Initiator.LOCAL);
		if (beginClose(closeInfo)) {
			this.discardIncoming = true;
			closeTransportAfterInFlight(closeInfo);
		}
	}

	/**
	 * Discards the queue and closes the connection as soon as the message in flight is written,
	 * or after the close timeout if the peer never takes it.
	 */
	private void closeTransportAfterInFlight(CloseInfo closeInfo) {
		this.sendQueue.closeAfterInFlight(this::closedFailure,
				() -> this.transport.close(closeInfo.code(), closeInfo.reason()));
		scheduleCloseFallback(closeInfo);
	}

	/**
	 * Ends the connection now whatever close was already under way (the transport is broken).
	 * The container is asked to close with {@link CloseCodes#SERVER_ERROR} when the recorded code
	 * is one that may not appear in a close frame (1006).
	 */
	private void forceClose(CloseInfo closeInfo) {
		beginClose(closeInfo);
		CloseInfo decided = this.closeDecision.get();
		CloseInfo effective = (decided != null) ? decided : closeInfo;
		this.discardIncoming = true;
		this.sendQueue.close(this::closedFailure);
		boolean sendable = effective.code() != CloseCodes.ABNORMAL;
		this.transport.close(sendable ? effective.code() : CloseCodes.SERVER_ERROR,
				sendable ? effective.reason() : "Write failed.");
	}

	private void closeAfterFlush(CloseInfo closeInfo) {
		if (beginClose(closeInfo)) {
			flushThenClose(closeInfo);
		}
	}

	/**
	 * Records the first close decision and moves an open or handshaking session to CLOSING.
	 * @return {@code false} when a close was already decided or the connection is gone
	 */
	private boolean beginClose(CloseInfo closeInfo) {
		if (!this.closeDecision.compareAndSet(null, closeInfo)) {
			return false;
		}
		SessionState current;
		do {
			current = this.state.get();
			if (current == SessionState.CLOSING || current == SessionState.CLOSED) {
				return current == SessionState.CLOSING;
			}
		}
		while (!this.state.compareAndSet(current, SessionState.CLOSING));
		cancelEndpointInfoTimer();
		return true;
	}

	private void flushThenClose(CloseInfo closeInfo) {
		this.sendQueue.closeWhenFlushed(() -> this.transport.close(closeInfo.code(), closeInfo.reason()));
		scheduleCloseFallback(closeInfo);
	}

	/** A peer that stops reading must not keep a closing session alive. */
	private void scheduleCloseFallback(CloseInfo closeInfo) {
		this.closeTimer = this.scheduler.schedule(() -> {
			if (this.state.get() != SessionState.CLOSED) {
				this.sendQueue.close(this::closedFailure);
				this.transport.close(closeInfo.code(), closeInfo.reason());
			}
		}, this.options.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
	}

	private CryoSessionClosedException closedFailure() {
		return new CryoSessionClosedException(this.sid, "the session is closing");
	}

	/**
	 * Returns a future that completes when a frame of the given length fits into the send queue
	 * within its caps: how a producer of protected frames (a transaction source) waits for room
	 * instead of overrunning the caps (§11.3).
	 * @param length the encoded length of the next frame
	 * @return completes when there is room; fails when the session closes
	 */
	public CompletableFuture<Void> awaitSendRoom(int length) {
		return this.sendQueue.awaitRoom(length);
	}

	/**
	 * Returns whether the send queue is below its high-water mark (or back at its low-water mark).
	 * @return whether producers may keep sending without building up a backlog
	 */
	public boolean isWritable() {
		return this.sendQueue.isWritable();
	}

	/**
	 * Returns the bytes queued or in flight to the transport.
	 * @return the pending bytes
	 */
	public long pendingBytes() {
		return this.sendQueue.pendingBytes();
	}

	/**
	 * Returns the bytes waiting in the send queue (not yet handed to the transport).
	 * @return the queued bytes, as counted against {@code maxQueuedBytes}
	 */
	public long queuedBytes() {
		return this.sendQueue.queuedBytes();
	}

	// ---- transactions

	/**
	 * Streams data to the peer as a transaction (§10), in push mode or, if the peer asked for it
	 * with TX_FLOW, in pull mode. Chunks are paced by the send queue: the source is read no
	 * faster than the peer takes the data.
	 * @param source the data, closed when the transaction ends
	 * @param name the transaction name
	 * @return completes when the peer ACKs TX_FINISH; fails on TX_START timeout, cancel, a
	 * source error or the end of the session
	 */
	public CompletableFuture<Void> stream(StreamSource source, String name) {
		if (this.state.get() != SessionState.OPEN || !peerSupportsTransactions()) {
			try {
				source.close();
			}
			catch (IOException ex) {
				logger.log(Level.DEBUG, "Closing a refused transaction source failed", ex);
			}
			// Never start a transaction before ready, or towards a peer without transactions (§3.1).
			return CompletableFuture.failedFuture(new IllegalStateException("Session " + id()
					+ (peerSupportsTransactions() ? " is not open" : " has a peer without FEATURE_TRANSACTIONS")));
		}
		return this.transactions.stream(source, name);
	}

	/**
	 * Returns the next incoming transaction with the given name: one that started and was not
	 * claimed yet, or the next to start.
	 * @param name the name ({@code anonymous} for unnamed transactions)
	 * @param timeout how long to wait
	 * @return the stream
	 */
	public CompletableFuture<IncomingStream> awaitStream(String name, Duration timeout) {
		return this.transactions.awaitStream(name, timeout);
	}

	/**
	 * Asks the peer to send its future transactions in push or pull mode (TX_FLOW); in pull mode
	 * this endpoint requests the data in windows of {@code pullWindow} bytes.
	 * @param behaviour the mode
	 * @return completes when the peer ACKs the TX_FLOW
	 */
	public CompletableFuture<Void> setIncomingFlow(FlowBehaviour behaviour) {
		if (this.state.get() != SessionState.OPEN || !peerSupportsTransactions()) {
			return CompletableFuture.failedFuture(new IllegalStateException("Session " + id()
					+ " cannot use transactions now"));
		}
		return this.transactions.requestIncomingFlow(behaviour);
	}

	/** The session's side of its transactions. */
	private final class Channel implements TransactionChannel {

		@Override
		public long sid() {
			return ProtocolSession.this.sid;
		}

		@Override
		public CompletableFuture<Void> sendTracked(Frame frame) {
			return ProtocolSession.this.sendTracked(frame);
		}

		@Override
		public boolean sendChunk(TxChunkFrame chunk) {
			if (enqueue(chunk, chunk.txid(), false) != SendQueue.Admission.QUEUED) {
				return false;
			}
			ProtocolSession.this.observer.transactionBytesSent(chunk.payloadLength());
			return true;
		}

		@Override
		public CompletableFuture<Void> awaitRoom(int length) {
			return ProtocolSession.this.sendQueue.awaitRoom(length);
		}

		@Override
		public void sendError(String message) {
			sendInternalError(message);
		}

		@Override
		public void streamStarted(IncomingStream stream) {
			try {
				ProtocolSession.this.handler.onStreamStarted(ProtocolSession.this, stream);
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, "Stream handler of session " + id() + " failed", ex);
			}
		}

	}

	/** What the dialect's dispatcher may do with this session. */
	private final class Context implements SessionContext {

		@Override
		public long sid() {
			return ProtocolSession.this.sid;
		}

		@Override
		public boolean isClient() {
			return ProtocolSession.this.role == Role.CLIENT;
		}

		@Override
		public boolean isOpening() {
			return ProtocolSession.this.state.get() == SessionState.HANDSHAKING;
		}

		@Override
		public boolean isOpen() {
			return ProtocolSession.this.state.get() == SessionState.OPEN;
		}

		@Override
		public boolean peerSupportsTransactions() {
			return ProtocolSession.this.peerSupportsTransactions();
		}

		@Override
		public void acknowledge(int ack) {
			ProtocolSession.this.acknowledge(ack);
		}

		@Override
		public void acknowledged(int ack) {
			CompletableFuture<Void> settled = ProtocolSession.this.acks.acknowledge(ack, System.nanoTime());
			if (settled != null) {
				settled.complete(null);
			}
		}

		@Override
		public void sendExpedited(Frame frame, int ack) {
			enqueue(frame, ack, false);
		}

		@Override
		public void pingReceived() {
			ProtocolSession.this.lastPingNanos = System.nanoTime();
		}

		@Override
		public void pongReceived() {
			ProtocolSession.this.peerAlive = true;
		}

		@Override
		public void peerVersion(long version) {
			ProtocolSession.this.peerVersion = version;
		}

		@Override
		public void opened(long peerFlags) {
			ProtocolSession.this.opened(peerFlags);
		}

		@Override
		public void goodbyeReceived(String reason) {
			closeAfterFlush(new CloseInfo(CloseCodes.GRACEFUL, CloseCodes.truncateReason(reason), Initiator.PEER));
		}

		@Override
		public void errorReceived(ErrorFrame error) {
			ProtocolSession.this.handler.onError(ProtocolSession.this, error);
		}

		@Override
		public void utf8Received(Utf8DataFrame data) {
			ProtocolSession.this.handler.onUtf8(ProtocolSession.this, data);
		}

		@Override
		public void binaryReceived(BinaryDataFrame data) {
			ProtocolSession.this.handler.onBinary(ProtocolSession.this, data);
		}

		@Override
		public void transactionFrameReceived(Frame frame) {
			TransactionManager transactions = ProtocolSession.this.transactions;
			switch (frame.type()) {
				case TX_START -> transactions.onStart((TxStartFrame) frame);
				case TX_CHUNK -> {
					TxChunkFrame chunk = (TxChunkFrame) frame;
					ProtocolSession.this.observer.transactionBytesReceived(chunk.payloadLength());
					transactions.onChunk(chunk);
				}
				case TX_FINISH -> transactions.onFinish((TxFinishFrame) frame);
				case TX_FLOW -> transactions.onFlow((TxFlowFrame) frame);
				case TX_PULL -> transactions.onPull((TxPullFrame) frame);
				case TX_CANCEL -> transactions.onCancel((TxCancelFrame) frame);
				default -> throw new IllegalArgumentException(frame.type() + " is not a transaction frame");
			}
		}

		@Override
		public void close(String reason) {
			ProtocolSession.this.close(reason);
		}

		@Override
		public void protocolViolation(String reason) {
			closeNow(CloseCodes.CLIENT_ERROR, reason);
		}

	}

	// ---- state

	/**
	 * Returns the session id, an unsigned 64-bit value.
	 * @return the sid bits
	 */
	public long sid() {
		return this.sid;
	}

	/**
	 * Returns the session id as an unsigned decimal string.
	 * @return the id as people read it
	 */
	public String id() {
		return Long.toUnsignedString(this.sid);
	}

	/**
	 * Returns the current state.
	 * @return the state
	 */
	public SessionState state() {
		return this.state.get();
	}

	/**
	 * Returns the feature flags of the peer's ENDPOINT_INFO, 0 before it arrived.
	 * @return the peer's flags
	 */
	public long peerFlags() {
		return this.peerFlags;
	}

	/**
	 * Returns a future for the session becoming {@linkplain SessionState#OPEN open}: the peer's
	 * ENDPOINT_INFO was accepted (and {@link ProtocolHandler#onReady} has run).
	 * @return completes when the session is open; fails with
	 * {@link CryoSessionClosedException} when it closes before
	 */
	public CompletableFuture<Void> readyFuture() {
		return this.readiness.copy();
	}

	/**
	 * Returns the protocol version the peer announced in its ENDPOINT_INFO.
	 * @return the unsigned version, or -1 before the peer's ENDPOINT_INFO arrived
	 */
	public long peerVersion() {
		return this.peerVersion;
	}

	/**
	 * Returns how long ago the peer last sent a ping, or since the session was created if it
	 * has not yet. A client uses it to notice a server that stopped its heartbeat (§7).
	 * @return the time since the last ping, in nanoseconds
	 */
	public long nanosSinceLastPing() {
		return System.nanoTime() - this.lastPingNanos;
	}

	/**
	 * Returns whether the peer announced FEATURE_TRANSACTIONS.
	 * @return whether transactions may be used
	 */
	public boolean peerSupportsTransactions() {
		return this.policy.transactions() != SessionPolicy.TransactionFlavour.NONE
				&& (this.peerFlags & EndpointInfoFrame.FEATURE_TRANSACTIONS) != 0;
	}

	/**
	 * Returns the wire dialect of this session, chosen at the upgrade.
	 * @return the dialect
	 */
	public CryoDialect dialect() {
		return this.dialect;
	}

	/**
	 * Returns the running statistics since the session started.
	 * @return the figures, with the total of ack timeouts
	 */
	public SessionStatistics statistics() {
		return new SessionStatistics(this.acks.totalTimeoutCount(), this.acks.roundTripMillis(), this.bytesSent.get(),
				this.bytesReceived.get(), this.framesDropped.get());
	}

	/**
	 * Returns the number of tracked frames waiting for their ACK.
	 * @return the pending count
	 */
	public int pendingAcks() {
		return this.acks.pendingCount();
	}

	/**
	 * Returns the number of frames waiting in the send queue.
	 * @return the queue depth
	 */
	public int queuedFrames() {
		return this.sendQueue.queuedCount();
	}

	@Override
	public String toString() {
		return "ProtocolSession[" + id() + ", " + this.role + ", " + this.state.get() + "]";
	}

}
