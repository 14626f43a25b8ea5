package dev.cryo.server.observer;

import java.util.List;

import dev.cryo.core.engine.SessionObserver;

/**
 * Watches a Cryo server for metrics: sessions opening and closing, refused upgrades, and the
 * traffic of every session (the {@link SessionObserver} methods). One instance serves the whole
 * server; it is given to the server when it is created.
 *
 * <p>Methods run on container and session threads, some for every frame: implementations must
 * be cheap, thread-safe and must not block. Every method has a no-op default.
 */
public interface CryoServerObserver extends SessionObserver {

	/** An observer that ignores everything: what a server uses when it is given none. */
	CryoServerObserver NOOP = new CryoServerObserver() {
	};

	/**
	 * A WebSocket upgrade was accepted and its session created (it is handshaking). The server
	 * calls {@link #sessionOpened(String)}, which comes here unless it is overridden.
	 */
	default void sessionOpened() {
	}

	/**
	 * A session of a dialect was created: an accepted upgrade, or a link to a peer server. By
	 * default {@link #sessionOpened()}.
	 * @param dialect the name of the session's dialect, e.g. {@code cryo-v1} or {@code camp}:
	 * one of the server's few dialects, never anything that identifies the session
	 */
	default void sessionOpened(String dialect) {
		sessionOpened();
	}

	/**
	 * A session ended, for whatever reason; called once per {@link #sessionOpened()}. The server
	 * calls {@link #sessionClosed(SessionCloseCategory, String)}, which comes here unless it is
	 * overridden.
	 * @param category why, in one of a few fixed categories
	 */
	default void sessionClosed(SessionCloseCategory category) {
	}

	/**
	 * A session of a dialect ended; called once per {@link #sessionOpened(String)}, with the same
	 * dialect. By default {@link #sessionClosed(SessionCloseCategory)}.
	 * @param category why, in one of a few fixed categories
	 * @param dialect the name of the session's dialect
	 */
	default void sessionClosed(SessionCloseCategory category, String dialect) {
		sessionClosed(category);
	}

	/**
	 * An upgrade was refused before a session was created (cryo-v1.md §2.3).
	 * @param refusal why
	 */
	default void upgradeRejected(UpgradeRefusal refusal) {
	}

	/**
	 * The bytes in the temporary files of the server's transactions changed (they are within
	 * the spill quota).
	 * @param bytes the bytes in use now
	 */
	default void spillBytesChanged(long bytes) {
	}

	/**
	 * A thread of the server's transaction pool started or finished a piece of work.
	 * @param threads the threads busy now, at most the pool's size
	 */
	default void transactionThreadsBusy(int threads) {
	}

	/**
	 * Combines observers into one that tells each of them, in order.
	 * @param observers the observers
	 * @return {@link #NOOP} for none, the observer itself for one, else a composite
	 */
	static CryoServerObserver of(List<? extends CryoServerObserver> observers) {
		if (observers.isEmpty()) {
			return NOOP;
		}
		if (observers.size() == 1) {
			return observers.get(0);
		}
		return new CompositeCryoServerObserver(observers);
	}

}
