package dev.cryo.benchmarks.driver;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * What a single node pays for having the cluster module on its class path but disabled (issue
 * 21: "must be nothing measurable"): the bench app started without the module's jars, with
 * {@code cryo-redis} alone (and the Spring Data Redis and Lettuce it needs), and with
 * {@code cryo-redis} and {@code spring-boot-starter-data-redis} (as the sample app has them), each
 * time with {@code cryo.cluster.redis.enabled} unset ({@link ClusterClassPath}). The last one
 * includes Boot's own Redis auto-configuration, which an application with the starter pays with
 * or without Cryo. Each round starts a fresh server for each side, in turn, and
 * measures its start (time until it listens, heap and RSS after full collections), the echo of
 * 50 connections with 256-byte messages and a window of 16 (server CPU per round trip), and
 * idle sessions held across heartbeats (heap and RSS per session). The table gives the median of
 * the rounds with their range.
 */
final class ClusterCostScenario {

	private final Settings settings;

	private final Path workDirectory;

	private final List<String> jvmOptions;

	private final boolean pin;

	/** The class paths compared, in the table's order. */
	private enum Side {

		ABSENT("module absent"), MODULE("cryo-redis, disabled"), STARTER("cryo-redis + starter-data-redis, disabled");

		private final String label;

		Side(String label) {
			this.label = label;
		}

		String classPath() {
			return switch (this) {
				case ABSENT -> ClusterClassPath.withoutCluster();
				case MODULE -> ClusterClassPath.withModuleOnly();
				case STARTER -> ClusterClassPath.withCluster();
			};
		}

	}

	/** Figure label to one list of samples per side, in the order of {@link Side}. */
	private final Map<String, List<List<Double>>> samples = new LinkedHashMap<>();

	/** Figures in bytes, formatted as such. */
	private final List<String> byteFigures = new ArrayList<>();

	ClusterCostScenario(Settings settings, Path workDirectory, List<String> jvmOptions, boolean pin) {
		this.settings = settings;
		this.workDirectory = workDirectory;
		this.jvmOptions = jvmOptions;
		this.pin = pin;
	}

	/**
	 * Runs every round.
	 * @return the result table in Markdown
	 */
	String run() throws Exception {
		HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
		List<HttpClient> idleClients = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			idleClients.add(HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build());
		}
		EchoScenario echo = new EchoScenario(50, 256, 16);
		IdleScenario idle = new IdleScenario(this.settings.idleSessions(), this.settings.holdMillis());
		Path directory = this.workDirectory.resolve("cluster-cost");
		for (int round = 1; round <= this.settings.repeat(); round++) {
			for (Side side : Side.values()) {
				try (ServerProcess server = ServerProcess.start(directory, side.name().toLowerCase(Locale.ROOT),
						side.classPath(), this.jvmOptions, this.pin, List.of())) {
					ServerProcess.State started = server.state(true);
					if (started.clusterModule() != (side != Side.ABSENT) || started.clusterEnabled()) {
						throw new IllegalStateException("Expected " + side.label + ", the server reports module "
								+ started.clusterModule() + ", enabled " + started.clusterEnabled());
					}
					System.out.println("Cluster module cost, round " + round + ", " + side.label + ": pid " + server.pid());
					record("start: time until listening (ms)", side, server.startupNanos() / 1e6, false);
					record("start: heap after full GC", side, started.heapUsed(), true);
					record("start: RSS", side, server.rssBytes(), true);
					EchoScenario.Result echoed = echo.run(client, server, true, this.settings.warmupMillis(),
							this.settings.measureMillis());
					System.out.println("  " + echo.label() + ": " + echoed);
					record(echo.label() + ": server CPU per round trip (µs)", side, echoed.cpuPerMessage() / 1000, false);
					record(echo.label() + ": round trips/s", side, echoed.roundTripsPerSecond(), false);
					record(echo.label() + ": RTT p99 (µs)", side, echoed.p99() / 1000.0, false);
					idle.warmUp(idleClients, server);
					IdleScenario.Result held = idle.run(idleClients, server, true);
					System.out.println("  " + idle.label() + ": " + held);
					record(idle.label() + ": heap per session (after full GC)", side, held.heapPerSession(), true);
					record(idle.label() + ": RSS per session", side, held.rssPerSession(), true);
				}
			}
		}
		return table();
	}

	private void record(String figure, Side side, double value, boolean bytes) {
		this.samples.computeIfAbsent(figure, (key) -> {
			List<List<Double>> sides = new ArrayList<>();
			for (int i = 0; i < Side.values().length; i++) {
				sides.add(new ArrayList<>());
			}
			return sides;
		}).get(side.ordinal()).add(value);
		if (bytes && !this.byteFigures.contains(figure)) {
			this.byteFigures.add(figure);
		}
	}

	private String table() {
		StringBuilder table = new StringBuilder();
		table.append("The bench app, Cryo endpoint, server options as above, `cryo.cluster.redis.enabled` unset; ")
			.append("\"absent\": without `cryo-redis` and `spring-boot-starter-data-redis` and what only they bring. ")
			.append("Median of ")
			.append(this.settings.repeat())
			.append(" rounds (range); the ratios are to the module absent.\n\n");
		table.append("| figure |");
		for (Side side : Side.values()) {
			table.append(' ').append(side.label).append(" |");
		}
		table.append(" ratios |\n|---|");
		table.append("---:|".repeat(Side.values().length + 1)).append('\n');
		this.samples.forEach((figure, sides) -> {
			boolean bytes = this.byteFigures.contains(figure);
			table.append("| ").append(figure).append(" |");
			for (List<Double> values : sides) {
				table.append(' ').append(Medians.format(values, bytes)).append(" |");
			}
			double absent = Medians.median(sides.get(0));
			table.append(' ')
				.append(Units.ratio(Medians.median(sides.get(1)), absent))
				.append(" / ")
				.append(Units.ratio(Medians.median(sides.get(2)), absent))
				.append(" |\n");
		});
		return table.toString();
	}

}
