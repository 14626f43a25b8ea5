package dev.cryo.benchmarks.driver;

import java.util.Locale;

/**
 * Formats the numbers of the result tables.
 */
final class Units {

	private Units() {
	}

	static String bytes(double bytes) {
		double magnitude = Math.abs(bytes);
		if (magnitude >= 1024L * 1024 * 1024) {
			return format("%.1f GiB", bytes / (1024.0 * 1024 * 1024));
		}
		if (magnitude >= 1024 * 1024) {
			return format("%.1f MiB", bytes / (1024.0 * 1024));
		}
		if (magnitude >= 1024) {
			return format("%.1f KiB", bytes / 1024.0);
		}
		return format("%.0f B", bytes);
	}

	static String micros(double nanos) {
		return format("%.1f µs", nanos / 1000.0);
	}

	static String millis(double nanos) {
		return format("%.2f ms", nanos / 1e6);
	}

	static String number(double value) {
		return format("%,.0f", value);
	}

	static String ratio(double cryo, double raw) {
		return (raw == 0) ? "n/a" : format("%.2f", cryo / raw);
	}

	static String format(String pattern, Object... arguments) {
		return String.format(Locale.ROOT, pattern, arguments);
	}

}
