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

	/** A WebSocket upgrade was accepted and its session created (it is handshaking). */
	default void sessionOpened() {
	}

	/**
	 * A session ended, for whatever reason; called once per {@link #sessionOpened()}.
	 * @param category why, in one of a few fixed categories
	 */
	default void sessionClosed(SessionCloseCategory category) {
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
