package dev.cryo.client;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ReconnectPolicyTests {

	/** A random source that always draws the same value. */
	private static RandomGenerator fixed(double value) {
		return new RandomGenerator() {

			@Override
			public long nextLong() {
				return 0;
			}

			@Override
			public double nextDouble() {
				return value;
			}

		};
	}

	@Test
	void delaysDoubleFromTheBaseUpToTheCap() {
		ReconnectPolicy policy = new ReconnectPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(10), 0);
		assertThat(policy.delayBefore(1, fixed(0.5))).isEqualTo(Duration.ofMillis(500));
		assertThat(policy.delayBefore(2, fixed(0.5))).isEqualTo(Duration.ofSeconds(1));
		assertThat(policy.delayBefore(3, fixed(0.5))).isEqualTo(Duration.ofSeconds(2));
		assertThat(policy.delayBefore(5, fixed(0.5))).isEqualTo(Duration.ofSeconds(8));
		assertThat(policy.delayBefore(6, fixed(0.5))).isEqualTo(Duration.ofSeconds(10));
		assertThat(policy.delayBefore(1000, fixed(0.5))).isEqualTo(Duration.ofSeconds(10));
		assertThat(policy.delayBefore(Integer.MAX_VALUE, fixed(0.5))).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void jitterShortensEachDelayByAtMostItsShare() {
		ReconnectPolicy policy = new ReconnectPolicy(10, Duration.ofMillis(1000), Duration.ofSeconds(4), 0.25);
		assertThat(policy.delayBefore(1, fixed(0))).isEqualTo(Duration.ofMillis(1000));
		assertThat(policy.delayBefore(1, fixed(1))).isEqualTo(Duration.ofMillis(750));
		assertThat(policy.delayBefore(2, fixed(0.5))).isEqualTo(Duration.ofMillis(1750));
		SplittableRandom random = new SplittableRandom(42);
		for (int attempt = 1; attempt <= 20; attempt++) {
			Duration delay = policy.delayBefore(attempt, random);
			Duration capped = Duration.ofMillis(Math.min(4000, 1000L << Math.min(attempt - 1, 20)));
			assertThat(delay).isBetween(capped.multipliedBy(3).dividedBy(4), capped);
		}
	}

	@Test
	void defaultFollowsTheNodeClientsSchedule() {
		assertThat(ReconnectPolicy.DEFAULT.maxAttempts()).isEqualTo(5);
		assertThat(ReconnectPolicy.DEFAULT.baseDelay()).isEqualTo(Duration.ofMillis(500));
		assertThat(ReconnectPolicy.DEFAULT.maxDelay()).isEqualTo(Duration.ofSeconds(10));
		assertThat(ReconnectPolicy.DEFAULT.isEnabled()).isTrue();
		assertThat(ReconnectPolicy.DISABLED.isEnabled()).isFalse();
		assertThat(ReconnectPolicy.exponential(3, Duration.ofMillis(1), Duration.ofMillis(2)).withJitter(0).jitter())
			.isZero();
	}

	@Test
	void invalidSettingsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ReconnectPolicy(-1, Duration.ZERO, Duration.ZERO, 0));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ReconnectPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1), 0));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ReconnectPolicy(1, Duration.ofMillis(-1), Duration.ofSeconds(1), 0));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ReconnectPolicy(1, Duration.ZERO, Duration.ZERO, 1.5));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ReconnectPolicy(1, Duration.ZERO, Duration.ZERO, Double.NaN));
		assertThatIllegalArgumentException().isThrownBy(() -> ReconnectPolicy.DEFAULT.delayBefore(0, fixed(0)));
	}

}
