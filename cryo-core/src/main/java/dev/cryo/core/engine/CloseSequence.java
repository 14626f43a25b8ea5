package dev.cryo.core.engine;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.MessageTransformException;
import dev.cryo.core.engine.CloseInfo.Initiator;
import dev.cryo.core.frame.ByeFrame;

/**
 * How a session ends (cryo-v1.md §8): the first close decision wins and fixes the close code
 * and reason; a graceful close flushes the queue and sends BYE, an immediate one discards the
 * queue and ignores what still arrives, a broken transport ends everything at once, and a
 * fallback timer closes a connection whose peer stops reading.
 */
final class CloseSequence {

	private final SessionId sid;

	private final AtomicReference<SessionState> state;

	private final FrameSender sender;

	private final SendQueue queue;

	private final CryoTransport transport;

	private final ScheduledExecutorService scheduler;

	private final long closeTimeoutNanos;

	/** The largest BYE reason the dialect's codec can carry. */
	private final int maxReasonBytes;

	/** Run once when a close is decided while the session is still alive. */
	private final Runnable closingStarted;

	/** Whether the dialect has BYE; without it a graceful close is a flush and a WebSocket close. */
	private final boolean goodbyes;

	private final AtomicReference<@Nullable CloseInfo> decision = new AtomicReference<>();

	/** Set once the connection is being torn down without a goodbye: nothing received matters any more. */
	private volatile boolean discardIncoming;

	private volatile @Nullable ScheduledFuture<?> fallback;

	CloseSequence(SessionId sid, AtomicReference<SessionState> state, FrameSender sender, CryoTransport transport,
			ScheduledExecutorService scheduler, Duration closeTimeout, int maxReasonBytes, Runnable closingStarted) {
		this(sid, state, sender, transport, scheduler, closeTimeout, maxReasonBytes, closingStarted, true);
	}

	CloseSequence(SessionId sid, AtomicReference<SessionState> state, FrameSender sender, CryoTransport transport,
			ScheduledExecutorService scheduler, Duration closeTimeout, int maxReasonBytes, Runnable closingStarted,
			boolean goodbyes) {
		this.sid = sid;
		this.state = state;
		this.sender = sender;
		this.queue = sender.queue();
		this.transport = transport;
		this.scheduler = scheduler;
		this.closeTimeoutNanos = closeTimeout.toNanos();
		this.maxReasonBytes = maxReasonBytes;
		this.closingStarted = closingStarted;
		this.goodbyes = goodbyes;
	}

	boolean discardsIncoming() {
		return this.discardIncoming;
	}

	/** Flush, BYE, close with 4000; the ACK of the BYE is not awaited. Without BYE: flush, close with 4000. */
	void close(String reason) {
		close(CloseCodes.GRACEFUL, reason);
	}

	/**
	 * A peer that stopped answering pings (§7): BYE and 4000, or, in a dialect without BYE, 4001
	 * (legacy-v0.md §6).
	 */
	void closeDeadPeer(String reason) {
		close(this.goodbyes ? CloseCodes.GRACEFUL : CloseCodes.CLIENT_ERROR, reason);
	}

	private void close(int code, String reason) {
		@Nullable ByeFrame bye = this.goodbyes ? bye(reason) : null;
		CloseInfo closeInfo = new CloseInfo(code, CloseCodes.truncateReason(reason), Initiator.LOCAL);
		if (beginClose(closeInfo)) {
			if (bye != null) {
				this.sender.sendTracked(bye, null, true, null);
			}
			flushThenClose(closeInfo);
		}
	}

	/** BYE behind what is queued, the connection left open for the ACK; {@link #terminate()} ends it. */
	CompletableFuture<Void> goodbye(String reason) {
		@Nullable ByeFrame bye = this.goodbyes ? bye(reason) : null;
		CloseInfo closeInfo = new CloseInfo(CloseCodes.GRACEFUL, CloseCodes.truncateReason(reason), Initiator.LOCAL);
		CompletableFuture<Void> acknowledged = new CompletableFuture<>();
		if (!beginClose(closeInfo)) {
			acknowledged.completeExceptionally(new CryoSessionClosedException(this.sid, "already closing"));
		}
		else if (bye != null) {
			this.sender.sendTracked(bye, acknowledged, true, null);
		}
		else {
			// Nothing to acknowledge without BYE: the goodbye is over once what was queued is written.
			this.queue.closeWhenFlushed(() -> acknowledged.complete(null));
		}
		return acknowledged;
	}

	/** Builds the BYE first, so that nothing is decided before the frame is known to be valid. */
	private ByeFrame bye(String reason) {
		return new ByeFrame(this.sid, 0, CloseCodes.truncateUtf8(reason, this.maxReasonBytes));
	}

	/** Closes now with the decision already made, or with 4000 if none was. */
	void terminate() {
		CloseInfo decided = this.decision.get();
		if (decided == null) {
			closeNow(CloseCodes.GRACEFUL, "");
			return;
		}
		closeTransportAfterInFlight(decided);
	}

	/** Closes without BYE and without flushing; what arrives afterwards is ignored. */
	void closeNow(int code, String reason) {
		CloseInfo closeInfo = new CloseInfo(code, CloseCodes.truncateReason(reason), Initiator.LOCAL);
		if (beginClose(closeInfo)) {
			this.discardIncoming = true;
			closeTransportAfterInFlight(closeInfo);
		}
	}

	/** The peer said goodbye: what is queued still goes out, then the connection closes. */
	void closeAfterFlush(CloseInfo closeInfo) {
		if (beginClose(closeInfo)) {
			flushThenClose(closeInfo);
		}
	}

	/** A write failed: the connection is unusable, even if a graceful close was under way. */
	void writeFailed(Throwable failure) {
		if (failure instanceof MessageTransformException refused) {
			// The dialect's layer refused to write (CALE ran out of IVs): its code, not a broken connection.
			forceClose(new CloseInfo(refused.closeCode(), CloseCodes.truncateReason(refused.closeReason()),
					Initiator.LOCAL));
		}
		else if (failure instanceof SocketTimeoutException) {
			// Our own deadline: this side ends a peer that accepts nothing.
			forceClose(new CloseInfo(CloseCodes.POLICY_VIOLATION, "Send timeout.", Initiator.LOCAL));
		}
		else {
			// A broken write means the connection dropped: the peer's end, as the container
			// would report it (1006) had it noticed first.
			forceClose(new CloseInfo(CloseCodes.ABNORMAL, "Connection lost.", Initiator.PEER));
		}
	}

	/**
	 * The connection is gone: stops the fallback, records the peer's close unless one was
	 * decided (so no later close reopens the decision), and fails what is queued.
	 * @return the close that counts
	 */
	CloseInfo transportClosed(int code, String reason) {
		ScheduledFuture<?> timer = this.fallback;
		if (timer != null) {
			timer.cancel(false);
		}
		this.decision.compareAndSet(null, new CloseInfo(code, reason, Initiator.PEER));
		CloseInfo decided = this.decision.get();
		this.queue.close(this::closedFailure);
		return decided;
	}

	/**
	 * Discards the queue and closes the connection as soon as the message in flight is written,
	 * or after the close timeout if the peer never takes it.
	 */
	private void closeTransportAfterInFlight(CloseInfo closeInfo) {
		this.queue.closeAfterInFlight(this::closedFailure,
				() -> this.transport.close(closeInfo.code(), closeInfo.reason()));
		scheduleFallback(closeInfo);
	}

	/**
	 * Ends the connection now whatever close was already under way (the transport is broken).
	 * The container is asked to close with {@link CloseCodes#SERVER_ERROR} when the recorded code
	 * is one that may not appear in a close frame (1006).
	 */
	private void forceClose(CloseInfo closeInfo) {
		beginClose(closeInfo);
		CloseInfo decided = this.decision.get();
		CloseInfo effective = (decided != null) ? decided : closeInfo;
		this.discardIncoming = true;
		this.queue.close(this::closedFailure);
		boolean sendable = effective.code() != CloseCodes.ABNORMAL;
		this.transport.close(sendable ? effective.code() : CloseCodes.SERVER_ERROR,
				sendable ? effective.reason() : "Write failed.");
	}

	/**
	 * Records the first close decision and moves an open or opening session to CLOSING.
	 * @return {@code false} when a close was already decided or the connection is gone
	 */
	private boolean beginClose(CloseInfo closeInfo) {
		if (!this.decision.compareAndSet(null, closeInfo)) {
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
		this.closingStarted.run();
		return true;
	}

	private void flushThenClose(CloseInfo closeInfo) {
		this.queue.closeWhenFlushed(() -> this.transport.close(closeInfo.code(), closeInfo.reason()));
		scheduleFallback(closeInfo);
	}

	/** A peer that stops reading must not keep a closing session alive. */
	private void scheduleFallback(CloseInfo closeInfo) {
		this.fallback = this.scheduler.schedule(() -> {
			if (this.state.get() != SessionState.CLOSED) {
				this.queue.close(this::closedFailure);
				this.transport.close(closeInfo.code(), closeInfo.reason());
			}
		}, this.closeTimeoutNanos, TimeUnit.NANOSECONDS);
	}

	CryoSessionClosedException closedFailure() {
		return new CryoSessionClosedException(this.sid, "the session is closing");
	}

}
