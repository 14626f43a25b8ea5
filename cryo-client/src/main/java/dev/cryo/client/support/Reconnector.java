package dev.cryo.client.support;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.engine.CloseInfo;

/**
 * Keeps a client session alive across connections: it makes the first connection current,
 * notices when the current one is lost, schedules reconnect attempts as its {@link Rules}
 * allow, and ends the session once, when it gives up or is asked to close.
 *
 * <p>All of its state sits under one lock; callbacks to the {@link Session} run outside it.
 * It opens connections through the session and waits through a {@link Timer}, so a test can
 * drive it with a fake connector and a manual timer.
 *
 * @param <C> the connection type
 */
public final class Reconnector<C extends Reconnector.Connection> {

	/** Where the session is in its life. */
	public enum Phase {

		/** The first connection is being established. */
		CONNECTING,

		/** A connection is current and established. */
		CONNECTED,

		/** The current connection was lost; a reconnect is pending or under way. */
		RECONNECTING,

		/** The session is over. */
		CLOSED

	}

	private final Rules rules;

	private final Timer timer;

	private final Session<C> session;

	private final CompletableFuture<CloseInfo> closeFuture = new CompletableFuture<>();

	private final Object lock = new Object();

	private volatile Phase phase = Phase.CONNECTING;

	/** The connection in use, or the last one; null only before the first connect finishes. */
	private volatile @Nullable C current;

	/** Guarded by {@link #lock}. */
	private boolean closeRequested;

	/** Whether the loss of {@link #current} was handled already; guarded by {@link #lock}. */
	private boolean currentLost;

	/** Guarded by {@link #lock}. */
	private int attempt;

	/** Guarded by {@link #lock}. */
	private @Nullable Future<?> pendingReconnect;

	/** How the connection that the running reconnect replaces ended; guarded by {@link #lock}. */
	private @Nullable CloseInfo lostWith;

	/**
	 * Creates a reconnector.
	 * @param rules how often and how soon to try again
	 * @param timer waits out the delays before attempts
	 * @param session opens connections and hears what happens to them
	 */
	public Reconnector(Rules rules, Timer timer, Session<C> session) {
		this.rules = Objects.requireNonNull(rules, "rules");
		this.timer = Objects.requireNonNull(timer, "timer");
		this.session = Objects.requireNonNull(session, "session");
	}

	/**
	 * Returns where the session is in its life.
	 * @return the phase
	 */
	public Phase phase() {
		return this.phase;
	}

	/**
	 * Returns the connection in use, or the last one.
	 * @return the connection, or {@code null} before the first connect finished
	 */
	public @Nullable C current() {
		return this.current;
	}

	/**
	 * Returns a future that completes once the session is over.
	 * @return completes with how the session's last connection ended; never fails
	 */
	public CompletableFuture<CloseInfo> closeFuture() {
		return this.closeFuture;
	}

	/**
	 * Opens the first connection; call once. A first connection that cannot be established
	 * ends the session without a reconnect and without {@link Session#closed}: the caller
	 * learns of it from the returned future.
	 * @return completes with the connection once it is current
	 */
	public CompletableFuture<C> connectFirst() {
		return this.session.connect().handle((connection, failure) -> {
			if (failure != null) {
				this.phase = Phase.CLOSED;
				this.closeFuture.complete(new CloseInfo(CloseCodes.ABNORMAL, "Connect failed.", CloseInfo.Initiator.LOCAL));
				throw (failure instanceof CompletionException completion) ? completion : new CompletionException(failure);
			}
			adopt(connection, false);
			return connection;
		});
	}

	/**
	 * Ends the session: the current connection is closed with the reason, and its close ends
	 * the session; a pending reconnect is cancelled and the session ends at once with a
	 * graceful local close. A first connection still being opened is closed as soon as it is
	 * established. Idempotent.
	 * @param reason the BYE reason
	 */
	public void close(String reason) {
		C connection;
		Phase closingFrom;
		Future<?> pending;
		synchronized (this.lock) {
			if (this.closeRequested || this.phase == Phase.CLOSED) {
				return;
			}
			this.closeRequested = true;
			connection = this.current;
			closingFrom = this.phase;
			pending = this.pendingReconnect;
		}
		if (closingFrom == Phase.CONNECTED && connection != null) {
			// The connection's close is reported like any other and ends the session.
			connection.close(reason);
		}
		else if (closingFrom == Phase.RECONNECTING) {
			if (pending != null) {
				pending.cancel(false);
			}
			finish(new CloseInfo(CloseCodes.GRACEFUL, CloseCodes.truncateReason(reason), CloseInfo.Initiator.LOCAL));
		}
		// CONNECTING: the first connect sees the request when it completes and closes at once.
	}

	/**
	 * Reports that a connection ended. Only the loss of the current connection counts, and
	 * only once: it leads to a reconnect, or ends the session.
	 * @param connection the connection
	 * @param closeInfo how it ended
	 */
	public void connectionLost(C connection, CloseInfo closeInfo) {
		boolean reconnect;
		boolean requested;
		synchronized (this.lock) {
			if (this.current != connection || this.currentLost) {
				return;
			}
			this.currentLost = true;
			requested = this.closeRequested;
			reconnect = !requested && this.rules.maxAttempts() > 0;
			if (reconnect) {
				this.phase = Phase.RECONNECTING;
			}
			this.lostWith = closeInfo;
		}
		this.session.disconnected(connection, closeInfo, requested);
		if (reconnect) {
			scheduleReconnect();
		}
		else {
			finish(closeInfo);
		}
	}

	/** Makes an established connection the current one and tells the session. */
	private void adopt(C connection, boolean reconnected) {
		boolean sessionOver;
		boolean closeAtOnce;
		synchronized (this.lock) {
			// close() may have ended the session while this reconnect was under way.
			sessionOver = this.phase == Phase.CLOSED;
			closeAtOnce = this.closeRequested;
			if (!sessionOver) {
				this.current = connection;
				this.currentLost = false;
				this.phase = Phase.CONNECTED;
				this.attempt = 0;
				this.lostWith = null;
			}
		}
		if (sessionOver) {
			this.session.abandon(connection);
			return;
		}
		CloseInfo closedMeanwhile = connection.adopt();
		if (closeAtOnce) {
			// close() was called while this connection was being opened: end it, quietly.
			this.session.abandon(connection);
		}
		else {
			this.session.connected(connection, reconnected);
		}
		if (closedMeanwhile != null) {
			connectionLost(connection, closedMeanwhile);
		}
	}

	private void scheduleReconnect() {
		synchronized (this.lock) {
			if (this.closeRequested || this.phase != Phase.RECONNECTING) {
				return;
			}
			this.attempt++;
			this.pendingReconnect = this.timer.schedule(this::reconnect, this.rules.delays().apply(this.attempt));
		}
	}

	private void reconnect() {
		int attempt;
		synchronized (this.lock) {
			if (this.closeRequested || this.phase != Phase.RECONNECTING) {
				return;
			}
			this.pendingReconnect = null;
			attempt = this.attempt;
		}
		this.session.connect().whenComplete((connection, failure) -> {
			if (failure == null) {
				adopt(connection, true);
				return;
			}
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			this.session.reconnectFailed(attempt, cause);
			boolean retry = this.rules.retryable().test(cause);
			CloseInfo giveUpWith;
			synchronized (this.lock) {
				if (this.closeRequested || this.phase != Phase.RECONNECTING) {
					return;
				}
				giveUpWith = (retry && attempt < this.rules.maxAttempts()) ? null : this.lostWith;
			}
			if (giveUpWith == null) {
				scheduleReconnect();
			}
			else {
				finish(giveUpWith);
			}
		});
	}

	/** Ends the session and tells the session's listeners, once. */
	private void finish(CloseInfo closeInfo) {
		synchronized (this.lock) {
			if (this.closeFuture.isDone()) {
				return;
			}
			this.phase = Phase.CLOSED;
		}
		this.session.closed(closeInfo);
		this.closeFuture.complete(closeInfo);
	}

	/**
	 * How often and how soon to try again.
	 *
	 * @param maxAttempts how many attempts to make after a loss; 0 ends the session at the
	 * first loss
	 * @param delays the delay before an attempt, given its number from 1
	 * @param retryable whether another attempt may succeed after a failure; {@code false}
	 * gives up at once
	 */
	public record Rules(int maxAttempts, IntFunction<Duration> delays, Predicate<Throwable> retryable) {

		public Rules {
			Objects.requireNonNull(delays, "delays");
			Objects.requireNonNull(retryable, "retryable");
		}

	}

	/** Runs a task after a delay; the client's scheduler, or a manual one in tests. */
	@FunctionalInterface
	public interface Timer {

		/**
		 * Schedules a task.
		 * @param task the task
		 * @param delay how long to wait
		 * @return the handle whose {@code cancel} keeps the task from running
		 */
		Future<?> schedule(Runnable task, Duration delay);

	}

	/** What the reconnector needs of one connection. */
	public interface Connection {

		/**
		 * Marks the connection as the session's current one: from now on its end is reported
		 * to {@link Reconnector#connectionLost}. A connection can end between being established
		 * and being adopted; such an end is returned here instead.
		 * @return how the connection ended, or {@code null} while it is open
		 */
		@Nullable CloseInfo adopt();

		/**
		 * Says BYE with the reason and closes; the close is reported as the connection's end.
		 * @param reason the BYE reason
		 */
		void close(String reason);

	}

	/**
	 * The session the reconnector keeps alive: it opens connections and hears what happens.
	 * Its methods are called outside the reconnector's lock.
	 *
	 * @param <C> the connection type
	 */
	public interface Session<C> {

		/**
		 * Starts one connection attempt.
		 * @return completes with the connection once it is established
		 */
		CompletableFuture<C> connect();

		/**
		 * A connection became current.
		 * @param connection the connection
		 * @param reconnected whether it replaces a lost one
		 */
		void connected(C connection, boolean reconnected);

		/**
		 * An established connection is not wanted because the session is closing or over: end
		 * it without telling anyone.
		 * @param connection the connection
		 */
		void abandon(C connection);

		/**
		 * The current connection ended.
		 * @param connection the connection
		 * @param closeInfo how it ended
		 * @param closeRequested whether the session's own close ended it
		 */
		void disconnected(C connection, CloseInfo closeInfo, boolean closeRequested);

		/**
		 * A reconnect attempt failed.
		 * @param attempt the attempt number, from 1
		 * @param cause why
		 */
		void reconnectFailed(int attempt, Throwable cause);

		/**
		 * The session is over; called once, just before {@link Reconnector#closeFuture()}
		 * completes.
		 * @param closeInfo how its last connection ended
		 */
		void closed(CloseInfo closeInfo);

	}

}
