package dev.cryo.core.engine;

import java.time.Duration;
import java.util.Objects;

import dev.cryo.core.frame.TransactionLayout;
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
 * @param firstFrameDelay how long after the session starts its opening frame is written, as a
 * write of its own (§3 rule 2); zero writes it at once
 * @param endpointInfoGrace how long after the peer ACKed this endpoint's opening frame a peer
 * that sent no ENDPOINT_INFO is taken to be one that never will (§3 rule 9 (b))
 * @param transactionLayout the transaction layout of a Cryo v1 session whose peer sent
 * ENDPOINT_INFO (§10.5 rule 2); other dialects have their own
 */
public record SessionOptions(Duration ackTimeout, Duration endpointInfoTimeout, int maxMalformedFrames,
		Duration closeTimeout, BackpressureSettings backpressure, Duration sendTimeout,
		TransactionOptions transactions, Duration firstFrameDelay, Duration endpointInfoGrace,
		TransactionLayout transactionLayout) {

	/** The default {@link #firstFrameDelay()}: 20 ms (cryo-v1.md §3 rule 2). */
	public static final Duration DEFAULT_FIRST_FRAME_DELAY = Duration.ofMillis(20);

	/** The default {@link #endpointInfoGrace()}: 1 s (cryo-v1.md §3 rule 9). */
	public static final Duration DEFAULT_ENDPOINT_INFO_GRACE = Duration.ofSeconds(1);

	/**
	 * The defaults of cryo-v1.md: 2.5 s ack timeout, 10 s for ENDPOINT_INFO, 16 malformed
	 * frames, seed backpressure, 30 s send timeout, the opening frame written 20 ms after the
	 * start, 1 s of grace for a peer without ENDPOINT_INFO, the seed transaction layout.
	 */
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
		Objects.requireNonNull(firstFrameDelay, "firstFrameDelay");
		Objects.requireNonNull(endpointInfoGrace, "endpointInfoGrace");
		Objects.requireNonNull(transactionLayout, "transactionLayout");
		if (firstFrameDelay.isNegative()) {
			throw new IllegalArgumentException("firstFrameDelay must not be negative");
		}
		if (endpointInfoGrace.isNegative() || endpointInfoGrace.isZero()) {
			throw new IllegalArgumentException("endpointInfoGrace must be positive");
		}
		if (transactionLayout == TransactionLayout.CAMP) {
			throw new IllegalArgumentException("transactionLayout is a Cryo v1 layout: seed or cryo-protocol 1.4");
		}
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

	/**
	 * Creates options with the default first-frame delay, grace and transaction layout.
	 * @param ackTimeout how long a tracked frame waits for its ACK
	 * @param endpointInfoTimeout how long the peer has to send its ENDPOINT_INFO
	 * @param maxMalformedFrames malformed frames after which the session is closed
	 * @param closeTimeout how long a closing session may take to flush
	 * @param backpressure the send-queue limits
	 * @param sendTimeout how long one message may wait for the peer
	 * @param transactions the limits and sizes of transactions
	 */
	public SessionOptions(Duration ackTimeout, Duration endpointInfoTimeout, int maxMalformedFrames,
			Duration closeTimeout, BackpressureSettings backpressure, Duration sendTimeout,
			TransactionOptions transactions) {
		this(ackTimeout, endpointInfoTimeout, maxMalformedFrames, closeTimeout, backpressure, sendTimeout, transactions,
				DEFAULT_FIRST_FRAME_DELAY, DEFAULT_ENDPOINT_INFO_GRACE, TransactionLayout.SEED);
	}

	/**
	 * Returns these options with another first-frame delay.
	 * @param delay how long after the start the opening frame is written; zero for at once
	 * @return the options
	 */
	public SessionOptions withFirstFrameDelay(Duration delay) {
		return new SessionOptions(this.ackTimeout, this.endpointInfoTimeout, this.maxMalformedFrames, this.closeTimeout,
				this.backpressure, this.sendTimeout, this.transactions, delay, this.endpointInfoGrace,
				this.transactionLayout);
	}

	/**
	 * Returns these options with another grace for peers without ENDPOINT_INFO.
	 * @param grace how long after the peer's ACK of the opening frame it is classified
	 * @return the options
	 */
	public SessionOptions withEndpointInfoGrace(Duration grace) {
		return new SessionOptions(this.ackTimeout, this.endpointInfoTimeout, this.maxMalformedFrames, this.closeTimeout,
				this.backpressure, this.sendTimeout, this.transactions, this.firstFrameDelay, grace,
				this.transactionLayout);
	}

	/**
	 * Returns these options with another Cryo v1 transaction layout.
	 * @param layout {@code SEED} or {@code CRYO_PROTOCOL_1_4}
	 * @return the options
	 */
	public SessionOptions withTransactionLayout(TransactionLayout layout) {
		return new SessionOptions(this.ackTimeout, this.endpointInfoTimeout, this.maxMalformedFrames, this.closeTimeout,
				this.backpressure, this.sendTimeout, this.transactions, this.firstFrameDelay, this.endpointInfoGrace,
				layout);
	}

}
