package dev.cryo.benchmarks.driver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Round-trip times of one connection, in nanoseconds; only its listener thread adds to it.
 */
final class Latencies {

	private long[] samples = new long[1024];

	private int count;

	synchronized void add(long nanos) {
		if (this.count == this.samples.length) {
			this.samples = Arrays.copyOf(this.samples, this.count * 2);
		}
		this.samples[this.count++] = nanos;
	}

	synchronized int count() {
		return this.count;
	}

	synchronized void reset() {
		this.count = 0;
	}

	/** Merges the samples of several connections and sorts them. */
	static long[] sorted(Iterable<Latencies> all) {
		// Each connection's samples are copied under its lock: its listener may still be adding.
		List<long[]> copies = new ArrayList<>();
		int total = 0;
		for (Latencies latencies : all) {
			synchronized (latencies) {
				copies.add(Arrays.copyOf(latencies.samples, latencies.count));
				total += latencies.count;
			}
		}
		long[] merged = new long[total];
		int at = 0;
		for (long[] copy : copies) {
			System.arraycopy(copy, 0, merged, at, copy.length);
			at += copy.length;
		}
		Arrays.sort(merged);
		return merged;
	}

	static long percentile(long[] sorted, double fraction) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.ceil(fraction * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

}
