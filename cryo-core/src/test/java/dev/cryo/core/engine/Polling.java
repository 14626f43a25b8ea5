package dev.cryo.core.engine;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for outcomes of timers and other threads without asserting how long they take: the
 * deadline is only a generous bound that keeps a broken test from hanging.
 */
final class Polling {

	/** Far above anything a passing test waits for, even on a loaded CI machine. */
	static final Duration DEADLINE = Duration.ofSeconds(10);

	private Polling() {
	}

	static void await(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("Gave up after " + DEADLINE.toSeconds() + " s waiting until " + what);
			}
			try {
				Thread.sleep(2);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted while waiting until " + what, ex);
			}
		}
	}

}
