package dev.cryo.core.engine;

import java.time.Duration;
import java.util.Objects;

import dev.cryo.core.transaction.TransactionOptions;

/**
 * The protocol timings and limits of a session.
 *
 * @param ackTimeout how long a tracked frame waits for its ACK before its send fails (§6.3)
 * @param endpointInfoTimeout how long the peer has to send its ENDPOINT_INFO; zero disables the
 * check (§3 item 7)
 * @param maxMalformedFrames the number of malformed frames after which the session is closed
 * with 4001 (§4.5)
 * @param closeTimeout how long a closing session may take to flush its queue before the
 * connection is closed anyway
 * @param backpressure the send-queue limits (§11)
 * @param sendTimeout how long a single message may stay in flight to the transport before the
 * peer is considered stalled and closed; zero disables the check
 * @param transactions the limits and sizes of transactions (§10)
 */
public record SessionOptions(Duration ackTimeout, Duration endpointInfoTimeout, int maxMalformedFrames,
		Duration closeTimeout, BackpressureSettings backpressure, Duration sendTimeout,
		TransactionOptions transactions) {

	/** The defaults of cryo-v1.md: 2.5 s ack timeout, 10 s for ENDPOINT_INFO, 16 malformed frames, seed backpressure, 30 s send timeout. */
	public static final SessionOptions DEFAULTS = new SessionOptions(Duration.ofMillis(2500), Duration.ofSeconds(10),
			16, Duration.ofSeconds(5), BackpressureSettings.SEED_DEFAULTS, Duration.ofSeconds(30),
			TransactionOptions.DEFAULTS);

	public SessionOptions {
		Objects.requireNonNull(ackTimeout, "ackTimeout");
		Objects.requireNonNull(endpointInfoTimeout, "endpointInfoTimeout");
		Objects.requireNonNull(closeTimeout, "closeTimeout");
		Objects.requireNonNull(backpressure, "backpressure");
		Objects.requireNonNull(sendTimeout, "sendTimeout");
		Objects.requireNonNull(transactions, "transactions");
		if (ackTimeout.isNegative() || ackTimeout.isZero()) {
			throw new IllegalArgumentException("ackTimeout must be positive");
		}
		if (endpointInfoTimeout.isNegative()) {
			throw new IllegalArgumentException("endpointInfoTimeout must not be negative");
		}
		if (maxMalformedFrames < 1) {
			throw new IllegalArgumentException("maxMalformedFrames must be at least 1");
		}
		if (closeTimeout.isNegative() || closeTimeout.isZero()) {
			throw new IllegalArgumentException("closeTimeout must be positive");
		}
		if (sendTimeout.isNegative()) {
			throw new IllegalArgumentException("sendTimeout must not be negative");
		}
	}

	/**
	 * Creates options with the seed's backpressure defaults and a 30 s send timeout.
	 * @param ackTimeout how long a tracked frame waits for its ACK
	 * @param endpointInfoTimeout how long the peer has to send its ENDPOINT_INFO
	 * @param maxMalformedFrames malformed frames after which the session is closed
	 * @param closeTimeout how long a closing session may take to flush
	 */
	public SessionOptions(Duration ackTimeout, Duration endpointInfoTimeout, int maxMalformedFrames,
			Duration closeTimeout) {
		this(ackTimeout, endpointInfoTimeout, maxMalformedFrames, closeTimeout, BackpressureSettings.SEED_DEFAULTS,
				Duration.ofSeconds(30));
	}

	/**
	 * Creates options with the default transaction limits.
	 * @param ackTimeout how long a tracked frame waits for its ACK
	 * @param endpointInfoTimeout how long the peer has to send its ENDPOINT_INFO
	 * @param maxMalformedFrames malformed frames after which the session is closed
	 * @param closeTimeout how long a closing session may take to flush
	 * @param backpressure the send-queue limits
	 * @param sendTimeout how long one message may wait for the peer
	 */
	public SessionOptions(Duration ackTimeout, Duration endpointInfoTimeout, int maxMalformedFrames,
			Duration closeTimeout, BackpressureSettings backpressure, Duration sendTimeout) {
		this(ackTimeout, endpointInfoTimeout, maxMalformedFrames, closeTimeout, backpressure, sendTimeout,
				TransactionOptions.DEFAULTS);
	}

}
