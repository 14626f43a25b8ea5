package dev.cryo.benchmarks.driver;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * What a single node pays for having the cluster module on its class path but disabled (issue
 * 21: "must be nothing measurable"): the bench app started with {@code cryo-redis} and
 * {@code spring-boot-starter-data-redis} on its class path (as the sample app has them) and
 * {@code cryo.cluster.redis.enabled} unset, against the same app without those jars
 * ({@link ClusterClassPath}). Each round starts a fresh server for each side, in turn, and
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

	/** Figure label to one list of samples per side (index 0: absent, 1: present). */
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
			for (boolean present : new boolean[] { false, true }) {
				String classPath = present ? ClusterClassPath.withCluster() : ClusterClassPath.withoutCluster();
				try (ServerProcess server = ServerProcess.start(directory, present ? "present" : "absent", classPath,
						this.jvmOptions, this.pin, List.of())) {
					ServerProcess.State started = server.state(true);
					if (started.clusterModule() != present || started.clusterEnabled()) {
						throw new IllegalStateException("Expected the cluster module " + (present ? "present" : "absent")
								+ " and disabled, the server reports module " + started.clusterModule() + ", enabled "
								+ started.clusterEnabled());
					}
					System.out.println("Cluster module cost, round " + round + ", module " + (present ? "present" : "absent")
							+ ": pid " + server.pid());
					record("start: time until listening (ms)", present, server.startupNanos() / 1e6, false);
					record("start: heap after full GC", present, started.heapUsed(), true);
					record("start: RSS", present, server.rssBytes(), true);
					EchoScenario.Result echoed = echo.run(client, server, true, this.settings.warmupMillis(),
							this.settings.measureMillis());
					System.out.println("  " + echo.label() + ": " + echoed);
					record(echo.label() + ": server CPU per round trip (µs)", present, echoed.cpuPerMessage() / 1000, false);
					record(echo.label() + ": round trips/s", present, echoed.roundTripsPerSecond(), false);
					record(echo.label() + ": RTT p99 (µs)", present, echoed.p99() / 1000.0, false);
					idle.warmUp(idleClients, server);
					IdleScenario.Result held = idle.run(idleClients, server, true);
					System.out.println("  " + idle.label() + ": " + held);
					record(idle.label() + ": heap per session (after full GC)", present, held.heapPerSession(), true);
					record(idle.label() + ": RSS per session", present, held.rssPerSession(), true);
				}
			}
		}
		return table();
	}

	private void record(String figure, boolean present, double value, boolean bytes) {
		this.samples.computeIfAbsent(figure, (key) -> List.of(new ArrayList<>(), new ArrayList<>()))
			.get(present ? 1 : 0)
			.add(value);
		if (bytes && !this.byteFigures.contains(figure)) {
			this.byteFigures.add(figure);
		}
	}

	private String table() {
		StringBuilder table = new StringBuilder();
		table.append("The bench app, Cryo endpoint, server options as above; \"present\": `cryo-redis` and ")
			.append("`spring-boot-starter-data-redis` on the class path, `cryo.cluster.redis.enabled` unset; ")
			.append("\"absent\": the same class path without them. Median of ")
			.append(this.settings.repeat())
			.append(" rounds (range).\n\n");
		table.append("| figure | module absent | module present, disabled | present / absent |\n");
		table.append("|---|---:|---:|---:|\n");
		this.samples.forEach((figure, sides) -> {
			boolean bytes = this.byteFigures.contains(figure);
			table.append("| ")
				.append(figure)
				.append(" | ")
				.append(Medians.format(sides.get(0), bytes))
				.append(" | ")
				.append(Medians.format(sides.get(1), bytes))
				.append(" | ")
				.append(Units.ratio(Medians.median(sides.get(1)), Medians.median(sides.get(0))))
				.append(" |\n");
		});
		return table.toString();
	}

}
