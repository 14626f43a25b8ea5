package dev.cryo.server.support;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide count of heap bytes held for received messages that are being reassembled
 * from their parts, bounded by {@link dev.cryo.server.ReceiveLimits#reassemblyBudget()}. Each
 * connection reserves from it as the parts of a message arrive and gives the bytes back once the
 * message has been handled or the connection closed; a reservation that does not fit is refused,
 * never waited for, so no container thread ever blocks on it.
 */
public final class ReassemblyBudget {

	private final long capacity;

	private final AtomicLong held = new AtomicLong();

	/**
	 * Creates a budget.
	 * @param capacity the most bytes held at once
	 */
	public ReassemblyBudget(long capacity) {
		if (capacity <= 0) {
			throw new IllegalArgumentException("capacity must be positive");
		}
		this.capacity = capacity;
	}

	/**
	 * Reserves bytes if they fit into what is left.
	 * @param bytes the bytes to reserve
	 * @return whether they were reserved; on {@code false} nothing was
	 */
	public boolean tryReserve(long bytes) {
		long current;
		do {
			current = this.held.get();
			if (bytes > this.capacity - current) {
				return false;
			}
		}
		while (!this.held.compareAndSet(current, current + bytes));
		return true;
	}

	/**
	 * Gives reserved bytes back.
	 * @param bytes bytes reserved earlier
	 */
	public void release(long bytes) {
		if (bytes > 0) {
			this.held.addAndGet(-bytes);
		}
	}

	/**
	 * Returns the bytes reserved now.
	 * @return the held bytes
	 */
	public long held() {
		return this.held.get();
	}

	/**
	 * Returns the most bytes that may be held at once.
	 * @return the capacity
	 */
	public long capacity() {
		return this.capacity;
	}

}
