package dev.cryo.benchmarks.driver;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Session ids for the driver's connections: random values at or above 2^63, like the random ids
 * real clients use, so the unsigned path is exercised. With 63 random bits two live sessions of a
 * run sharing an id (which the server would refuse with 401) is not a practical concern.
 */
final class Sids {

	private Sids() {
	}

	static long next() {
		return Long.MIN_VALUE | ThreadLocalRandom.current().nextLong();
	}

}
