package dev.cryo.core.engine;

import java.util.concurrent.atomic.AtomicLong;

/** The running byte and drop counts of one session (cryo-v1.md §12), updated from any thread. */
final class TrafficCounters {

	private final AtomicLong bytesSent = new AtomicLong();

	private final AtomicLong bytesReceived = new AtomicLong();

	private final AtomicLong framesDropped = new AtomicLong();

	void sent(long bytes) {
		this.bytesSent.addAndGet(bytes);
	}

	void received(int bytes) {
		this.bytesReceived.addAndGet(bytes);
	}

	void dropped(int frames) {
		this.framesDropped.addAndGet(frames);
	}

	/** The figures with the ack figures the caller read from its tracker. */
	SessionStatistics statistics(long ackTimeouts, double rttMillis) {
		return new SessionStatistics(ackTimeouts, rttMillis, this.bytesSent.get(), this.bytesReceived.get(),
				this.framesDropped.get());
	}

}
