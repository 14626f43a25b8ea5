package dev.cryo.core.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The EWMA of cryo-v1.md §6.4: α = 0.2, first sample taken as is, −1 without samples. */
class RoundTripTimeTests {

	@Test
	void estimateIsMinusOneBeforeTheFirstSample() {
		assertThat(new RoundTripTime().estimateMillis()).isEqualTo(-1.0);
	}

	@Test
	void firstSampleBecomesTheEstimate() {
		RoundTripTime rtt = new RoundTripTime();
		rtt.sample(100);
		assertThat(rtt.estimateMillis()).isEqualTo(100.0);
	}

	@Test
	void laterSamplesWeighOneFifth() {
		RoundTripTime rtt = new RoundTripTime();
		rtt.sample(100);
		rtt.sample(50);
		// 0.8 · 100 + 0.2 · 50
		assertThat(rtt.estimateMillis()).isCloseTo(90.0, within(1e-9));
		rtt.sample(0);
		assertThat(rtt.estimateMillis()).isCloseTo(72.0, within(1e-9));
		rtt.sample(200);
		assertThat(rtt.estimateMillis()).isCloseTo(97.6, within(1e-9));
	}

	@Test
	void estimateOfZeroIsARealSample() {
		// The reference treats 0 as "no sample yet" and restarts the average (D-S8); we do not.
		RoundTripTime rtt = new RoundTripTime();
		rtt.sample(0);
		assertThat(rtt.estimateMillis()).isZero();
		rtt.sample(10);
		assertThat(rtt.estimateMillis()).isCloseTo(2.0, within(1e-9));
	}

	@Test
	void fractionalMillisecondsAreKept() {
		RoundTripTime rtt = new RoundTripTime();
		rtt.sample(0.25);
		rtt.sample(1.25);
		assertThat(rtt.estimateMillis()).isCloseTo(0.45, within(1e-9));
	}

}
