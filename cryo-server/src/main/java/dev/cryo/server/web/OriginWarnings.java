package dev.cryo.server.web;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Decides which refused origins are worth a warning: the first refusal of each origin within a
 * window, and no more than {@code capacity} origins per window in all. Any client can send any
 * {@code Origin}, so the memory (at most {@code capacity} remembered origins) and the log volume
 * (at most {@code capacity} warnings per window) stay bounded whatever a peer sends.
 */
final class OriginWarnings {

	/** How long a warned origin stays quiet. */
	static final Duration WINDOW = Duration.ofMinutes(10);

	/** Most origins remembered, and so most warnings, per window. */
	static final int CAPACITY = 32;

	private final Duration window;

	private final long windowNanos;

	private final int capacity;

	private final LongSupplier nanoClock;

	/** When each origin was last warned about; insertion order is time order, oldest first. */
	private final Map<String, Long> warned = new LinkedHashMap<>();

	OriginWarnings() {
		this(WINDOW, CAPACITY, System::nanoTime);
	}

	OriginWarnings(Duration window, int capacity, LongSupplier nanoClock) {
		this.window = window;
		this.windowNanos = window.toNanos();
		this.capacity = capacity;
		this.nanoClock = nanoClock;
	}

	Duration window() {
		return this.window;
	}

	/**
	 * Records a refusal of an origin and returns whether to warn about it.
	 * @param origin the origin as it will be logged (already escaped and cut, so that a long
	 * header does not make a long key)
	 * @return whether this is the origin's first refusal in the window and there was room left
	 */
	synchronized boolean shouldWarn(String origin) {
		long now = this.nanoClock.getAsLong();
		// Entries are only ever added with the current time, so the expired ones are at the head.
		Iterator<Long> times = this.warned.values().iterator();
		while (times.hasNext() && now - times.next() >= this.windowNanos) {
			times.remove();
		}
		if (this.warned.containsKey(origin) || this.warned.size() >= this.capacity) {
			return false;
		}
		this.warned.put(origin, now);
		return true;
	}

}
