package dev.cryo.client;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a client reconnects after it lost an established connection: up to {@code maxAttempts}
 * attempts, each with a new session id, the n-th after {@code min(maxDelay, baseDelay·2^(n−1))}
 * shortened by up to {@code jitter} of itself at random, so that many clients dropped by one
 * server restart do not come back in lock step.
 *
 * @param maxAttempts how many attempts to make before giving up; 0 disables reconnecting
 * @param baseDelay the delay before the first attempt
 * @param maxDelay the longest delay between attempts
 * @param jitter the fraction (0 to 1) of each delay that is randomised away
 */
public record ReconnectPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, double jitter) {

	/** Five attempts from 0.5 s doubling to at most 10 s, with 20 % jitter: the published Node client's schedule. */
	public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(10),
			0.2);

	/** Never reconnect: a lost connection closes the client. */
	public static final ReconnectPolicy DISABLED = new ReconnectPolicy(0, Duration.ZERO, Duration.ZERO, 0);

	public ReconnectPolicy {
		Objects.requireNonNull(baseDelay, "baseDelay");
		Objects.requireNonNull(maxDelay, "maxDelay");
		if (maxAttempts < 0) {
			throw new IllegalArgumentException("maxAttempts must not be negative");
		}
		if (baseDelay.isNegative() || maxDelay.isNegative()) {
			throw new IllegalArgumentException("delays must not be negative");
		}
		if (maxDelay.compareTo(baseDelay) < 0) {
			throw new IllegalArgumentException("maxDelay must not be shorter than baseDelay");
		}
		if (!(jitter >= 0 && jitter <= 1)) {
			throw new IllegalArgumentException("jitter must be between 0 and 1");
		}
	}

	/**
	 * Creates an exponential policy.
	 * @param maxAttempts how many attempts to make; 0 disables reconnecting
	 * @param baseDelay the delay before the first attempt
	 * @param maxDelay the longest delay
	 * @return the policy, with 20 % jitter
	 */
	public static ReconnectPolicy exponential(int maxAttempts, Duration baseDelay, Duration maxDelay) {
		return new ReconnectPolicy(maxAttempts, baseDelay, maxDelay, 0.2);
	}

	/**
	 * Returns a copy with another jitter.
	 * @param jitter the fraction (0 to 1) of each delay that is randomised away
	 * @return the policy
	 */
	public ReconnectPolicy withJitter(double jitter) {
		return new ReconnectPolicy(this.maxAttempts, this.baseDelay, this.maxDelay, jitter);
	}

	/**
	 * Returns whether reconnecting is enabled.
	 * @return {@code true} if at least one attempt is made
	 */
	public boolean isEnabled() {
		return this.maxAttempts > 0;
	}

	/**
	 * Returns the delay before an attempt.
	 * @param attempt the attempt number, from 1
	 * @param random the source of the jitter
	 * @return a delay between {@code (1 − jitter)} times and exactly the capped exponential delay
	 */
	public Duration delayBefore(int attempt, RandomGenerator random) {
		if (attempt < 1) {
			throw new IllegalArgumentException("attempt must be at least 1");
		}
		long base = this.baseDelay.toNanos();
		long max = this.maxDelay.toNanos();
		// Doubling saturates at the cap long before a shift could overflow.
		int doublings = Math.min(attempt - 1, 62);
		long capped = (base > (max >> doublings)) ? max : Math.min(max, base << doublings);
		long shortened = (long) (capped * this.jitter * random.nextDouble());
		return Duration.ofNanos(capped - shortened);
	}

}
