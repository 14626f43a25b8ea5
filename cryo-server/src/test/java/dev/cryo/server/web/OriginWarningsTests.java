package dev.cryo.server.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link OriginWarnings}: one warning per origin per window, and never more remembered origins
 * (or warnings per window) than its capacity, whatever origins clients send.
 */
class OriginWarningsTests {

	private final AtomicLong now = new AtomicLong(1_000);

	private final OriginWarnings warnings = new OriginWarnings(Duration.ofSeconds(10), 3, this.now::get);

	@Test
	void theFirstRefusalOfAnOriginIsWarnedAndTheNextOnesInTheWindowAreNot() {
		assertThat(this.warnings.shouldWarn("https://a.example")).isTrue();
		assertThat(this.warnings.shouldWarn("https://a.example")).isFalse();
		advance(Duration.ofSeconds(9));
		assertThat(this.warnings.shouldWarn("https://a.example")).isFalse();
	}

	@Test
	void eachOriginHasItsOwnWindow() {
		assertThat(this.warnings.shouldWarn("https://a.example")).isTrue();
		advance(Duration.ofSeconds(5));
		assertThat(this.warnings.shouldWarn("https://b.example")).isTrue();
		advance(Duration.ofSeconds(5));
		// a's window has passed, b's has not.
		assertThat(this.warnings.shouldWarn("https://a.example")).isTrue();
		assertThat(this.warnings.shouldWarn("https://b.example")).isFalse();
	}

	@Test
	void anOriginIsWarnedAgainOnceItsWindowHasPassed() {
		assertThat(this.warnings.shouldWarn("https://a.example")).isTrue();
		advance(Duration.ofSeconds(10));
		assertThat(this.warnings.shouldWarn("https://a.example")).isTrue();
		assertThat(this.warnings.shouldWarn("https://a.example")).isFalse();
	}

	@Test
	void noMoreOriginsThanTheCapacityAreWarnedInOneWindow() {
		assertThat(this.warnings.shouldWarn("https://1.example")).isTrue();
		assertThat(this.warnings.shouldWarn("https://2.example")).isTrue();
		assertThat(this.warnings.shouldWarn("https://3.example")).isTrue();
		for (int i = 4; i < 1000; i++) {
			assertThat(this.warnings.shouldWarn("https://" + i + ".example")).isFalse();
		}
		advance(Duration.ofSeconds(10));
		assertThat(this.warnings.shouldWarn("https://1000.example")).isTrue();
	}

	@Test
	void theDefaultsAreTenMinutesAndAFewDozenOrigins() {
		OriginWarnings defaults = new OriginWarnings();
		assertThat(defaults.window()).isEqualTo(Duration.ofMinutes(10));
		for (int i = 0; i < OriginWarnings.CAPACITY; i++) {
			assertThat(defaults.shouldWarn("https://" + i + ".example")).isTrue();
		}
		assertThat(defaults.shouldWarn("https://one-more.example")).isFalse();
	}

	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

}
