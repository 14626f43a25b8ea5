package dev.cryo.server.observer;

import java.util.List;

import dev.cryo.core.engine.DropPolicy;
import dev.cryo.core.engine.SessionLimit;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.transaction.TransactionRefusal;

/**
 * Tells several observers, in order. An array and indexed loops keep the per-frame calls free
 * of iterators.
 */
final class CompositeCryoServerObserver implements CryoServerObserver {

	private final CryoServerObserver[] observers;

	CompositeCryoServerObserver(List<? extends CryoServerObserver> observers) {
		this.observers = observers.toArray(new CryoServerObserver[0]);
	}

	@Override
	public void frameReceived(FrameType type, int bytes) {
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].frameReceived(type, bytes);
		}
	}

	@Override
	public void malformedFrameReceived(int bytes) {
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].malformedFrameReceived(bytes);
		}
	}

	@Override
	public void frameSent(FrameType type, int bytes) {
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].frameSent(type, bytes);
		}
	}

	@Override
	public void framesDropped(DropPolicy policy, int count) {
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].framesDropped(policy, count);
		}
	}

	@Override
	public void limitExceeded(SessionLimit limit) {
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].limitExceeded(limit);
		}
	}

	@Override
	public void ackTimedOut(int count) {
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].ackTimedOut(count);
		}
	}

	@Override
	public void roundTripSampled(long nanos) {
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].roundTripSampled(nanos);
		}
	}

	@Override
	public void transactionBytesReceived(int bytes) {
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].transactionBytesReceived(bytes);
		}
	}

	@Override
	public void transactionBytesSent(int bytes) {
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].transactionBytesSent(bytes);
		}
	}

	@Override
	public void sessionOpened() {
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].sessionOpened();
		}
	}

	@Override
	public void sessionOpened(String dialect) {
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].sessionOpened(dialect);
		}
	}

	@Override
	public void sessionClosed(SessionCloseCategory category, String dialect) {
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].sessionClosed(category, dialect);
		}
	}

	@Override
	public void sessionClosed(SessionCloseCategory category) {
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].sessionClosed(category);
		}
	}

	@Override
	public void upgradeRejected(UpgradeRefusal refusal) {
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].upgradeRejected(refusal);
		}
	}

	@Override
	public void transactionRefused(TransactionRefusal reason) {
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].transactionRefused(reason);
		}
	}

	@Override
	public void spillBytesChanged(long bytes) {
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].spillBytesChanged(bytes);
		}
	}

	@Override
	public void transactionThreadsBusy(int threads) {
		for (int i = 0; i < this.observers.length; i++) {
			this.observers[i].transactionThreadsBusy(threads);
		}
	}

}
