package dev.cryo.core.engine;

/**
 * Exponentially weighted moving average of ACK round-trip times with α = 0.2 (cryo-v1.md §6.4).
 * The first sample becomes the estimate; {@code -1} means no sample yet (an estimate of 0 is a
 * real sample). Not thread-safe: its owner guards it.
 */
final class RoundTripTime {

	private static final double ALPHA = 0.2;

	private double estimateMillis = -1;

	private boolean sampled;

	void sample(double millis) {
		this.estimateMillis = this.sampled ? (1 - ALPHA) * this.estimateMillis + ALPHA * millis : millis;
		this.sampled = true;
	}

	double estimateMillis() {
		return this.estimateMillis;
	}

}
