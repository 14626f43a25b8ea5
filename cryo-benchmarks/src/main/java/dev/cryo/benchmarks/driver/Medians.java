package dev.cryo.benchmarks.driver;

import java.util.List;

/**
 * The median of repeated rounds with their range, as the tables of scenarios that repeat rounds
 * on a shared machine give them.
 */
final class Medians {

	private Medians() {
	}

	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		if (sorted.isEmpty()) {
			return 0;
		}
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	/**
	 * Formats the median of the values with their range: as bytes, or as a number with one
	 * decimal below 100 and none above.
	 */
	static String format(List<Double> values, boolean bytes) {
		double median = median(values);
		double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
		double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
		if (bytes) {
			return Units.bytes(median) + " (" + Units.bytes(min) + "–" + Units.bytes(max) + ")";
		}
		String pattern = (median >= 100) ? "%,.0f" : "%.1f";
		return Units.format(pattern, median) + " (" + Units.format(pattern, min) + "–" + Units.format(pattern, max)
				+ ")";
	}

}
