package dev.cryo.benchmarks.driver;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The end-to-end half of the suite: starts the bench app in its own JVM and measures, in one
 * run, the Cryo endpoint against the raw WebSocket echo on the same Tomcat. Each scenario runs
 * both sides back to back (Cryo first, then raw) against the same server process. Asked for
 * with {@code only=compression}, it also compares the Cryo endpoint with permessage-deflate
 * declined and accepted ({@link CompressionScenario}), on servers of its own; with
 * {@code only=cluster}, it measures a broadcast across two nodes on Redis
 * ({@link ClusterScenario}) and what the cluster module costs a single node that has it on its
 * class path but disabled ({@link ClusterCostScenario}). The {@code node}
 * preset runs {@link NodeComparison} instead: Cryo and the raw Spring handler against a raw Node
 * {@code ws} echo.
 */
public final class LoadDriver {

	private static final List<EchoScenario> ECHOES = List.of(new EchoScenario(1, 64, 1), new EchoScenario(1, 64, 64),
			new EchoScenario(50, 256, 16), new EchoScenario(1, 64 * 1024, 8));

	private final Settings settings;

	private final Path workDirectory;

	public LoadDriver(Settings settings, Path workDirectory) {
		this.settings = settings;
		this.workDirectory = workDirectory;
	}

	/**
	 * Runs the scenarios the settings ask for.
	 * @return the result table in Markdown
	 */
	public String run() throws Exception {
		boolean pin = pinSelf();
		List<String> jvmOptions = new ArrayList<>(List.of("-Xmx2g", "-XX:+UseG1GC"));
		if (!this.settings.serverOptions().isBlank()) {
			jvmOptions.addAll(List.of(this.settings.serverOptions().trim().split("\\s+")));
		}
		if (this.settings.jfr()) {
			jvmOptions.add("-XX:StartFlightRecording=filename=" + this.workDirectory.resolve("server.jfr").toAbsolutePath()
					+ ",settings=profile");
		}
		if (this.settings.preset().equals("node")) {
			return new NodeComparison(this.settings, this.workDirectory, jvmOptions, pin).run();
		}
		StringBuilder markdown = new StringBuilder();
		if (this.settings.runs("echo") || this.settings.runs("idle") || this.settings.runs("stream")) {
			markdown.append(compare(jvmOptions, pin));
		}
		if (this.settings.runsExplicitly("endpoints")) {
			markdown.append(endpoints(jvmOptions, pin));
		}
		if (this.settings.runsExplicitly("cluster") || this.settings.runsExplicitly("cluster-broadcast")) {
			markdown.append("\n#### Cluster: broadcast across two nodes on Redis (issue 21)\n\n")
				.append(new ClusterScenario(this.settings, this.workDirectory, jvmOptions, pin).run());
		}
		if (this.settings.runsExplicitly("cluster") || this.settings.runsExplicitly("cluster-cost")) {
			markdown.append("\n#### Cluster module on the class path but disabled, single node\n\n")
				.append(new ClusterCostScenario(this.settings, this.workDirectory, jvmOptions, pin).run());
		}
		if (this.settings.runsExplicitly("compression")) {
			markdown.append("\n#### permessage-deflate declined (default) and accepted, Cryo endpoint\n\n")
				.append(new CompressionScenario(this.settings, this.workDirectory, jvmOptions, pin).run());
		}
		return markdown.toString();
	}

	private String compare(List<String> jvmOptions, boolean pin) throws Exception {
		Report report = new Report();
		// The client's own threads, kept few: the driver shares its core with nothing else.
		HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
		try (ServerProcess server = ServerProcess.start(this.workDirectory, jvmOptions, pin)) {
			System.out.println("Bench app pid " + server.pid() + " on port " + server.port()
					+ (pin ? " (server on CPU 1, driver on CPU 0)" : " (not pinned)"));
			if (this.settings.runs("echo")) {
				echo(client, server, report);
			}
			if (this.settings.runs("idle")) {
				idle(server, report);
			}
			if (this.settings.runs("stream")) {
				stream(client, server, report);
			}
		}
		StringBuilder markdown = new StringBuilder(report.markdown());
		markdown.append('\n')
			.append(report.misses().isEmpty() ? "All targets met." : "Targets missed: " + String.join("; ", report.misses()))
			.append('\n');
		return markdown.toString();
	}

	private void echo(HttpClient client, ServerProcess server, Report report) throws Exception {
		for (EchoScenario scenario : ECHOES) {
			if (!scenario.label().contains(this.settings.match())) {
				continue;
			}
			EchoScenario.Result cryo = scenario.run(client, server, true, this.settings.warmupMillis(),
					this.settings.measureMillis());
			EchoScenario.Result raw = scenario.run(client, server, false, this.settings.warmupMillis(),
					this.settings.measureMillis());
			System.out.println(scenario.label() + ": Cryo " + cryo + ", raw " + raw);
			report.section(scenario.label());
			double throughput = cryo.roundTripsPerSecond() / raw.roundTripsPerSecond();
			String label = scenario.label();
			boolean throughputTarget = label.contains("50 conn") || label.contains("window 64");
			if (throughputTarget) {
				report.row("round trips/s", Units.number(cryo.roundTripsPerSecond()), Units.number(raw.roundTripsPerSecond()),
						Units.ratio(cryo.roundTripsPerSecond(), raw.roundTripsPerSecond()), "≥ 0.85", throughput >= 0.85);
			}
			else {
				report.row("round trips/s", Units.number(cryo.roundTripsPerSecond()), Units.number(raw.roundTripsPerSecond()),
						Units.ratio(cryo.roundTripsPerSecond(), raw.roundTripsPerSecond()));
			}
			report.row("RTT p50", Units.micros(cryo.p50()), Units.micros(raw.p50()), Units.ratio(cryo.p50(), raw.p50()));
			report.row("RTT p90", Units.micros(cryo.p90()), Units.micros(raw.p90()), Units.ratio(cryo.p90(), raw.p90()));
			report.row("RTT p99", Units.micros(cryo.p99()), Units.micros(raw.p99()), Units.ratio(cryo.p99(), raw.p99()),
					"≤ 1.5", (double) cryo.p99() / raw.p99() <= 1.5);
			report.row("RTT max", Units.micros(cryo.max()), Units.micros(raw.max()), Units.ratio(cryo.max(), raw.max()));
			report.row("server CPU per round trip", Units.micros(cryo.cpuPerMessage()), Units.micros(raw.cpuPerMessage()),
					Units.ratio(cryo.cpuPerMessage(), raw.cpuPerMessage()));
		}
	}

	/**
	 * The endpoint layer (issue 19): {@code greeter:hello} over Cryo and over the yoctopus wire,
	 * next to the same text echoed by Cryo and by a plain Spring handler, one connection with a
	 * window of 64 and 50 connections with a window of 16.
	 */
	private String endpoints(List<String> jvmOptions, boolean pin) throws Exception {
		HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
		StringBuilder markdown = new StringBuilder("\n#### The endpoint layer: greeter:hello over both wires, next to text echoes\n\n");
		markdown.append("| scenario | side | requests/s | RTT p50 | RTT p99 | server CPU per request |\n|---|---|--:|--:|--:|--:|\n");
		try (ServerProcess server = ServerProcess.start(this.workDirectory, jvmOptions, pin)) {
			for (EndpointScenario scenario : List.of(new EndpointScenario(1, 64), new EndpointScenario(50, 16))) {
				for (EndpointScenario.Side side : EndpointScenario.Side.values()) {
					if (!(scenario.label() + ", " + side.label).contains(this.settings.match())) {
						continue;
					}
					EchoScenario.Result result = scenario.run(client, server, side, this.settings.warmupMillis(),
							this.settings.measureMillis());
					System.out.println(scenario.label() + ", " + side.label + ": " + result);
					markdown.append("| ").append(scenario.label()).append(" | ").append(side.label).append(" | ")
						.append(Units.number(result.roundTripsPerSecond())).append(" | ")
						.append(Units.micros(result.p50())).append(" | ")
						.append(Units.micros(result.p99())).append(" | ")
						.append(Units.micros(result.cpuPerMessage())).append(" |\n");
				}
			}
		}
		return markdown.toString();
	}

	private void idle(ServerProcess server, Report report) throws Exception {
		IdleScenario scenario = new IdleScenario(this.settings.idleSessions(), this.settings.holdMillis());
		// Several clients, so that no single selector thread serves all connections.
		List<HttpClient> clients = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			clients.add(HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build());
		}
		scenario.warmUp(clients, server);
		IdleScenario.Result cryo = scenario.run(clients, server, true);
		IdleScenario.Result raw = scenario.run(clients, server, false);
		System.out.println(scenario.label() + ": Cryo " + cryo + ", raw " + raw);
		report.section(scenario.label());
		report.row("sessions connected / alive after hold / counted by server",
				cryo.connected() + " / " + cryo.alive() + " / " + cryo.serverSessions(),
				raw.connected() + " / " + raw.alive() + " / " + raw.serverSessions(), "");
		report.row("heap per session (after full GC)", Units.bytes(cryo.heapPerSession()),
				Units.bytes(raw.heapPerSession()), Units.ratio(cryo.heapPerSession(), raw.heapPerSession()),
				"Cryo ≤ 32 KiB", cryo.heapPerSession() <= 32 * 1024);
		report.row("RSS per session", Units.bytes(cryo.rssPerSession()), Units.bytes(raw.rssPerSession()),
				Units.ratio(cryo.rssPerSession(), raw.rssPerSession()));
		report.row("server RSS while held", Units.bytes(cryo.rss()), Units.bytes(raw.rss()),
				Units.ratio(cryo.rss(), raw.rss()));
	}

	private void stream(HttpClient client, ServerProcess server, Report report) throws Exception {
		for (boolean download : new boolean[] { true, false }) {
			StreamScenario scenario = new StreamScenario(this.settings.streamBytes(), download);
			StreamScenario.Result cryo = scenario.run(client, server, true);
			StreamScenario.Result raw = scenario.run(client, server, false);
			System.out.println(scenario.label() + ": Cryo " + cryo + ", raw " + raw);
			report.section(scenario.label() + ", 64 KiB chunks");
			report.row("MiB/s", Units.format("%.0f", cryo.mibPerSecond()), Units.format("%.0f", raw.mibPerSecond()),
					Units.ratio(cryo.mibPerSecond(), raw.mibPerSecond()), "≥ 0.8",
					cryo.mibPerSecond() / raw.mibPerSecond() >= 0.8);
			report.row("server heap growth (after full GC, half way)", Units.bytes(cryo.heapGrowth()),
					Units.bytes(raw.heapGrowth()), "", "Cryo ≤ 64 MiB", cryo.heapGrowth() <= 64L * 1024 * 1024);
		}
	}

	/**
	 * Pins every thread of this JVM to CPU 0, leaving CPU 1 to the server, when there are two
	 * cores or more and {@code taskset} exists.
	 * @return whether the server should be pinned to CPU 1
	 */
	private static boolean pinSelf() {
		if (Runtime.getRuntime().availableProcessors() < 2 || !Files.isExecutable(Path.of("/usr/bin/taskset"))) {
			return false;
		}
		try {
			Process taskset = new ProcessBuilder("taskset", "-a", "-cp", "0", Long.toString(ProcessHandle.current().pid()))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return taskset.waitFor() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
