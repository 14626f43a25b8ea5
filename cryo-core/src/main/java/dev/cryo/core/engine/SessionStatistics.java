package dev.cryo.core.engine;

/**
 * The four statistics of cryo-v1.md §12 for one session, as emitted once per heartbeat tick,
 * plus the drop counter of the send queue.
 *
 * @param ackTimeouts tracked frames whose ACK timed out since the previous tick
 * @param rttMillis the EWMA round-trip time in milliseconds, {@code -1} before the first sample
 * @param bytesSent running total of the bytes of all frames handed to the send queue
 * @param bytesReceived running total of the bytes of all messages received
 * @param framesDropped running total of frames the send queue dropped
 */
public record SessionStatistics(long ackTimeouts, double rttMillis, long bytesSent, long bytesReceived,
		long framesDropped) {
}
