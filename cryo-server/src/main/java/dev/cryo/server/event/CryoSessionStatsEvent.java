package dev.cryo.server.event;

import dev.cryo.core.engine.SessionStatistics;
import dev.cryo.server.CryoSession;

/**
 * The statistics of cryo-v1.md §12, once per heartbeat tick for every live session, right
 * before its ping: ack timeouts since the previous tick, RTT EWMA, bytes sent and received
 * (running totals), and frames dropped by backpressure.
 */
public class CryoSessionStatsEvent extends CryoSessionEvent {

	private static final long serialVersionUID = 1L;

	private final SessionStatistics statistics;

	public CryoSessionStatsEvent(CryoSession session, SessionStatistics statistics) {
		super(session);
		this.statistics = statistics;
	}

	/**
	 * Returns the figures of this tick.
	 * @return the statistics
	 */
	public SessionStatistics statistics() {
		return this.statistics;
	}

	/**
	 * Returns the number of tracked frames whose ACK timed out since the previous tick.
	 * @return {@code stat-ack-timeout}
	 */
	public long ackTimeouts() {
		return this.statistics.ackTimeouts();
	}

	/**
	 * Returns the round-trip time estimate in milliseconds, {@code -1} before the first sample.
	 * @return {@code stat-rtt}
	 */
	public double rttMillis() {
		return this.statistics.rttMillis();
	}

	/**
	 * Returns the bytes of all frames handed to the send queue so far.
	 * @return {@code stat-bytes-tx}
	 */
	public long bytesSent() {
		return this.statistics.bytesSent();
	}

	/**
	 * Returns the bytes of all messages received so far.
	 * @return {@code stat-bytes-rx}
	 */
	public long bytesReceived() {
		return this.statistics.bytesReceived();
	}

}
