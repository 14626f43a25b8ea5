package dev.cryo.core.engine;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.LogText;
import dev.cryo.core.SessionId;
import dev.cryo.core.codec.WireCodec;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.FrameDispatcher;
import dev.cryo.core.dialect.MessageTransform;
import dev.cryo.core.dialect.SessionPolicy;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.CryoFrameException;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.core.transaction.IncomingStream;
import dev.cryo.core.transaction.SpillSpace;
import dev.cryo.core.transaction.StreamSource;
import dev.cryo.core.transaction.TransactionManager;

/**
 * One endpoint of one Cryo connection: everything the protocol asks of "an endpoint", written
 * once for the server and the client and for every dialect.
 *
 * <p>The owner feeds it received messages ({@link #receive}) in arrival order from one thread
 * at a time, reports the end of the connection ({@link #transportClosed}), and drives the
 * heartbeat ({@link #heartbeatTick}). Sends are thread-safe, never block, and return futures
 * that complete when the peer ACKs the frame and fail, never hang, on ack timeout or close.
 *
 * <p>This class coordinates: it holds the state and wires the parts that do the work — the
 * dialect's codec and {@link FrameDispatcher}, {@link FrameSender} with the {@link SendQueue},
 * {@link CloseSequence}, {@link Liveness}, {@link SessionTransactions} and the counters. It is
 * over 400 lines because most of its length is the javadoc of its public API.
 */
public final class ProtocolSession {

	/** BYE and close reason for a peer that stopped answering pings (§7). */
	public static final String DEAD_PEER_REASON = "Disconnecting session due to not responding to ping frames.";

	/**
	 * Close reason (with 1008) for a peer that made the session queue more ACKs and pongs than
	 * {@link BackpressureSettings#maxExpeditedFrames()}: it sends and does not read.
	 */
	public static final String EXPEDITED_LIMIT_REASON = "Expedited frame limit exceeded.";

	private static final System.Logger logger = System.getLogger(ProtocolSession.class.getName());

	/** Which end of the connection this session is. */
	public enum Role {

		/** The side that accepted the WebSocket upgrade. */
		SERVER,

		/** The side that requested the upgrade. */
		CLIENT

	}

	private final SessionId sid;

	private final Role role;

	private final CryoDialect dialect;

	private final WireCodec codec;

	private final SessionPolicy policy;

	private final FrameDispatcher dispatcher;

	/** The dialect's per-session layer, or {@code null}: checked once per received message. */
	private final @Nullable MessageTransform transform;

	private final ProtocolHandler handler;

	private final SessionOptions options;

	private final SessionObserver observer;

	private final AtomicReference<SessionState> state = new AtomicReference<>(SessionState.HANDSHAKING);

	private final TrafficCounters counters = new TrafficCounters();

	private final AckTracker acks;

	private final FrameSender sender;

	/** The sender's queue, kept at hand for the queries on it. */
	private final SendQueue sendQueue;

	private final CloseSequence closing;

	private final Liveness liveness;

	private final SessionTransactions transactions;

	private final EngineContext context;

	private final AtomicBoolean closedReported = new AtomicBoolean();

	private final CompletableFuture<Void> readiness = new CompletableFuture<>();

	private volatile long peerFlags;

	/** The version the peer announced, or -1 before it did. */
	private volatile long peerVersion = -1;

	/** Touched only by the receiving thread. */
	private int malformedFrames;

	/** Whether a well-formed frame has arrived; read by the opening deadline's thread. */
	private volatile boolean receivedFrames;

	/** Whether the opening frame is still held back for its own write (§3 rule 2). */
	private volatile boolean openingHeld;

	/** Whether the session opened without the peer's announcement, which may still come (§3 rule 9). */
	private volatile boolean awaitingLateAnnouncement;

	/**
	 * Guards how the session opens: by the peer's announcement on the receiving thread, or
	 * without it, possibly on a timer's thread (§3 rule 9 (b), (c)). One of them wins whole.
	 */
	private final Object openingDecision = new Object();

	/** The layout of transaction frames read now and of transactions started now (§10.5). */
	private volatile TransactionLayout transactionLayout;

	private final ScheduledExecutorService scheduler;

	/**
	 * Creates a session; nothing is sent until {@link #start()}.
	 * @param sid the session id, in the form of the dialect's wire (numeric for Cryo v1)
	 * @param role which end of the connection this is
	 * @param dialect the wire dialect the upgrade chose
	 * @param transport the connection
	 * @param handler receives what the peer does
	 * @param options timings and limits
	 * @param resources the timer, stream pool and observer the endpoint's sessions share
	 */
	public ProtocolSession(SessionId sid, Role role, CryoDialect dialect, CryoTransport transport, ProtocolHandler handler,
			SessionOptions options, SessionResources resources) {
		this.sid = Objects.requireNonNull(sid, "sid");
		this.role = Objects.requireNonNull(role, "role");
		this.dialect = Objects.requireNonNull(dialect, "dialect");
		this.handler = Objects.requireNonNull(handler, "handler");
		this.options = Objects.requireNonNull(options, "options");
		Objects.requireNonNull(transport, "transport");
		this.observer = resources.observer();
		this.codec = dialect.codec();
		this.policy = dialect.policy();
		this.dispatcher = this.policy.dispatcher();
		this.transform = dialect.newMessageTransform();
		ScheduledExecutorService scheduler = resources.scheduler();
		this.scheduler = scheduler;
		this.transactionLayout = this.policy.initialLayout(options.transactionLayout());
		this.acks = new AckTracker(options.ackTimeout(), this.observer);
		CryoTransport wire = (this.transform != null) ? new TransformingTransport(transport, this.transform) : transport;
		this.sender = new FrameSender(sid, this.codec, this.policy, this.acks,
				new AckTimer(this.acks, scheduler, options.ackTimeout(), sid), this.counters, this.observer,
				options.backpressure(), wire, this.state, new SenderEvents());
		this.sendQueue = this.sender.queue();
		this.closing = new CloseSequence(sid, this.state, this.sender, transport, scheduler, options.closeTimeout(),
				this.codec.maxPayload(), this::closingStarted, this.policy.hasGoodbye());
		this.liveness = new Liveness(this, handler, this.state, this.sender, this.closing, this.acks, this.counters,
				scheduler, options.sendTimeout());
		SpillSpace spillSpace = resources.spillSpace();
		this.transactions = new SessionTransactions(this, handler, this.sender, this.observer, options.transactions(),
				resources.streamExecutor(), scheduler,
				(spillSpace != null) ? spillSpace : SpillSpace.of(options.transactions()));
		this.context = new EngineContext(this, role, handler, this.sender, this.closing, this.liveness,
				this.transactions);
	}

	/**
	 * Creates a session; nothing is sent until {@link #start()}.
	 * @param sid the session id, in the form of the dialect's wire (numeric for Cryo v1)
	 * @param role which end of the connection this is
	 * @param dialect the wire dialect the upgrade chose
	 * @param transport the connection
	 * @param handler receives what the peer does
	 * @param options timings and limits
	 * @param scheduler shared timer for ack timeouts and the handshake deadline
	 */
	public ProtocolSession(SessionId sid, Role role, CryoDialect dialect, CryoTransport transport, ProtocolHandler handler,
			SessionOptions options, ScheduledExecutorService scheduler) {
		this(sid, role, dialect, transport, handler, options, scheduler, TransactionManager.sharedExecutor());
	}

	/**
	 * Creates a session; nothing is sent until {@link #start()}.
	 * @param sid the session id, in the form of the dialect's wire (numeric for Cryo v1)
	 * @param role which end of the connection this is
	 * @param dialect the wire dialect the upgrade chose
	 * @param transport the connection
	 * @param handler receives what the peer does
	 * @param options timings and limits
	 * @param scheduler shared timer for ack timeouts and the handshake deadline
	 * @param streamExecutor runs the blocking work of transactions: reading sources, serving pulls
	 */
	public ProtocolSession(SessionId sid, Role role, CryoDialect dialect, CryoTransport transport, ProtocolHandler handler,
			SessionOptions options, ScheduledExecutorService scheduler, Executor streamExecutor) {
		this(sid, role, dialect, transport, handler, options, scheduler, streamExecutor, SessionObserver.NOOP);
	}

	/**
	 * Creates a session that reports its traffic to an observer; nothing is sent until
	 * {@link #start()}.
	 * @param sid the session id, in the form of the dialect's wire (numeric for Cryo v1)
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
	public ProtocolSession(SessionId sid, Role role, CryoDialect dialect, CryoTransport transport, ProtocolHandler handler,
			SessionOptions options, ScheduledExecutorService scheduler, Executor streamExecutor,
			SessionObserver observer) {
		this(sid, role, dialect, transport, handler, options,
				new SessionResources(scheduler, streamExecutor, observer));
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
		long delay = this.options.firstFrameDelay().toNanos();
		if ((opening != null || this.transform != null) && delay > 0) {
			// Queued now, so it keeps ack 0 and the first place, but written as a write of its
			// own a moment after the upgrade: peers that attach their listener late would lose
			// a frame that shares a read with the 101 (§3 rule 2, legacy-v0.md §10.3 rule 1).
			this.openingHeld = true;
			this.sender.holdWrites();
			this.scheduler.schedule(this::releaseOpening, delay, TimeUnit.NANOSECONDS);
		}
		if (this.transform != null) {
			// The layer's handshake message (CALE's SERVER_HELLO) comes before everything else.
			this.transform.start(this.context);
		}
		if (opening != null) {
			this.sender.sendTracked(opening, acknowledged, true, null);
		}
		else {
			acknowledged.complete(null);
		}
		if (this.policy.awaitsPeerOpening()) {
			this.liveness.startOpeningDeadline(this.options.endpointInfoTimeout(),
					() -> this.dispatcher.openingTimedOut(this.context));
			if (this.policy.opensWithoutAnnouncement()) {
				acknowledged.thenRun(this::startAnnouncementGrace);
			}
		}
		else {
			opened(0);
		}
		return acknowledged;
	}

	/** Writes the held opening frame, and whatever was queued behind it; once. */
	private void releaseOpening() {
		if (this.openingHeld) {
			this.openingHeld = false;
			this.sender.releaseWrites();
		}
	}

	/**
	 * The peer ACKed the opening frame: if it has not announced itself within the grace, it is
	 * taken to be one that never will (§3 rule 9 (b)).
	 */
	private void startAnnouncementGrace() {
		if (this.state.get() != SessionState.HANDSHAKING) {
			return;
		}
		this.scheduler.schedule(() -> {
			if (this.state.get() == SessionState.HANDSHAKING && !this.closing.discardsIncoming()) {
				this.dispatcher.announcementOverdue(this.context);
			}
		}, this.options.endpointInfoGrace().toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Handles one received binary message. Must be called for one session from one thread at a
	 * time, in arrival order.
	 * @param message one complete WebSocket binary message; read during the call only
	 */
	public void receive(ByteBuffer message) {
		if (this.closing.discardsIncoming() || this.state.get() == SessionState.CLOSED) {
			return;
		}
		int length = message.remaining();
		this.counters.received(length);
		if (this.openingHeld) {
			// The peer is reading already: nothing to wait for, and our answer must follow our opening.
			releaseOpening();
		}
		if (this.transform != null) {
			ByteBuffer plain;
			try {
				plain = this.transform.inbound(message);
			}
			catch (RuntimeException ex) {
				// A defect of the layer must not escape into the container's read loop.
				logger.log(Level.WARNING, "The message layer of session " + id() + " failed", ex);
				closeNow(CloseCodes.SERVER_ERROR, "Internal error.");
				return;
			}
			if (plain == null) {
				return;
			}
			message = plain;
		}
		Frame frame;
		try {
			frame = this.codec.decode(message, receiveLayout());
		}
		catch (CryoFrameException ex) {
			this.observer.malformedFrameReceived(length);
			rejected(ex);
			return;
		}
		this.observer.frameReceived(frame.type(), length);
		if (!this.receivedFrames) {
			this.receivedFrames = true;
		}
		// A value comparison of two small records: no string, no allocation on the receiving path.
		if (!this.sid.equals(frame.sid())) {
			logger.log(Level.DEBUG, () -> "Session " + id() + " received a frame with foreign sid " + frame.sid());
		}
		try {
			this.dispatcher.dispatch(frame, this.context);
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING, "Handling " + frame.type() + " of session " + id() + " failed", ex);
		}
	}

	/**
	 * The layout a received message is read in. A transaction frame from a peer that has not
	 * announced itself opens the session in the layout of peers that never do, before it is
	 * handled (cryo-v1.md §3 rule 9 (a)): so it is read in that layout too. Frames that do not
	 * open the session (ENDPOINT_INFO, ACK, PING_PONG, BYE) read the same in every layout.
	 */
	private TransactionLayout receiveLayout() {
		TransactionLayout layout = this.transactionLayout;
		if (this.state.get() == SessionState.HANDSHAKING && this.policy.opensWithoutAnnouncement()) {
			return this.policy.unannouncedLayout(layout);
		}
		return layout;
	}

	private void rejected(CryoFrameException ex) {
		if (this.dispatcher.refused(ex, this.context)) {
			// The dialect answered it (CAMP: ACK, then TX_CANCEL or ERROR); not malformed.
			logger.log(Level.DEBUG, () -> "Session " + id() + " refused: " + LogText.escape(ex.getMessage()));
			return;
		}
		if (!ex.rule().isMalformed()) {
			closeNow(CloseCodes.MESSAGE_TOO_BIG, "Payload too large.");
			return;
		}
		this.malformedFrames++;
		logger.log(Level.DEBUG, () -> "Session " + id() + ": " + LogText.escape(ex.getMessage()));
		if (this.malformedFrames >= this.options.maxMalformedFrames()) {
			closeNow(CloseCodes.CLIENT_ERROR, "Too many malformed frames.");
		}
		else {
			reportProblem(ex.peerMessage());
		}
	}

	/**
	 * Tells the peer about a problem with one of its frames or transactions, with an ERROR frame
	 * nobody waits for. Not in a cryo-protocol 1.4 session: cryo-client-node 1.3.0 never ACKs an
	 * ERROR, and the later 1.4 builds take it for the refusal of their own pending frame with the
	 * same number (cryo-v1.md §10.5, §16.2), so there it is only logged.
	 */
	void reportProblem(String message) {
		if (this.transactionLayout == TransactionLayout.CRYO_PROTOCOL_1_4) {
			logger.log(Level.DEBUG, () -> "Session " + id() + " did not tell its cryo-protocol 1.4 peer: "
					+ LogText.escape(message));
			return;
		}
		this.sender.sendInternalError(message);
	}

	/** A close was decided: the peer no longer needs to open the session in time. */
	private void closingStarted() {
		this.liveness.cancelOpeningDeadline();
	}

	/** Records the version the peer announced, before the dialect checks it. */
	void peerAnnounced(long version) {
		this.peerVersion = version;
	}

	/**
	 * The peer is taken to be one that never announces itself: version 1, the assumed flags and
	 * the layout of such peers (§3 rule 9). The layout is in place before the session counts as
	 * open, so the receiving thread never reads a frame of the open session in the old one.
	 */
	void openedWithoutAnnouncement(long assumedFlags) {
		synchronized (this.openingDecision) {
			if (this.state.get() != SessionState.HANDSHAKING) {
				return;
			}
			this.peerVersion = EndpointInfoFrame.PROTOCOL_VERSION;
			this.awaitingLateAnnouncement = true;
			useTransactionLayout(this.policy.unannouncedLayout(this.transactionLayout));
			this.peerFlags = assumedFlags;
			if (!this.state.compareAndSet(SessionState.HANDSHAKING, SessionState.OPEN)) {
				return;
			}
		}
		becameOpen();
	}

	boolean awaitsLateAnnouncement() {
		return this.awaitingLateAnnouncement;
	}

	/** The peer announced itself after the session opened without it: its flags count from now on. */
	void announcedLate(long flags) {
		this.awaitingLateAnnouncement = false;
		this.peerFlags = flags;
	}

	boolean hasReceivedFrames() {
		return this.receivedFrames;
	}

	void useTransactionLayout(TransactionLayout layout) {
		if (this.transactionLayout != layout) {
			logger.log(Level.DEBUG, () -> "Session " + id() + " uses the " + layout + " transaction layout from now on");
			this.transactionLayout = layout;
		}
	}

	/**
	 * The peer's announcement was accepted: the session opens once; a session lost or closed
	 * meanwhile stays as it is. When a timer decided first that the announcement would not come
	 * (§3 rule 9 (b), (c)), it counts as a late one.
	 */
	void opened(long flags) {
		synchronized (this.openingDecision) {
			if (!this.state.compareAndSet(SessionState.HANDSHAKING, SessionState.OPEN)) {
				if (this.awaitingLateAnnouncement) {
					announcedLate(flags);
				}
				return;
			}
			this.peerFlags = flags;
		}
		becameOpen();
	}

	/** Outside the opening decision's lock: the handler may do anything, sending included. */
	private void becameOpen() {
		this.liveness.cancelOpeningDeadline();
		this.handler.onReady(this);
		this.readiness.complete(null);
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
		this.liveness.stop();
		CloseInfo closeInfo = this.closing.transportClosed(code, reason);
		// Only once the queue is closed: a held opening frame must not go to a connection that is gone.
		releaseOpening();
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

	// Sending: FrameSender does the work.

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
		return this.sender.sendDroppable(Utf8DataFrame.of(this.sid, 0, text), dedupeKey);
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
		return this.sender.sendDroppable(new BinaryDataFrame(this.sid, 0, payload), dedupeKey);
	}

	/**
	 * Sends an ERROR frame.
	 * @param message the text
	 * @return completes when the peer ACKs the frame; in a dialect whose peers never ACK
	 * ERROR (the legacy generation), once the frame is queued
	 * @throws CryoFrameException when the text is larger than 16 MiB of UTF-8, before anything is queued
	 */
	public CompletableFuture<Void> sendError(String message) {
		return this.sender.send(new ErrorFrame(this.sid, 0, message));
	}

	/**
	 * Sends a tracked frame built by the caller; its ack field is replaced by the next number.
	 * @param frame a frame of a type the dialect tracks
	 * @return completes when the peer ACKs the frame
	 */
	public CompletableFuture<Void> sendTracked(Frame frame) {
		return this.sender.sendTracked(frame);
	}

	/** Sends a ping (in Cryo v1 with a fresh, untracked ack number); the answer marks the peer alive. */
	public void ping() {
		this.sender.ping();
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
	 * Returns whether received messages pass a dialect layer (a {@link MessageTransform}, such
	 * as encryption) before they are decoded: the frames then view the layer's bytes, not those
	 * of the message that was received.
	 * @return whether a layer rewrites received messages
	 */
	public boolean transformsMessages() {
		return this.transform != null;
	}

	/**
	 * Returns the bytes waiting in the send queue (not yet handed to the transport).
	 * @return the queued bytes, as counted against {@code maxQueuedBytes}
	 */
	public long queuedBytes() {
		return this.sendQueue.queuedBytes();
	}

	// Liveness: the heartbeat and the client's ping watch.

	/**
	 * Runs one heartbeat tick (§7): a peer that has not answered the previous ping is sent BYE
	 * and closed with 4000; otherwise the statistics are reported and a new ping goes out.
	 */
	public void heartbeatTick() {
		this.liveness.heartbeatTick();
	}

	/**
	 * Checks now, outside the heartbeat, that the peer still answers: a ping goes out at once, and
	 * a peer that sends no pong within the timeout is closed as dead, as a missed heartbeat would
	 * close it. How a server finds out quickly whether the old connection of a legacy client that
	 * reconnects with the same sid is gone (legacy-v0.md §10.7). At most one probe runs at a time.
	 * @param timeout how long the peer has to answer
	 * @return whether a probe was started: not while one runs, nor on a session that is closing or
	 * does not send yet
	 */
	public boolean probeLiveness(Duration timeout) {
		Objects.requireNonNull(timeout, "timeout");
		return this.liveness.probe(timeout);
	}

	/**
	 * Watches the peer's pings, as a client does (§7): when none arrived for longer than the
	 * timeout, the session is closed with BYE and the reason. The watch ends with the session.
	 * @param timeout how long the peer may stay silent
	 * @param reason the BYE and close reason
	 * @return the watch, which the caller may cancel
	 */
	public ScheduledFuture<?> watchPings(Duration timeout, String reason) {
		return this.liveness.watchPings(timeout, reason);
	}

	/**
	 * Returns how long ago the peer last sent a ping, or since the session was created if it
	 * has not yet. A client uses it to notice a server that stopped its heartbeat (§7).
	 * @return the time since the last ping, in nanoseconds
	 */
	public long nanosSinceLastPing() {
		return this.liveness.nanosSinceLastPing();
	}

	// Closing: CloseSequence does the work.

	/**
	 * Ends the session gracefully: flushes what is queued, sends BYE with the reason, and closes
	 * the connection with 4000 (§8.1). The ACK of the BYE is not awaited.
	 * @param reason the BYE reason, cut to the dialect's payload limit (16 MiB of UTF-8 in Cryo
	 * v1) if longer; the close reason is its first 123 bytes
	 */
	public void close(String reason) {
		this.closing.close(reason);
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
		return this.closing.goodbye(reason);
	}

	/**
	 * Closes the connection now with the close code and reason already decided (by
	 * {@link #goodbye}, {@link #close} or a protocol error), or with 4000 if none was.
	 */
	public void terminate() {
		this.closing.terminate();
	}

	/**
	 * Closes the connection at once, without BYE and without flushing the queue; frames that
	 * arrive afterwards are ignored.
	 * @param code the close code
	 * @param reason the close reason, truncated to 123 bytes
	 */
	public void closeNow(int code, String reason) {
		this.closing.closeNow(code, reason);
	}

	// Transactions: SessionTransactions does the work.

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
		return this.transactions.stream(source, name, null);
	}

	/**
	 * Streams data to the peer as a transaction in the given mode. CAMP chooses push or pull per
	 * transaction (camp.md §7): a pull transaction's source is read whole first, to announce its
	 * size, and served as the peer fetches ranges. In Cryo v1 the peer chooses the mode with
	 * TX_FLOW, and a different one fails at once.
	 * @param source the data, closed when the transaction ends
	 * @param name the transaction name
	 * @param behaviour push or pull
	 * @return completes when the peer ACKs TX_FINISH; fails on TX_START timeout, cancel, a
	 * source error, the end of the session, or a mode the session cannot use
	 */
	public CompletableFuture<Void> stream(StreamSource source, String name, FlowBehaviour behaviour) {
		return this.transactions.stream(source, name, Objects.requireNonNull(behaviour, "behaviour"));
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
	 * @return completes when the peer ACKs the TX_FLOW; fails at once with
	 * {@link IllegalStateException} in a session whose transaction layout has no TX_FLOW for it
	 * (CAMP, cryo-protocol 1.4: cryo-v1.md §10.5)
	 */
	public CompletableFuture<Void> setIncomingFlow(FlowBehaviour behaviour) {
		return this.transactions.setIncomingFlow(behaviour);
	}

	// State.

	/**
	 * Returns the session id.
	 * @return the id, numeric for Cryo v1
	 */
	public SessionId sid() {
		return this.sid;
	}

	/**
	 * Returns the session id as people read it: the unsigned decimal of a numeric id, the
	 * canonical form of a UUID.
	 * @return the id as people read it
	 */
	public String id() {
		return this.sid.toString();
	}

	/**
	 * Returns the wire dialect of this session, chosen at the upgrade.
	 * @return the dialect
	 */
	public CryoDialect dialect() {
		return this.dialect;
	}

	/**
	 * Returns the current state.
	 * @return the state
	 */
	public SessionState state() {
		return this.state.get();
	}

	/**
	 * Returns the feature flags the peer announced (its ENDPOINT_INFO in Cryo v1), 0 before.
	 * @return the peer's flags
	 */
	public long peerFlags() {
		return this.peerFlags;
	}

	/**
	 * Returns a future for the session becoming {@linkplain SessionState#OPEN open}: the peer's
	 * announcement was accepted (and {@link ProtocolHandler#onReady} has run).
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
	 * Returns the transaction layout the session reads transaction frames in and starts new
	 * transactions with: the deployment's Cryo v1 layout, cryo-protocol 1.4 for a peer that never
	 * sent ENDPOINT_INFO or uploaded in that layout (cryo-v1.md §10.5), CAMP's own in CAMP.
	 * @return the current layout
	 */
	public TransactionLayout transactionLayout() {
		return this.transactionLayout;
	}

	/**
	 * Returns whether frames may be sent now: the session is not closing or closed, and not
	 * opening in a dialect that sends nothing before it is open (a CALE handshake).
	 * @return whether sends are taken
	 */
	public boolean isOpenForSending() {
		return this.sender.isOpenForSending();
	}

	/**
	 * Returns whether the dialect has transactions and the peer announced FEATURE_TRANSACTIONS.
	 * @return whether transactions may be used
	 */
	public boolean peerSupportsTransactions() {
		return this.policy.transactions() != SessionPolicy.TransactionFlavour.NONE
				&& (this.peerFlags & EndpointInfoFrame.FEATURE_TRANSACTIONS) != 0;
	}

	/**
	 * Returns the running statistics since the session started.
	 * @return the figures, with the total of ack timeouts
	 */
	public SessionStatistics statistics() {
		return this.counters.statistics(this.acks.totalTimeoutCount(), this.acks.roundTripMillis());
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

	/** Turns the sender's reports into handler calls and closes. */
	private final class SenderEvents implements FrameSender.Events {

		@Override
		public void overflowed() {
			closeNow(CloseCodes.POLICY_VIOLATION, "Send queue limit exceeded.");
		}

		@Override
		public void expeditedOverflowed() {
			closeNow(CloseCodes.POLICY_VIOLATION, EXPEDITED_LIMIT_REASON);
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
			ProtocolSession.this.closing.writeFailed(failure);
		}

	}

}
