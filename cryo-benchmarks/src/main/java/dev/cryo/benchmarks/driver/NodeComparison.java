package dev.cryo.benchmarks.driver;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Issue 16's comparison with the Node reference server, through a common baseline: a raw Node
 * {@code ws} echo ({@code src/main/node/ws-baseline}) measured with the same scenarios and the
 * same raw-mode {@link LeanConnection} as the raw Spring handler. The bench app runs first (the
 * Cryo endpoint, then the raw Spring handler on the same Tomcat, scenario by scenario), then,
 * once it has stopped, the Node server alone on the same core. The reference server itself is
 * not run here: its ratios to raw {@code ws}, measured by the issue on this machine kind, are
 * the constants below, and Cryo's ratios to raw {@code ws} are held against them.
 */
final class NodeComparison {

	/** The figures of the comparison in the order of the table, with the reference's CPU ratio to raw ws. */
	private static final List<Echo> ECHOES = List.of(new Echo(new EchoScenario(50, 256, 16), 2.99),
			new Echo(new EchoScenario(1, 64, 64), 2.83), new Echo(new EchoScenario(1, 64, 1), 2.06),
			new Echo(new EchoScenario(1, 64 * 1024, 8), 2.04));

	/** The reference's RTT p99 at (1, 64 B, 1), 0.38 ms: an absolute target, the issue gives no ratio. */
	private static final long REFERENCE_P99_WINDOW_1 = 380_000;

	/** The most unmeasured pushes before the measured one, see {@link #warmUp}. */
	private static final int STREAM_WARM_UP_ROUNDS = 8;

	/** The reference's server CPU per MiB pushed, as a ratio to raw ws. */
	private static final double REFERENCE_STREAM = 1.00;

	/** Below this RSS growth per connection, raw ws's idle RSS is noise and no ratio is judged. */
	private static final double MIN_MEASURABLE_RSS_PER_SESSION = 512;

	/** The reference's idle RSS per session as a ratio to raw ws, at 10 000 sessions. */
	private static final double REFERENCE_IDLE_10000 = 2.33;

	/** The same at 2 000 sessions: a smaller run is compared with this one. */
	private static final double REFERENCE_IDLE_2000 = 4.64;

	private final Settings settings;

	private final Path workDirectory;

	private final List<String> jvmOptions;

	private final boolean pin;

	NodeComparison(Settings settings, Path workDirectory, List<String> jvmOptions, boolean pin) {
		this.settings = settings;
		this.workDirectory = workDirectory;
		// The starter's own heartbeat instead of the bench app's 5 s, as a user runs it. With 5 s,
		// the 10,000 sessions that close at once after the idle hold stall Tomcat: its reply to
		// each peer's close waits for the session's ping in flight, whose completion Tomcat hands
		// to the same 200 threads (BENCHMARKS.md, "A mass close on Tomcat").
		this.jvmOptions = new ArrayList<>(jvmOptions);
		this.jvmOptions.add("-Dcryo.keep-alive-interval=15s");
		this.pin = pin;
	}

	String run() throws Exception {
		// Installed before anything is measured: npm must not share the cores with a measurement.
		Path nodeDirectory = install();
		String versions = "node " + command("node", "--version") + ", ws " + installedWsVersion(nodeDirectory);
		HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
		// Several clients for the idle connections, so that no single selector thread serves them all.
		List<HttpClient> idleClients = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			idleClients.add(HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build());
		}
		Side cryo = new Side();
		Side spring = new Side();
		Side ws = new Side();
		Side netty = null;
		try (ServerProcess server = ServerProcess.start(this.workDirectory, this.jvmOptions, this.pin)) {
			System.out.println("Bench app pid " + server.pid() + " on port " + server.port() + ", options "
					+ this.jvmOptions + (this.pin ? " (server on CPU 1, driver on CPU 0)" : " (not pinned)"));
			measure(server, client, idleClients, cryo, spring, true);
		}
		if (this.settings.netty()) {
			// A process of its own, so that its idle figures do not start from the Tomcat side's heap.
			netty = new Side();
			Path portFile = this.workDirectory.resolve("cryo.port");
			Files.deleteIfExists(portFile);
			try (ServerProcess server = ServerProcess.start(this.workDirectory, nettyOptions(portFile), this.pin);
					ServerProcess transport = server.atPort(awaitPort(portFile))) {
				System.out.println("Cryo on Netty pid " + transport.pid() + " on port " + transport.port() + ", options "
						+ nettyOptions(portFile));
				measure(transport, client, idleClients, netty, null, true);
			}
		}
		// Only now: a stopped JVM leaves the server's core to node alone.
		try (ServerProcess server = ServerProcess.startNode(this.workDirectory, nodeDirectory, this.pin)) {
			System.out.println("Node ws baseline pid " + server.pid() + " on port " + server.port() + ", " + versions);
			measure(server, client, idleClients, ws, null, false);
		}
		return table(cryo, spring, ws, netty, versions);
	}

	/**
	 * The same application and JVM options with the Cryo endpoint on the Netty transport, on a
	 * port of its own that the app writes to {@code portFile}, plus the {@code netty-options}.
	 */
	private List<String> nettyOptions(Path portFile) {
		List<String> options = new ArrayList<>(this.jvmOptions);
		options.addAll(List.of("-Dcryo.transport=netty", "-Dcryo.port=0",
				"-Dbench.cryo-port-file=" + portFile.toAbsolutePath()));
		if (!this.settings.nettyOptions().isBlank()) {
			options.addAll(List.of(this.settings.nettyOptions().trim().split("\\s+")));
		}
		return options;
	}

	/** The app writes the port once it is ready, which is after Tomcat's port file the start waited for. */
	private static int awaitPort(Path portFile) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (!Files.exists(portFile)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The app did not write its Cryo port to " + portFile);
			}
			Thread.sleep(50);
		}
		return Integer.parseInt(Files.readString(portFile).trim());
	}

	/**
	 * Runs the scenarios against one server into {@code first} (Cryo when the server has a Cryo
	 * endpoint there, raw otherwise), and raw-mode into {@code raw} if given.
	 */
	private void measure(ServerProcess server, HttpClient client, List<HttpClient> idleClients, Side first,
			@Nullable Side raw, boolean cryoEndpoint) throws Exception {
		// Raw ws has no Cryo endpoint; the bench app's sides (Tomcat, Netty) speak Cryo.
		boolean bench = cryoEndpoint;
		if (this.settings.runs("echo")) {
			for (Echo echo : ECHOES) {
				EchoScenario scenario = echo.scenario();
				if (!scenario.label().contains(this.settings.match())) {
					continue;
				}
				first.echoes.put(scenario.label(), scenario.run(client, server, bench, this.settings.warmupMillis(),
						this.settings.measureMillis()));
				if (raw != null) {
					raw.echoes.put(scenario.label(), scenario.run(client, server, false, this.settings.warmupMillis(),
							this.settings.measureMillis()));
				}
				System.out.println(scenario.label() + ": " + first.echoes.get(scenario.label())
						+ ((raw != null) ? ", raw Spring " + raw.echoes.get(scenario.label()) : ""));
			}
		}
		if (this.settings.runs("idle")) {
			IdleScenario scenario = idle();
			if (raw != null || !cryoEndpoint) {
				// Fills Tomcat's cache of socket wrappers with raw connections (it has no use on
				// the Netty transport's port, which serves no raw endpoint, nor on node).
				scenario.warmUp(idleClients, server);
			}
			first.idle = scenario.run(idleClients, server, bench);
			if (raw != null) {
				raw.idle = scenario.run(idleClients, server, false);
			}
			System.out.println(scenario.label() + ": " + first.idle + ((raw != null) ? ", raw Spring " + raw.idle : ""));
		}
		if (this.settings.runs("stream")) {
			// No half-way heap probe: its full collections would be charged to the JVM's CPU time.
			StreamScenario scenario = new StreamScenario(this.settings.streamBytes(), true, false);
			// Unmeasured pushes of the same size first, as the echoes have their warm-up: what is
			// compared is a server that has compiled its send path, not the JIT compiling it.
			warmUp(scenario, client, server, bench);
			first.stream = scenario.run(client, server, bench);
			if (raw != null) {
				warmUp(scenario, client, server, false);
				raw.stream = scenario.run(client, server, false);
			}
			System.out.println(scenario.label() + ": " + first.stream + ((raw != null) ? ", raw Spring " + raw.stream : ""));
		}
	}

	/**
	 * Pushes the transfer unmeasured until the JIT compilers used at most 2 % of the server's
	 * CPU during one: a single quarter-size push left the per-chunk code compiling through the
	 * measured push (profiled: C2 threads on up to half of the pinned core; 32-56 % of the
	 * measured CPU in the node preset). At most {@value #STREAM_WARM_UP_ROUNDS} rounds; once for
	 * a server without compiler threads (node).
	 */
	private static void warmUp(StreamScenario warmUp, HttpClient client, ServerProcess server, boolean cryo)
			throws Exception {
		for (int round = 1; round <= STREAM_WARM_UP_ROUNDS; round++) {
			ServerProcess.CpuUse cpu = warmUp.run(client, server, cryo).cpu();
			if (cpu.compilerNanos() <= 0.02 * cpu.totalNanos()) {
				return;
			}
			System.out.println("Stream warm-up round " + round + ": " + cpu.compilerNanos() / 1_000_000
					+ " ms of JIT compiler CPU in " + cpu.totalNanos() / 1_000_000 + " ms of server CPU, another round");
		}
	}

	private IdleScenario idle() {
		return new IdleScenario(this.settings.idleSessions(), this.settings.holdMillis());
	}

	/**
	 * Installs the committed package (package.json and its lock, server.js) into
	 * {@code target/benchmarks/ws-baseline} with {@code npm ci}, so that only this preset needs
	 * node and npm, and only when it runs.
	 */
	private Path install() throws IOException, InterruptedException {
		Path source = Path.of(System.getProperty("cryo.bench.node-dir", "../src/main/node/ws-baseline"));
		Path target = this.workDirectory.resolve("ws-baseline");
		Files.createDirectories(target);
		for (String file : List.of("package.json", "package-lock.json", "server.js")) {
			Files.copy(source.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
		}
		Path log = this.workDirectory.resolve("npm-ci.log");
		Process npm = new ProcessBuilder("npm", "ci", "--prefer-offline", "--prefix", target.toAbsolutePath().toString(), "--no-audit",
				"--no-fund")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
			npm.destroyForcibly();
			throw new IllegalStateException("npm ci failed; see " + log);
		}
		return target;
	}

	private static String installedWsVersion(Path nodeDirectory) throws IOException {
		String manifest = Files.readString(nodeDirectory.resolve("node_modules/ws/package.json"));
		Matcher version = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(manifest);
		return version.find() ? version.group(1) : "unknown";
	}

	private static String command(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes()).trim();
		process.waitFor();
		return output;
	}

	private String table(Side cryo, Side spring, Side ws, @Nullable Side netty, String versions) {
		Table table = new Table(netty != null);
		for (Echo echo : ECHOES) {
			String label = echo.scenario().label();
			EchoScenario.Result ours = cryo.echoes.get(label);
			EchoScenario.Result baseline = ws.echoes.get(label);
			EchoScenario.Result floor = spring.echoes.get(label);
			EchoScenario.Result onNetty = (netty != null) ? netty.echoes.get(label) : null;
			if (ours == null || baseline == null || floor == null) {
				continue;
			}
			table.section(label);
			double ratio = ours.cpuPerMessage() / baseline.cpuPerMessage();
			table.row("server CPU per round trip", Units.micros(ours.cpuPerMessage()), Units.micros(baseline.cpuPerMessage()),
					Units.format("%.2f", ratio), Units.format("%.2f", echo.reference()),
					"≤ " + Units.format("%.2f", echo.reference()), ratio <= echo.reference(),
					Units.micros(floor.cpuPerMessage()), Units.ratio(floor.cpuPerMessage(), baseline.cpuPerMessage()));
			table.netty((onNetty != null) ? Units.micros(onNetty.cpuPerMessage()) : "",
					(onNetty != null) ? judged(onNetty.cpuPerMessage() / baseline.cpuPerMessage(), echo.reference()) : "");
			table.row("of it: JIT compilers / GC", share(ours.cpu(), ours.samples(), true), "", "", "", "", null,
					share(floor.cpu(), floor.samples(), true), "");
			table.netty((onNetty != null) ? share(onNetty.cpu(), onNetty.samples(), true) : "", "");
			table.row("server CPU per round trip without the JIT compilers", Units.micros(ours.compiledCpuPerMessage()),
					Units.micros(baseline.cpuPerMessage()), Units.format("%.2f", ours.compiledCpuPerMessage() / baseline.cpuPerMessage()),
					Units.format("%.2f", echo.reference()), "(not judged)", null, Units.micros(floor.compiledCpuPerMessage()),
					Units.ratio(floor.compiledCpuPerMessage(), baseline.cpuPerMessage()));
			table.netty((onNetty != null) ? Units.micros(onNetty.compiledCpuPerMessage()) : "",
					(onNetty != null) ? Units.format("%.2f", onNetty.compiledCpuPerMessage() / baseline.cpuPerMessage()) : "");
			if (label.endsWith("window 1")) {
				table.row("RTT p99", Units.micros(ours.p99()), Units.micros(baseline.p99()),
						Units.ratio(ours.p99(), baseline.p99()), "", "≤ 380.0 µs (reference)",
						ours.p99() <= REFERENCE_P99_WINDOW_1, Units.micros(floor.p99()), Units.ratio(floor.p99(), baseline.p99()));
				table.netty((onNetty != null) ? Units.micros(onNetty.p99()) + verdict(onNetty.p99() <= REFERENCE_P99_WINDOW_1) : "",
						(onNetty != null) ? Units.ratio(onNetty.p99(), baseline.p99()) : "");
			}
			else {
				table.row("RTT p99", Units.micros(ours.p99()), Units.micros(baseline.p99()),
						Units.ratio(ours.p99(), baseline.p99()), "", "", null, Units.micros(floor.p99()),
						Units.ratio(floor.p99(), baseline.p99()));
				table.netty((onNetty != null) ? Units.micros(onNetty.p99()) : "",
						(onNetty != null) ? Units.ratio(onNetty.p99(), baseline.p99()) : "");
			}
			table.row("round trips/s", Units.number(ours.roundTripsPerSecond()), Units.number(baseline.roundTripsPerSecond()),
					Units.ratio(ours.roundTripsPerSecond(), baseline.roundTripsPerSecond()), "", "", null,
					Units.number(floor.roundTripsPerSecond()),
					Units.ratio(floor.roundTripsPerSecond(), baseline.roundTripsPerSecond()));
			table.netty((onNetty != null) ? Units.number(onNetty.roundTripsPerSecond()) : "",
					(onNetty != null) ? Units.ratio(onNetty.roundTripsPerSecond(), baseline.roundTripsPerSecond()) : "");
		}
		if (cryo.stream != null && ws.stream != null && spring.stream != null) {
			table.section("stream push server→client " + Units.bytes(this.settings.streamBytes()) + ", 64 KiB chunks");
			double ratio = cryo.stream.cpuPerMib() / ws.stream.cpuPerMib();
			table.row("server CPU per MiB", millis(cryo.stream.cpuPerMib()), millis(ws.stream.cpuPerMib()),
					Units.format("%.2f", ratio), Units.format("%.2f", REFERENCE_STREAM),
					"≤ " + Units.format("%.2f", REFERENCE_STREAM), ratio <= REFERENCE_STREAM, millis(spring.stream.cpuPerMib()),
					Units.ratio(spring.stream.cpuPerMib(), ws.stream.cpuPerMib()));
			StreamScenario.Result onNetty = (netty != null) ? netty.stream : null;
			table.netty((onNetty != null) ? millis(onNetty.cpuPerMib()) : "",
					(onNetty != null) ? judged(onNetty.cpuPerMib() / ws.stream.cpuPerMib(), REFERENCE_STREAM) : "");
			table.row("of it: JIT compilers / GC", share(cryo.stream.cpu(), cryo.stream.mebibytes(), false), "", "", "", "",
					null, share(spring.stream.cpu(), spring.stream.mebibytes(), false), "");
			table.netty((onNetty != null) ? share(onNetty.cpu(), onNetty.mebibytes(), false) : "", "");
			table.row("server CPU per MiB without the JIT compilers", millis(cryo.stream.compiledCpuPerMib()),
					millis(ws.stream.cpuPerMib()), Units.format("%.2f", cryo.stream.compiledCpuPerMib() / ws.stream.cpuPerMib()),
					Units.format("%.2f", REFERENCE_STREAM), "(not judged)", null, millis(spring.stream.compiledCpuPerMib()),
					Units.ratio(spring.stream.compiledCpuPerMib(), ws.stream.cpuPerMib()));
			table.netty((onNetty != null) ? millis(onNetty.compiledCpuPerMib()) : "",
					(onNetty != null) ? Units.format("%.2f", onNetty.compiledCpuPerMib() / ws.stream.cpuPerMib()) : "");
			table.row("MiB/s", Units.format("%.0f", cryo.stream.mibPerSecond()), Units.format("%.0f", ws.stream.mibPerSecond()),
					Units.ratio(cryo.stream.mibPerSecond(), ws.stream.mibPerSecond()), "", "", null,
					Units.format("%.0f", spring.stream.mibPerSecond()),
					Units.ratio(spring.stream.mibPerSecond(), ws.stream.mibPerSecond()));
			table.netty((onNetty != null) ? Units.format("%.0f", onNetty.mibPerSecond()) : "",
					(onNetty != null) ? Units.ratio(onNetty.mibPerSecond(), ws.stream.mibPerSecond()) : "");
		}
		if (cryo.idle != null && ws.idle != null && spring.idle != null) {
			IdleScenario scenario = idle();
			// The issue gives the reference's ratio at 2 000 and at 10 000 sessions; the nearer one applies.
			boolean large = this.settings.idleSessions() >= 6000;
			double reference = large ? REFERENCE_IDLE_10000 : REFERENCE_IDLE_2000;
			table.section(scenario.label());
			table.row("sessions connected / alive after hold / counted by server", counts(cryo.idle), counts(ws.idle), "",
					"", "", null, counts(spring.idle), "");
			IdleScenario.Result onNetty = (netty != null) ? netty.idle : null;
			table.netty((onNetty != null) ? counts(onNetty) : "", "");
			double ratio = cryo.idle.rssPerSession() / ws.idle.rssPerSession();
			// V8 serves new connections from heap it has already committed, and the state request's
			// collections may give memory back: raw ws's RSS growth is often near zero or below it,
			// and a ratio to it says nothing. The live heap below compares instead.
			boolean measurable = ws.idle.rssPerSession() >= MIN_MEASURABLE_RSS_PER_SESSION;
			String target = "≤ " + Units.format("%.2f", reference)
					+ (measurable ? "" : " (not judged: raw ws's RSS growth is below what RSS can show)");
			table.row("RSS per session", Units.bytes(cryo.idle.rssPerSession()), Units.bytes(ws.idle.rssPerSession()),
					measurable ? Units.format("%.2f", ratio) : "–", Units.format("%.2f", reference) + (large ? "" : " (at 2,000)"),
					target, measurable ? ratio <= reference : null, Units.bytes(spring.idle.rssPerSession()),
					measurable ? Units.ratio(spring.idle.rssPerSession(), ws.idle.rssPerSession()) : "–");
			if (!measurable) {
				table.notJudged(scenario.label() + ": RSS per session (raw ws grew by "
						+ Units.bytes(ws.idle.rssPerSession()) + " per connection; compare the live heap)");
			}
			table.netty((onNetty != null) ? Units.bytes(onNetty.rssPerSession()) : "",
					(onNetty != null && measurable) ? judged(onNetty.rssPerSession() / ws.idle.rssPerSession(), reference) : "–");
			// Node: V8's live heap plus Buffers after three full collections, the JVM's counterpart.
			table.row("heap per session (after full GC)", Units.bytes(cryo.idle.heapPerSession()),
					Units.bytes(ws.idle.heapPerSession()), Units.ratio(cryo.idle.heapPerSession(), ws.idle.heapPerSession()),
					"", "", null, Units.bytes(spring.idle.heapPerSession()),
					Units.ratio(spring.idle.heapPerSession(), ws.idle.heapPerSession()));
			table.netty((onNetty != null) ? Units.bytes(onNetty.heapPerSession()) : "",
					(onNetty != null) ? Units.ratio(onNetty.heapPerSession(), ws.idle.heapPerSession()) : "");
			table.row("server RSS while held", Units.bytes(cryo.idle.rss()), Units.bytes(ws.idle.rss()),
					Units.ratio(cryo.idle.rss(), ws.idle.rss()), "", "", null, Units.bytes(spring.idle.rss()),
					Units.ratio(spring.idle.rss(), ws.idle.rss()));
			table.netty((onNetty != null) ? Units.bytes(onNetty.rss()) : "",
					(onNetty != null) ? Units.ratio(onNetty.rss(), ws.idle.rss()) : "");
			table.row("all closed at once: until the server holds none", released(cryo.idle), released(ws.idle), "", "", "",
					null, released(spring.idle), "");
			table.netty((onNetty != null) ? released(onNetty) : "", "");
		}
		return "Cryo: the bench app's `/cryo` endpoint with the starter's defaults, JVM options `"
				+ String.join(" ", this.jvmOptions) + "`; raw Spring: `/raw` in the same process; "
				+ ((netty != null) ? "Cryo on Netty: the same app in a process of its own with `cryo.transport=netty` "
						+ "on a port of its own, same JVM options"
						+ (this.settings.nettyOptions().isBlank() ? "" : " and `" + this.settings.nettyOptions().trim() + "`")
						+ "; " : "")
				+ "raw `ws`: "
				+ versions + ". Each server alone on CPU 1, the driver on CPU 0.\n\n" + table.markdown() + '\n'
				+ (table.misses.isEmpty() ? "All judged targets met." : "Targets missed: " + String.join("; ", table.misses))
				+ '\n' + (table.notJudged.isEmpty() ? "" : "Not judged: " + String.join("; ", table.notJudged) + '\n');
	}

	/** A ratio of the Netty column with its verdict against the reference's ratio. */
	private static String judged(double ratio, double reference) {
		return Units.format("%.2f", ratio) + verdict(ratio <= reference);
	}

	private static String verdict(boolean met) {
		return met ? " ✅" : " ❌";
	}

	private static String released(IdleScenario.Result result) {
		return (result.releaseNanos() < 0) ? "> " + IdleScenario.RELEASE_LIMIT_SECONDS + " s"
				: Units.format("%.1f s", result.releaseNanos() / 1e9);
	}

	private static String counts(IdleScenario.Result result) {
		return result.connected() + " / " + result.alive() + " / " + result.serverSessions();
	}

	/**
	 * What a JVM server's JIT compiler and GC threads used of its CPU, per round trip (µs) or
	 * per MiB (ms).
	 */
	private static String share(ServerProcess.CpuUse cpu, double units, boolean perRoundTrip) {
		if (units <= 0) {
			return "";
		}
		return perRoundTrip ? Units.micros(cpu.compilerNanos() / units) + " / " + Units.micros(cpu.gcNanos() / units)
				: millis(cpu.compilerNanos() / units) + " / " + millis(cpu.gcNanos() / units);
	}

	private static String millis(double nanos) {
		return Units.format("%.2f ms", nanos / 1e6);
	}

	/** An echo scenario of the comparison and the reference's CPU per round trip as a ratio to raw ws. */
	private record Echo(EchoScenario scenario, double reference) {
	}

	/** What one server side measured; absent parts were not run. */
	private static final class Side {

		final Map<String, EchoScenario.Result> echoes = new HashMap<>();

		IdleScenario.@Nullable Result idle;

		StreamScenario.@Nullable Result stream;

	}

	/** The comparison's table: Cryo and raw ws, their ratio, the reference's, the target, and raw Spring. */
	private static final class Table {

		/** Whether the table has the Netty transport's two columns. */
		private final boolean nettyColumns;

		private final List<String> rows = new ArrayList<>();

		private final List<String> misses = new ArrayList<>();

		private final List<String> notJudged = new ArrayList<>();

		Table(boolean nettyColumns) {
			this.nettyColumns = nettyColumns;
		}

		void notJudged(String figure) {
			this.notJudged.add(figure);
		}

		void section(String title) {
			this.rows.add("| **" + title + "** | | | | | | | |" + (this.nettyColumns ? " | |" : ""));
		}

		/** Adds the Netty transport's figure and its ratio to raw ws to the last row, if the table has them. */
		void netty(String figure, String ratio) {
			if (this.nettyColumns) {
				int last = this.rows.size() - 1;
				this.rows.set(last, this.rows.get(last) + " " + figure + " | " + ratio + " |");
			}
		}

		/** One row; {@code met} is {@code null} where the figure has no target. */
		void row(String figure, String cryo, String ws, String ratio, String reference, String target,
				@Nullable Boolean met, String spring, String springRatio) {
			String verdict = (met == null) ? target : target + (met ? " ✅" : " ❌");
			this.rows.add("| " + figure + " | " + cryo + " | " + ws + " | " + ratio + " | " + reference + " | " + verdict
					+ " | " + spring + " | " + springRatio + " |");
			if (met != null && !met) {
				this.misses.add(this.currentSection() + ": " + figure + " (" + target + ")");
			}
		}

		private String currentSection() {
			for (int i = this.rows.size() - 1; i >= 0; i--) {
				String row = this.rows.get(i);
				if (row.startsWith("| **")) {
					return row.substring(4, row.indexOf("**", 4));
				}
			}
			return "";
		}

		String markdown() {
			StringBuilder markdown = new StringBuilder();
			markdown.append("| figure | Cryo | raw `ws` | Cryo ÷ ws | reference ÷ ws | target | raw Spring | raw Spring ÷ ws |")
				.append(this.nettyColumns ? " Cryo on Netty | Netty ÷ ws |\n" : "\n");
			markdown.append("|---|---:|---:|---:|---:|---|---:|---:|").append(this.nettyColumns ? "---:|---:|\n" : "\n");
			for (String row : this.rows) {
				markdown.append(row).append('\n');
			}
			return markdown.toString();
		}

	}

}
