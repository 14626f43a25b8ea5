package dev.cryo.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;

import dev.cryo.core.LogText;
import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.engine.CryoTransport;
import dev.cryo.core.engine.ProtocolHandler;
import dev.cryo.core.engine.ProtocolSession;
import dev.cryo.core.engine.SessionOptions;
import dev.cryo.core.engine.SessionResources;
import dev.cryo.core.engine.SessionState;
import dev.cryo.core.engine.SessionStatistics;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.core.transaction.IncomingStream;
import dev.cryo.core.transaction.StreamSource;
import dev.cryo.core.transaction.TransactionOptions;
import dev.cryo.server.Box;
import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoSession;
import dev.cryo.server.CryoSessionAttribute;
import dev.cryo.server.event.CryoErrorMessageEvent;
import dev.cryo.server.event.CryoGroupJoinedEvent;
import dev.cryo.server.event.CryoGroupLeftEvent;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.server.event.CryoSessionStatsEvent;
import dev.cryo.server.event.CryoSessionWritabilityChangedEvent;
import dev.cryo.server.event.CryoStreamStartedEvent;
import dev.cryo.server.observer.SessionCloseCategory;

/**
 * A server-side Cryo session: the {@link ProtocolSession} of one connection, with the extension
 * chain on both directions, the inbound message handlers and the Spring events it publishes.
 * Applications see it as a {@link CryoSession}; the web layer drives it through
 * {@link SessionConnection}.
 */
final class ServerSession implements CryoSession, SessionConnection, ProtocolHandler {

	private static final Log logger = LogFactory.getLog(ServerSession.class);

	private final ProtocolSession protocol;

	private final CryoSessionRegistry.Reservation reservation;

	/** What every session of the server shares. */
	private final ServerResources resources;

	private final CryoExtensions extensions;

	private final @Nullable InetSocketAddress remoteAddress;

	private final Instant connectedAt = Instant.now();

	private final SessionAttributes attributes = new SessionAttributes();

	private final SessionGroups groups = new SessionGroups();

	/** Whether this server opened the connection to another server, rather than accepted it. */
	private final boolean peer;

	/**
	 * Whether the frames being handled view bytes that nobody changes afterwards; touched only by
	 * the receiving thread.
	 */
	private boolean receivingOwnedBytes;

	/** Closes the session when its token expires; {@code null} when nothing is scheduled. */
	private volatile @Nullable ScheduledFuture<?> expiry;

	ServerSession(CryoSessionRegistry.Reservation reservation, CryoDialect dialect, CryoTransport transport,
			@Nullable InetSocketAddress remoteAddress, ServerResources resources, boolean peer) {
		this(reservation, dialect, resources.options(), transport, remoteAddress, resources, peer);
	}

	/** A session with options of its own: a peer link's first-frame delay and transaction layout. */
	ServerSession(CryoSessionRegistry.Reservation reservation, CryoDialect dialect, SessionOptions options,
			CryoTransport transport, @Nullable InetSocketAddress remoteAddress, ServerResources resources,
			boolean peer) {
		this.reservation = reservation;
		this.resources = resources;
		this.extensions = resources.extensions();
		this.remoteAddress = remoteAddress;
		this.peer = peer;
		this.protocol = new ProtocolSession(reservation.sid(),
				peer ? ProtocolSession.Role.CLIENT : ProtocolSession.Role.SERVER, dialect, transport, this,
				options, new SessionResources(resources.scheduler(), resources.streamExecutor(),
						resources.observer(), resources.spillSpace()));
	}

	/** Returns the protocol engine; the peer connector drives its handshake. */
	ProtocolSession protocol() {
		return this.protocol;
	}

	@Override
	public void start() {
		// The dialect's opening (v1: ENDPOINT_INFO, §3) goes first: the heartbeat only sees the
		// session once it is sent.
		this.protocol.start();
		this.reservation.activate(this);
		scheduleExpiry();
	}

	/**
	 * Schedules the BYE for the moment the session's token expires, on the shared timer: one
	 * task per session, removed from the timer's queue when the session ends first.
	 */
	private void scheduleExpiry() {
		if (!this.resources.closeOnTokenExpiry()
				|| !(authenticationAttributes().get(CryoAuthentication.EXPIRES_AT_ATTRIBUTE) instanceof Instant expiresAt)) {
			return;
		}
		Duration remaining = Duration.between(Instant.now(), expiresAt);
		long delay;
		try {
			delay = remaining.isNegative() ? 0 : remaining.toMillis();
		}
		catch (ArithmeticException ex) {
			// Further away than a long of milliseconds (e.g. Instant.MAX): it never expires.
			return;
		}
		this.expiry = this.resources.scheduler()
			.schedule(() -> close(CryoAuthentication.TOKEN_EXPIRED_REASON), delay, TimeUnit.MILLISECONDS);
		// The session may have ended while the task was being scheduled: onClosed saw no task to cancel.
		if (this.protocol.state() == SessionState.CLOSED) {
			cancelExpiry();
		}
	}

	private void cancelExpiry() {
		ScheduledFuture<?> expiry = this.expiry;
		if (expiry != null) {
			expiry.cancel(false);
		}
	}

	@Override
	public void receive(ByteBuffer message, boolean owned) {
		// A dialect layer decodes from bytes of its own, which the session cannot vouch for.
		this.receivingOwnedBytes = owned && !this.protocol.transformsMessages();
		try {
			this.protocol.receive(message);
		}
		finally {
			this.receivingOwnedBytes = false;
		}
	}

	@Override
	public void transportClosed(int code, String reason) {
		this.protocol.transportClosed(code, reason);
	}

	@Override
	public void closeNow(int code, String reason) {
		this.protocol.closeNow(code, reason);
	}

	/**
	 * Sends BYE and keeps the connection open for its ACK; see {@link ProtocolSession#goodbye}.
	 * @param reason the BYE reason
	 * @return completes when the peer ACKs the BYE
	 */
	CompletableFuture<Void> goodbye(String reason) {
		return this.protocol.goodbye(reason);
	}

	/** Closes the connection with the close code already decided; see {@link ProtocolSession#terminate}. */
	void terminate() {
		this.protocol.terminate();
	}

	/** Runs one heartbeat tick for this session. */
	void heartbeatTick() {
		this.protocol.heartbeatTick();
	}

	// ---- CryoSession

	@Override
	public SessionId id() {
		return this.protocol.sid();
	}

	@Override
	public String idString() {
		return this.protocol.id();
	}

	@Override
	public String dialect() {
		return this.protocol.dialect().name();
	}

	@Override
	public TransactionLayout transactionLayout() {
		return this.protocol.transactionLayout();
	}

	@Override
	public @Nullable InetSocketAddress remoteAddress() {
		return this.remoteAddress;
	}

	@Override
	public Instant connectedAt() {
		return this.connectedAt;
	}

	@Override
	public @Nullable Principal principal() {
		// Decided at the upgrade and kept with the reservation, which outlives nothing of ours.
		return this.reservation.principal();
	}

	@Override
	public Map<String, Object> authenticationAttributes() {
		return this.reservation.authenticationAttributes();
	}

	@Override
	public SessionState state() {
		return this.protocol.state();
	}

	@Override
	public boolean isOpen() {
		return this.protocol.isOpenForSending();
	}

	@Override
	public Map<String, Object> attributes() {
		return this.attributes.values();
	}

	@Override
	public <T> @Nullable T getAttribute(CryoSessionAttribute<T> key) {
		return this.attributes.get(key);
	}

	@Override
	public <T> void setAttribute(CryoSessionAttribute<T> key, @Nullable T value) {
		this.attributes.set(this, key, value);
	}

	@Override
	public <T> @Nullable T removeAttribute(CryoSessionAttribute<T> key) {
		return this.attributes.set(this, key, null);
	}

	@Override
	public <T> void addAttributeListener(CryoSessionAttribute<T> key,
			CryoSessionAttribute.Listener<? super T> listener) {
		this.attributes.addListener(key, listener);
	}

	@Override
	public <T> void removeAttributeListener(CryoSessionAttribute<T> key,
			CryoSessionAttribute.Listener<? super T> listener) {
		this.attributes.removeListener(key, listener);
	}

	@Override
	public boolean join(String group) {
		boolean joined = this.groups.join(id(), group, this.resources);
		if (joined) {
			publish(new CryoGroupJoinedEvent(this, group));
		}
		return joined;
	}

	@Override
	public boolean leave(String group) {
		boolean left = this.groups.leave(id(), group, this.resources);
		if (left) {
			publish(new CryoGroupLeftEvent(this, group, false));
		}
		return left;
	}

	@Override
	public Set<String> groups() {
		return this.groups.snapshot();
	}

	/** Returns the number of groups the session is in, without a copy; for the membership gauge. */
	int groupCount() {
		return this.groups.count();
	}

	@Override
	public CompletableFuture<Void> sendUtf8(String text) {
		return sendUtf8WithKey(text, null);
	}

	@Override
	public CompletableFuture<Void> sendUtf8(String text, Object dedupeKey) {
		return sendUtf8WithKey(text, dedupeKey);
	}

	private CompletableFuture<Void> sendUtf8WithKey(String text, @Nullable Object dedupeKey) {
		Box<String> box = new Box<>(text);
		String veto = this.extensions.beforeSendUtf8(this, box);
		return (veto != null) ? CompletableFuture.failedFuture(CryoExtensions.vetoedBy(veto))
				: this.protocol.sendUtf8(box.get(), dedupeKey);
	}

	@Override
	public CompletableFuture<Void> sendBinary(ByteBuffer payload) {
		return sendBinaryWithKey(payload, null);
	}

	@Override
	public CompletableFuture<Void> sendBinary(ByteBuffer payload, Object dedupeKey) {
		return sendBinaryWithKey(payload, dedupeKey);
	}

	private CompletableFuture<Void> sendBinaryWithKey(ByteBuffer payload, @Nullable Object dedupeKey) {
		Box<ByteBuffer> box = new Box<>(payload.asReadOnlyBuffer());
		String veto = this.extensions.beforeSendBinary(this, box);
		return (veto != null) ? CompletableFuture.failedFuture(CryoExtensions.vetoedBy(veto))
				: this.protocol.sendBinary(box.get(), dedupeKey);
	}

	@Override
	public boolean isWritable() {
		return this.protocol.isWritable();
	}

	@Override
	public long queuedBytes() {
		return this.protocol.queuedBytes();
	}

	@Override
	public int queuedFrames() {
		return this.protocol.queuedFrames();
	}

	@Override
	public int pendingAcks() {
		return this.protocol.pendingAcks();
	}

	@Override
	public CompletableFuture<Void> sendError(String message) {
		Box<String> box = new Box<>(message);
		String veto = this.extensions.beforeSendError(this, box);
		return (veto != null) ? CompletableFuture.failedFuture(CryoExtensions.vetoedBy(veto))
				: this.protocol.sendError(box.get());
	}

	@Override
	public CompletableFuture<Void> stream(InputStream source, String name) {
		return this.protocol.stream(StreamSource.of(source), name);
	}

	@Override
	public CompletableFuture<Void> stream(Path file, String name) throws IOException {
		return this.protocol.stream(StreamSource.of(file), name);
	}

	@Override
	public CompletableFuture<Void> stream(Flow.Publisher<ByteBuffer> source, String name) {
		return this.protocol.stream(StreamSource.of(source), name);
	}

	@Override
	public CompletableFuture<Void> stream(InputStream source, String name, FlowBehaviour behaviour) {
		return this.protocol.stream(StreamSource.of(source), name, behaviour);
	}

	@Override
	public CompletableFuture<Void> stream(Path file, String name, FlowBehaviour behaviour) throws IOException {
		return this.protocol.stream(StreamSource.of(file), name, behaviour);
	}

	@Override
	public CompletableFuture<Void> stream(Flow.Publisher<ByteBuffer> source, String name, FlowBehaviour behaviour) {
		return this.protocol.stream(StreamSource.of(source), name, behaviour);
	}

	@Override
	public CompletableFuture<IncomingStream> awaitStream(String name, Duration timeout) {
		return this.protocol.awaitStream(name, timeout);
	}

	@Override
	public CompletableFuture<Void> setIncomingFlow(FlowBehaviour behaviour) {
		// The engine refuses it outside the seed layout (CAMP, cryo-protocol 1.4).
		return this.protocol.setIncomingFlow(behaviour);
	}

	@Override
	public void ping() {
		this.protocol.ping();
	}

	@Override
	public void close(String reason) {
		this.protocol.close(reason);
	}

	@Override
	public void destroy() {
		this.protocol.closeNow(CloseCodes.NORMAL, "Session destroyed.");
	}

	@Override
	public SessionStatistics statistics() {
		return this.protocol.statistics();
	}

	@Override
	public boolean isPeer() {
		return this.peer;
	}

	@Override
	public long peerFlags() {
		return this.protocol.peerFlags();
	}

	// ---- ProtocolHandler: engine -> extensions -> handlers (events last)

	@Override
	public void onReady(ProtocolSession session) {
		if (this.peer) {
			// An outgoing link joins the registry (and the heartbeat) once its handshake is done.
			this.reservation.activate(this);
		}
		publish(new CryoSessionConnectedEvent(this));
	}

	@Override
	public void onUtf8(ProtocolSession session, Utf8DataFrame frame) {
		Box<String> text = new Box<>(frame.text());
		if (this.extensions.onReceiveUtf8(this, text)) {
			this.resources.handlers().handleUtf8(this, text.get());
		}
	}

	@Override
	public void onBinary(ProtocolSession session, BinaryDataFrame frame) {
		ByteBuffer bytes = frame.payload();
		if (!this.receivingOwnedBytes) {
			// The one copy of the receive path for a message that arrived in a buffer its sender
			// reuses (a small one, in the container's): from here on the bytes are the message's
			// own, so extensions, handlers and the event may keep them as they are.
			bytes = ByteBuffer.allocate(bytes.remaining()).put(bytes).flip().asReadOnlyBuffer();
		}
		Box<ByteBuffer> payload = new Box<>(bytes);
		if (this.extensions.onReceiveBinary(this, payload)) {
			this.resources.handlers().handleBinary(this, payload.get());
		}
	}

	@Override
	public void onError(ProtocolSession session, ErrorFrame frame) {
		Box<String> message = new Box<>(frame.message());
		if (this.extensions.onReceiveError(this, message)) {
			publish(new CryoErrorMessageEvent(this, message.get()));
		}
	}

	@Override
	public void onStatistics(ProtocolSession session, SessionStatistics statistics) {
		publish(new CryoSessionStatsEvent(this, statistics));
	}

	@Override
	public void onStreamStarted(ProtocolSession session, IncomingStream stream) {
		publish(new CryoStreamStartedEvent(this, stream));
	}

	@Override
	public void onWritabilityChanged(ProtocolSession session, boolean writable) {
		publish(new CryoSessionWritabilityChangedEvent(this, writable));
	}

	/** Pings the peer now and closes the session as dead if no pong comes within the timeout. */
	boolean probeLiveness(Duration timeout) {
		return this.protocol.probeLiveness(timeout);
	}

	@Override
	public void onClosed(ProtocolSession session, CloseInfo closeInfo) {
		cancelExpiry();
		// Memberships end before the id is released, so the index never lists an id another session may take.
		for (String group : this.groups.end(id(), this.resources)) {
			publish(new CryoGroupLeftEvent(this, group, true));
		}
		Duration block = this.protocol.dialect().sessionIdBlock(closeInfo.code());
		if (!block.isZero()) {
			// Blocked before the reservation goes, so a reconnect never finds the sid free (legacy-v0.md §10.6).
			this.resources.registry().block(this.protocol.sid(), block);
			logger.info("Cryo " + this.protocol.dialect() + " session " + idString() + " ended with "
					+ closeInfo.code() + " \"" + LogText.escape(closeInfo.reason()) + "\""
					+ ", a CALE mismatch or handshake failure: a client with CALE on must connect to a path of "
					+ "cryo.dialects.legacy.cale-paths, one with CALE off to another path. The sid is refused for "
					+ block.toSeconds() + " s.");
		}
		this.resources.registry().release(this.reservation);
		if (logger.isDebugEnabled()) {
			logger.debug("Cryo session " + idString() + " closed: " + closeInfo);
		}
		this.resources.observer().sessionClosed(SessionCloseCategory.of(closeInfo), dialect());
		publish(new CryoSessionClosedEvent(this, closeInfo));
	}

	private void publish(ApplicationEvent event) {
		try {
			this.resources.publisher().publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.warn("Listener for " + event.getClass().getSimpleName() + " of Cryo session " + idString()
					+ " failed", ex);
		}
	}

	@Override
	public String toString() {
		return "CryoSession[id=" + idString() + ", dialect=" + dialect() + ", remote=" + this.remoteAddress + ", state="
				+ state() + (this.peer ? ", peer" : "") + "]";
	}

}
