package dev.cryo.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import dev.cryo.benchmarks.codec.AckBenchmark;
import dev.cryo.benchmarks.codec.CodecBenchmark;
import dev.cryo.benchmarks.driver.LoadDriver;
import dev.cryo.benchmarks.driver.Settings;

/**
 * Runs the whole suite, JMH codec benchmarks first (they fork JVMs of their own, before the
 * driver pins itself to a core), then the end-to-end comparison, and prints one Markdown report
 * that also goes to {@code target/benchmarks/results.md}. Arguments: a preset ({@code full},
 * {@code quick}, {@code smoke}, {@code node}) and {@code key=value} overrides, see {@link Settings}.
 */
public final class BenchmarkSuite {

	private BenchmarkSuite() {
	}

	public static void main(String[] args) throws Exception {
		try {
			run(args);
		}
		catch (Throwable ex) {
			ex.printStackTrace();
			// As below: the clients' threads would keep a failed run, and its connections, alive.
			System.exit(1);
		}
		// The HTTP clients' threads are not daemons; the run is over.
		System.exit(0);
	}

	private static void run(String[] args) throws Exception {
		Settings settings = Settings.parse(args);
		Path workDirectory = Path.of("benchmarks").toAbsolutePath();
		Files.createDirectories(workDirectory);
		Instant started = Instant.now();
		StringBuilder report = new StringBuilder();
		report.append("Machine: ").append(machine()).append('\n');
		report.append("Run: preset ").append(settings).append(", load average at start ").append(loadAverage())
			.append("\n\n");
		if (settings.jmh()) {
			report.append("### Codec (JMH, -prof gc)\n\n").append(codec(settings)).append('\n');
		}
		report.append(settings.preset().equals("node") ? "### Against the Node reference: Cryo, raw `ws` and raw Spring\n\n"
				: "### End to end: Cryo vs raw WebSocket on the same Tomcat\n\n")
			.append(new LoadDriver(settings, workDirectory).run())
			.append('\n');
		report.append("Load average at end ")
			.append(loadAverage())
			.append("; suite took ")
			.append(Duration.between(started, Instant.now()).toSeconds())
			.append(" s.\n");
		Files.writeString(workDirectory.resolve("results.md"), report);
		System.out.println();
		System.out.println(report);
	}

	private static String codec(Settings settings) throws Exception {
		OptionsBuilder options = new OptionsBuilder();
		options.include(CodecBenchmark.class.getName()).include(AckBenchmark.class.getName());
		options.addProfiler(GCProfiler.class)
			.warmupIterations(settings.jmhIterations())
			.measurementIterations(settings.jmhIterations())
			.warmupTime(TimeValue.milliseconds(settings.jmhMillis()))
			.measurementTime(TimeValue.milliseconds(settings.jmhMillis()))
			.forks(1);
		Collection<RunResult> results = new Runner(options.build()).run();
		List<String> rows = new ArrayList<>();
		for (RunResult result : results) {
			String benchmark = result.getParams().getBenchmark();
			String operation = benchmark.substring(benchmark.lastIndexOf('.') + 1);
			String frame = benchmark.contains("AckBenchmark") ? "ACK"
					: result.getParams().getParam("type") + " " + result.getParams().getParam("size") + " B";
			Result<?> primary = result.getPrimaryResult();
			rows.add("| " + frame + " | " + operation + " | "
					+ String.format(Locale.ROOT, "%.1f ± %.1f", primary.getScore(), primary.getScoreError()) + " | "
					+ String.format(Locale.ROOT, "%.0f", allocation(result.getSecondaryResults())) + " |");
		}
		return "| frame | operation | ns/op | B/op allocated |\n|---|---|---:|---:|\n" + String.join("\n", rows) + "\n";
	}

	private static double allocation(Map<String, Result> secondary) {
		for (Map.Entry<String, Result> entry : secondary.entrySet()) {
			if (entry.getKey().endsWith("gc.alloc.rate.norm")) {
				return entry.getValue().getScore();
			}
		}
		return Double.NaN;
	}

	private static String machine() {
		String cpu = "unknown CPU";
		try {
			for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if (line.startsWith("model name")) {
					cpu = line.substring(line.indexOf(':') + 1).trim();
					break;
				}
			}
		}
		catch (IOException ex) {
			// Not Linux: the core count and JDK still say most of it.
		}
		return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
				+ System.getProperty("java.vm.name") + " "
				+ System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + "), "
				+ System.getProperty("os.name") + " " + System.getProperty("os.version");
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return "n/a";
		}
	}

}
