package dev.cryo.benchmarks.driver;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sizes and durations of one suite run: a preset ({@code full}, {@code quick},
 * {@code smoke} or {@code node}) with {@code key=value} overrides, e.g.
 * {@code quick stream=1g jfr=true}. The {@code node} preset compares the Cryo endpoint, run as a
 * user would (no server options), with a raw Node {@code ws} echo ({@link NodeComparison}).
 *
 * @param preset the preset the run started from
 * @param jmh whether the JMH codec benchmarks run
 * @param jmhIterations warm-up and measurement iterations of each JMH benchmark
 * @param jmhMillis length of one JMH iteration
 * @param warmupMillis echo warm-up per side and scenario
 * @param measureMillis echo measurement per side and scenario
 * @param idleSessions sessions held by the idle scenario
 * @param holdMillis how long they are held
 * @param streamBytes bytes moved by each stream scenario
 * @param only a comma-separated list of the parts to run ({@code echo,idle,stream}; {@code compression},
 * {@code endpoints} and {@code cluster} run only when listed, {@code cluster} being
 * {@code cluster-broadcast} and {@code cluster-cost}, which can be asked for alone), empty for all
 * @param jfr whether the server runs with a flight recording (target/benchmarks/server.jfr)
 * @param match only the echo scenarios (and endpoint sides) whose label contains this text, e.g.
 * {@code "window 64"}; {@code +} stands for a space, since the arguments are split at spaces
 * @param serverOptions extra JVM options of the server, separated by spaces; by default Tomcat's
 * WebSocket I/O buffers at 2 KiB and its socket buffers at 4 KiB, the settings README recommends
 * for many idle sessions
 * @param repeat rounds of the compression comparison, whose table gives the median of each figure
 * @param netty whether the {@code node} comparison also measures the bench app with
 * {@code cryo.transport=netty} (on by default there; {@code netty=false} skips it)
 * @param nettyOptions extra JVM options of that Netty side only, separated by {@code +} (the
 * arguments are split at spaces), e.g. {@code netty-options=-Dcryo.netty.handler-threads=0}
 * @param clusterSessions the session counts of the cluster scenario's broadcasts, split evenly
 * across its two nodes ({@code cluster=1000,10000})
 * @param clusterMeasureMillis how long the cluster scenario broadcasts at each count (after a
 * warm-up of half that) and holds the sessions idle to measure the heartbeat
 * ({@code cluster-measure=20000})
 */
public record Settings(String preset, boolean jmh, int jmhIterations, int jmhMillis, long warmupMillis, long measureMillis,
		int idleSessions, long holdMillis, long streamBytes, String only, boolean jfr,
		String match, String serverOptions, int repeat, boolean netty, String nettyOptions, List<Integer> clusterSessions,
		long clusterMeasureMillis) {

	/** Applies to both endpoints alike: they share the container. */
	static final String DEFAULT_SERVER_OPTIONS = "-Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE=2048 "
			+ "-Dbench.socket-buffer-size=4096";

	public static Settings parse(String... args) {
		String preset = (args.length > 0 && !args[0].contains("=")) ? args[0] : "full";
		Map<String, String> values = new HashMap<>(switch (preset) {
			case "full" -> Map.of("jmh", "true", "jmh-iterations", "3", "jmh-millis", "1000", "warmup", "3000",
					"measure", "8000", "idle", "10000", "hold", "12000", "stream", "1g");
			case "quick" -> Map.of("jmh", "true", "jmh-iterations", "1", "jmh-millis", "500", "warmup", "1000",
					"measure", "3000", "idle", "1000", "hold", "6000", "stream", "64m");
			case "smoke" -> Map.of("jmh", "true", "jmh-iterations", "1", "jmh-millis", "100", "warmup", "300",
					"measure", "700", "idle", "200", "hold", "6000", "stream", "8m");
			// The sizes of issue 16's table; no tuning of the server, which runs as a user would.
			case "node" -> Map.of("jmh", "false", "jmh-iterations", "1", "jmh-millis", "500", "warmup", "3000",
					"measure", "8000", "idle", "10000", "hold", "12000", "stream", "256m", "server-options", "");
			default -> throw new IllegalArgumentException("Unknown preset " + preset + ": full, quick, smoke or node");
		});
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (equals > 0) {
				values.put(arg.substring(0, equals), arg.substring(equals + 1));
			}
		}
		return new Settings(preset, Boolean.parseBoolean(values.get("jmh")), Integer.parseInt(values.get("jmh-iterations")),
				Integer.parseInt(values.get("jmh-millis")), Long.parseLong(values.get("warmup")),
				Long.parseLong(values.get("measure")), Integer.parseInt(values.get("idle")),
				Long.parseLong(values.get("hold")), size(values.get("stream")), values.getOrDefault("only", ""),
				Boolean.parseBoolean(values.getOrDefault("jfr", "false")), values.getOrDefault("match", "").replace('+', ' '),
				values.getOrDefault("server-options", DEFAULT_SERVER_OPTIONS),
				Integer.parseInt(values.getOrDefault("repeat", "3")),
				Boolean.parseBoolean(values.getOrDefault("netty", "node".equals(preset) ? "true" : "false")),
				values.getOrDefault("netty-options", "").replace('+', ' '),
				Arrays.stream(values.getOrDefault("cluster", clusterDefault(preset)).split(","))
					.map(String::trim)
					.map(Integer::valueOf)
					.toList(),
				Long.parseLong(values.getOrDefault("cluster-measure", "smoke".equals(preset) ? "3000"
						: "quick".equals(preset) ? "8000" : "20000")));
	}

	/** The cluster scenario's session counts: issue 21's 1,000 and 10,000 in the full run, fewer in the short ones. */
	private static String clusterDefault(String preset) {
		return switch (preset) {
			case "full" -> "1000,10000";
			case "smoke" -> "200";
			default -> "1000";
		};
	}

	public boolean runs(String part) {
		return this.only.isEmpty() || runsExplicitly(part);
	}

	/**
	 * Whether {@code only} names the part: for parts that start servers of their own and run only
	 * when asked for, such as {@code compression}.
	 * @param part the part
	 * @return whether it runs
	 */
	public boolean runsExplicitly(String part) {
		return (',' + this.only + ',').contains(',' + part + ',');
	}

	private static long size(String value) {
		String lower = value.toLowerCase(java.util.Locale.ROOT);
		long factor = switch (lower.charAt(lower.length() - 1)) {
			case 'k' -> 1024L;
			case 'm' -> 1024L * 1024;
			case 'g' -> 1024L * 1024 * 1024;
			default -> 1;
		};
		String digits = (factor == 1) ? lower : lower.substring(0, lower.length() - 1);
		return Long.parseLong(digits) * factor;
	}

}
