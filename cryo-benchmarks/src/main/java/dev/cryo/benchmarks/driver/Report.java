package dev.cryo.benchmarks.driver;

import java.util.ArrayList;
import java.util.List;

/**
 * The result table: every figure as the Cryo value, the raw value and their ratio, with the
 * target it is held against where the issue sets one.
 */
final class Report {

	private final List<String> rows = new ArrayList<>();

	private final List<String> misses = new ArrayList<>();

	void section(String title) {
		this.rows.add("| **" + title + "** | | | | |");
	}

	/** A row without a target. */
	void row(String figure, String cryo, String raw, String ratio) {
		this.rows.add("| " + figure + " | " + cryo + " | " + raw + " | " + ratio + " | |");
	}

	/** A row with a target; {@code met} says whether it holds. */
	void row(String figure, String cryo, String raw, String ratio, String target, boolean met) {
		this.rows.add("| " + figure + " | " + cryo + " | " + raw + " | " + ratio + " | " + target + (met ? " ✅" : " ❌")
				+ " |");
		if (!met) {
			this.misses.add(figure + " (" + target + ")");
		}
	}

	List<String> misses() {
		return this.misses;
	}

	String markdown() {
		StringBuilder table = new StringBuilder();
		table.append("| figure | Cryo | raw | Cryo / raw | target |\n");
		table.append("|---|---:|---:|---:|---|\n");
		for (String row : this.rows) {
			table.append(row).append('\n');
		}
		return table.toString();
	}

}
