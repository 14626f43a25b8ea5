package dev.cryo.benchmarks.driver;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Session ids for the driver's connections: unique within a run, and above 2^63 like the random
 * ids real clients use, so the unsigned path is exercised.
 */
final class Sids {

	private static final AtomicLong next = new AtomicLong(0x8000_0000_0000_0000L + System.nanoTime() % 1_000_000_000L);

	private Sids() {
	}

	static long next() {
		return next.getAndIncrement();
	}

}
