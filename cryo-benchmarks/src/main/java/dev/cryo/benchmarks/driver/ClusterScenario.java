package dev.cryo.benchmarks.driver;

import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Issue 21's cross-node broadcast: a private {@code redis-server} ({@link BenchRedis}) and two
 * bench app nodes with {@code cryo.cluster.redis.enabled=true} on it, all three pinned to the
 * servers' core (CPU 1; the driver and its clients on CPU 0). For each session count the driver
 * opens that many Cryo sessions, alternately on node A and node B, and has the first one (on A)
 * send {@code broadcast <text>}, which the app answers with {@code server.broadcastUtf8(<text>)}:
 * A publishes the 64-byte message once to Redis and delivers it to its own sessions, B receives
 * it from Redis and delivers it to its. The next broadcast starts when every session received
 * the last one (and 20 ms later, so that their ACKs are in), for a set time
 * ({@code cluster-measure}) after a warm-up of half that time.
 *
 * <p>Figures: the time from sending the request until the last of the sessions received the
 * message (the request's own trip to A included), the PUBLISH calls and all Redis commands per
 * broadcast and the bytes Redis wrote ({@code INFO stats}, {@code INFO commandstats}), the
 * subscribers of the cluster's channels ({@code PUBSUB NUMSUB}), and the CPU time per broadcast of
 * each node, of Redis and of the driver. The heartbeat would mix its own work into these (it pings
 * every session and refreshes its claim in Redis), so these nodes run with a heartbeat of 10
 * minutes; what the heartbeat costs is measured apart, on a second pair of nodes with the bench
 * app's 5 s and the same sessions held idle, next to one node alone (cluster off) holding as many
 * sessions as each of the pair.
 */
final class ClusterScenario {

	private static final String TEXT_PREFIX = "cluster-bench ";

	private static final int SEQUENCE_DIGITS = 8;

	private static final int MESSAGE_LENGTH = 64;

	private static final long PAUSE_MILLIS = 20;

	private static final int WARMUP_BROADCASTS = 30;

	/** The broadcast nodes' heartbeat: none during a measurement. */
	private static final String QUIET_HEARTBEAT = "--cryo.keep-alive-interval=10m";

	/** The idle nodes' heartbeat, the bench app's. */
	private static final long HEARTBEAT_MILLIS = 5000;

	private static final String APP_HEARTBEAT = "--cryo.keep-alive-interval=" + HEARTBEAT_MILLIS + "ms";

	private final Settings settings;

	private final Path workDirectory;

	private final List<String> jvmOptions;

	private final boolean pin;

	ClusterScenario(Settings settings, Path workDirectory, List<String> jvmOptions, boolean pin) {
		this.settings = settings;
		this.workDirectory = workDirectory;
		this.jvmOptions = jvmOptions;
		this.pin = pin;
	}

	/**
	 * Runs every session count on one Redis: the broadcasts on one pair of nodes, then the idle
	 * sessions on another pair and on a node alone.
	 * @return the result tables in Markdown
	 */
	String run() throws Exception {
		Path directory = this.workDirectory.resolve("cluster");
		String prefix = "bench:" + System.currentTimeMillis() + ":";
		// Several clients, so that no single selector thread serves all connections.
		List<HttpClient> clients = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			clients.add(HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build());
		}
		List<Row> rows = new ArrayList<>();
		List<HeartbeatRow> heartbeats = new ArrayList<>();
		try (BenchRedis redis = BenchRedis.start(directory.resolve("redis"), this.pin)) {
			try (ServerProcess nodeA = startNode(directory, "node-a", redis, prefix, QUIET_HEARTBEAT);
					ServerProcess nodeB = startNode(directory, "node-b", redis, prefix, QUIET_HEARTBEAT)) {
				System.out.println("Cluster: redis-server pid " + redis.pid() + " on port " + redis.port()
						+ ", node A pid " + nodeA.pid() + " on port " + nodeA.port() + ", node B pid " + nodeB.pid()
						+ " on port " + nodeB.port() + (this.pin ? " (all on CPU 1, driver on CPU 0)" : " (not pinned)"));
				for (int sessions : this.settings.clusterSessions()) {
					Row row = measure(clients, redis, prefix, nodeA, nodeB, sessions);
					System.out.println("Cluster broadcast to " + sessions + " sessions: " + row);
					rows.add(row);
				}
			}
			String idlePrefix = prefix + "idle:";
			List<double[]> cluster = new ArrayList<>();
			try (ServerProcess nodeA = startNode(directory, "idle-a", redis, idlePrefix, APP_HEARTBEAT);
					ServerProcess nodeB = startNode(directory, "idle-b", redis, idlePrefix, APP_HEARTBEAT)) {
				for (int sessions : this.settings.clusterSessions()) {
					cluster.add(idle(clients, List.of(nodeA, nodeB), redis, sessions));
				}
			}
			try (ServerProcess alone = ServerProcess.start(directory, "idle-alone", ClusterClassPath.withoutCluster(),
					nodeOptions(), this.pin, List.of(APP_HEARTBEAT))) {
				for (int i = 0; i < this.settings.clusterSessions().size(); i++) {
					int sessions = this.settings.clusterSessions().get(i);
					double[] single = idle(clients, List.of(alone), null, sessions / 2);
					HeartbeatRow row = new HeartbeatRow(sessions, cluster.get(i), single[0]);
					System.out.println("Cluster heartbeat with " + sessions + " sessions: " + row);
					heartbeats.add(row);
				}
			}
		}
		return table(rows) + '\n' + heartbeatTable(heartbeats);
	}

	private List<String> nodeOptions() {
		List<String> options = new ArrayList<>();
		for (String option : this.jvmOptions) {
			// One flight recording file for several processes would not do.
			if (!option.startsWith("-XX:StartFlightRecording")) {
				options.add(option);
			}
		}
		return options;
	}

	private ServerProcess startNode(Path directory, String name, BenchRedis redis, String prefix, String heartbeat)
			throws Exception {
		ServerProcess node = ServerProcess.start(directory, name, ClusterClassPath.withCluster(), nodeOptions(), this.pin,
				List.of("--cryo.cluster.redis.enabled=true", "--cryo.cluster.redis.node-id=bench-" + name,
						"--cryo.cluster.redis.key-prefix=" + prefix, "--spring.data.redis.host=127.0.0.1",
						"--spring.data.redis.port=" + redis.port(), heartbeat,
						// Longer than the heartbeat, as the auto-configuration requires.
						"--cryo.cluster.redis.session-ttl=" + (heartbeat.equals(QUIET_HEARTBEAT) ? "30m" : "30s")));
		if (!node.state(false).clusterEnabled()) {
			node.close();
			throw new IllegalStateException("A cluster node runs without cryo.cluster.redis.enabled");
		}
		return node;
	}

	/**
	 * Holds the sessions idle across the nodes for the measured period, after one heartbeat
	 * interval, and returns the CPU per second of each node (ms), then, with Redis, its CPU per
	 * second (ms) and commands per second.
	 */
	private double[] idle(List<HttpClient> clients, List<ServerProcess> nodes, @Nullable BenchRedis redis,
			int sessions) throws Exception {
		List<LeanConnection> open = openAll(clients, nodes, sessions);
		try {
			for (int i = 0; i < nodes.size(); i++) {
				awaitSessions(nodes.get(i), (sessions + nodes.size() - 1 - i) / nodes.size());
			}
			Thread.sleep(HEARTBEAT_MILLIS);
			long[] cpuBefore = new long[nodes.size()];
			for (int i = 0; i < nodes.size(); i++) {
				cpuBefore[i] = nodes.get(i).cpuNanos();
			}
			long redisCpuBefore = (redis != null) ? ServerProcess.cpuNanos(redis.pid()) : 0;
			long commandsBefore = (redis != null) ? redis.counters().getOrDefault("total_commands_processed", 0L) : 0;
			long start = System.nanoTime();
			Thread.sleep(this.settings.clusterMeasureMillis());
			double seconds = (System.nanoTime() - start) / 1e9;
			double[] figures = new double[nodes.size() + 2];
			for (int i = 0; i < nodes.size(); i++) {
				figures[i] = (nodes.get(i).cpuNanos() - cpuBefore[i]) / 1e6 / seconds;
			}
			if (redis != null) {
				figures[nodes.size()] = (ServerProcess.cpuNanos(redis.pid()) - redisCpuBefore) / 1e6 / seconds;
				figures[nodes.size() + 1] = (redis.counters().getOrDefault("total_commands_processed", 0L)
						- commandsBefore) / seconds;
			}
			return figures;
		}
		finally {
			EchoScenario.closeAll(open);
			for (ServerProcess node : nodes) {
				awaitSessions(node, 0);
			}
		}
	}

	private Row measure(List<HttpClient> clients, BenchRedis redis, String prefix, ServerProcess nodeA,
			ServerProcess nodeB, int sessions) throws Exception {
		List<LeanConnection> open = openAll(clients, List.of(nodeA, nodeB), sessions);
		try {
			awaitSessions(nodeA, (sessions + 1) / 2);
			awaitSessions(nodeB, sessions / 2);
			Receipts receipts = new Receipts(sessions);
			for (LeanConnection connection : open) {
				connection.handler(receipts);
			}
			// The first connection, on node A, asks for the broadcasts.
			LeanConnection control = open.get(0);
			// Warm-up, unmeasured: the JIT compiles the paths of a broadcast (its threads' CPU time
			// is the process's) before anything is measured, the idle period included.
			long period = TimeUnit.MILLISECONDS.toNanos(this.settings.clusterMeasureMillis());
			long warmUpStart = System.nanoTime();
			for (int i = 0; i < WARMUP_BROADCASTS || System.nanoTime() - warmUpStart < period / 2; i++) {
				broadcast(control, receipts);
			}
			Snapshot start = Snapshot.take(redis, nodeA, nodeB);
			List<Long> times = new ArrayList<>();
			while (System.nanoTime() - start.nanos() < period) {
				times.add(broadcast(control, receipts));
			}
			Snapshot end = Snapshot.take(redis, nodeA, nodeB);
			if (receipts.strays() > 0) {
				throw new IllegalStateException(receipts.strays() + " messages arrived twice or out of turn");
			}
			return Row.of(sessions, times, start, end, redis.subscribers(prefix));
		}
		finally {
			EchoScenario.closeAll(open);
			awaitSessions(nodeA, 0);
			awaitSessions(nodeB, 0);
		}
	}

	/** Opens the sessions on the nodes in turn, in bounded waves as the idle scenario does. */
	private static List<LeanConnection> openAll(List<HttpClient> clients, List<ServerProcess> nodes, int sessions)
			throws InterruptedException {
		List<LeanConnection> open = Collections.synchronizedList(new ArrayList<>());
		Semaphore inFlight = new Semaphore(256);
		List<CompletableFuture<LeanConnection>> opening = new ArrayList<>();
		for (int i = 0; i < sessions; i++) {
			inFlight.acquire();
			ServerProcess node = nodes.get(i % nodes.size());
			opening.add(LeanConnection.open(clients.get(i % clients.size()), node.port(), true, Sids.next())
				.whenComplete((opened, failure) -> inFlight.release()));
		}
		// In order: the first is the control connection on A.
		for (CompletableFuture<LeanConnection> connection : opening) {
			open.add(connection.join());
		}
		return open;
	}

	private static void awaitSessions(ServerProcess node, int sessions) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		int now = node.state(false).cryoSessions();
		while (now != sessions) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Node on port " + node.port() + " has " + now + " sessions, not " + sessions);
			}
			Thread.sleep(200);
			now = node.state(false).cryoSessions();
		}
	}

	/** Sends one broadcast request and returns the time until every session received the message. */
	private static long broadcast(LeanConnection control, Receipts receipts) throws Exception {
		long sequence = receipts.next();
		StringBuilder text = new StringBuilder(TEXT_PREFIX).append(String.format("%0" + SEQUENCE_DIGITS + "d", sequence))
			.append(' ');
		while (text.length() < MESSAGE_LENGTH) {
			text.append('x');
		}
		long start = System.nanoTime();
		control.sendUtf8("broadcast " + text);
		long last = receipts.awaitAll();
		Thread.sleep(PAUSE_MILLIS);
		return last - start;
	}

	private static String table(List<Row> rows) {
		StringBuilder table = new StringBuilder();
		table.append("Two bench app nodes and redis-server on CPU 1, the driver on CPU 0; sessions split evenly, the ")
			.append("broadcast asked for by a session on node A; 64-byte UTF-8 message; heartbeat out of the way ")
			.append("(10 min).\n\n");
		header(table, rows.stream().map(Row::sessions).toList());
		line(table, rows, "broadcasts measured", (row) -> Integer.toString(row.broadcasts()));
		line(table, rows, "time until all received, p50", (row) -> Units.millis(row.p50()));
		line(table, rows, "time until all received, p99", (row) -> Units.millis(row.p99()));
		line(table, rows, "time until all received, max", (row) -> Units.millis(row.max()));
		line(table, rows, "Redis PUBLISH per broadcast", (row) -> Units.format("%.2f", row.publishes()));
		line(table, rows, "Redis subscribers of the cluster's channels", Row::subscribers);
		line(table, rows, "Redis messages delivered per broadcast (PUBLISH × subscribers)",
				(row) -> (row.deliveries() >= 0) ? Units.format("%.2f", row.deliveries()) : "n/a: several channels");
		line(table, rows, "Redis commands per broadcast", (row) -> Units.format("%.2f", row.commands()));
		line(table, rows, "Redis bytes written per broadcast", (row) -> Units.bytes(row.bytesOut()));
		line(table, rows, "node A CPU per broadcast", (row) -> Units.millis(row.cpuA()));
		line(table, rows, "node B CPU per broadcast", (row) -> Units.millis(row.cpuB()));
		line(table, rows, "node A + B CPU per session reached", (row) -> Units.micros((row.cpuA() + row.cpuB()) / row.sessions()));
		// /proc counts CPU time in 10 ms ticks: Redis's share of one broadcast is an average over many.
		line(table, rows, "Redis CPU per broadcast", (row) -> Units.micros(row.cpuRedis()));
		line(table, rows, "driver (all clients) CPU per broadcast", (row) -> Units.millis(row.cpuDriver()));
		return table.toString();
	}

	private static String heartbeatTable(List<HeartbeatRow> rows) {
		StringBuilder table = new StringBuilder();
		table.append("The same sessions held idle for the measured period, with the bench app's heartbeat (5 s): on a ")
			.append("pair of cluster nodes, and half of them on one node alone with the cluster off (its class path ")
			.append("without the module), so that each node holds as many sessions in both.\n\n");
		List<Integer> sessions = rows.stream().map(HeartbeatRow::sessions).toList();
		header(table, sessions);
		heartbeatLine(table, rows, "sessions per node", (row) -> Units.number(row.sessions() / 2.0));
		heartbeatLine(table, rows, "node CPU, cluster A / B (ms per s)",
				(row) -> Units.format("%.1f / %.1f", row.cluster()[0], row.cluster()[1]));
		heartbeatLine(table, rows, "node CPU, alone (ms per s)", (row) -> Units.format("%.1f", row.alone()));
		heartbeatLine(table, rows, "idle CPU per session and heartbeat interval, cluster / alone",
				(row) -> Units.micros(perHeartbeat(row, (row.cluster()[0] + row.cluster()[1]) / 2)) + " / "
						+ Units.micros(perHeartbeat(row, row.alone())));
		// Redis counts the commands a script calls too: a claim refresh is EVALSHA, GET and PEXPIRE.
		heartbeatLine(table, rows, "Redis commands per s (inside scripts included)",
				(row) -> Units.number(row.cluster()[3]));
		heartbeatLine(table, rows, "Redis CPU (ms per s)", (row) -> Units.format("%.1f", row.cluster()[2]));
		return table.toString();
	}

	/** A node's CPU per second (ms) as nanoseconds per session and heartbeat interval. */
	private static double perHeartbeat(HeartbeatRow row, double millisPerSecond) {
		return millisPerSecond * 1e6 * (HEARTBEAT_MILLIS / 1000.0) / (row.sessions() / 2.0);
	}

	private static void header(StringBuilder table, List<Integer> sessions) {
		table.append("| figure |");
		sessions.forEach((count) -> table.append(' ').append(Units.number(count)).append(" sessions |"));
		table.append("\n|---|");
		sessions.forEach((count) -> table.append("---:|"));
		table.append('\n');
	}

	private static void heartbeatLine(StringBuilder table, List<HeartbeatRow> rows, String figure,
			Function<HeartbeatRow, String> value) {
		table.append("| ").append(figure).append(" |");
		for (HeartbeatRow row : rows) {
			table.append(' ').append(value.apply(row)).append(" |");
		}
		table.append('\n');
	}

	private static void line(StringBuilder table, List<Row> rows, String figure,
			Function<Row, String> value) {
		table.append("| ").append(figure).append(" |");
		for (Row row : rows) {
			table.append(' ').append(value.apply(row)).append(" |");
		}
		table.append('\n');
	}

	/**
	 * Counts the sessions that received the current broadcast, on the connections' listener
	 * threads: the message carries its sequence number at a fixed offset.
	 */
	private static final class Receipts implements LeanConnection.Handler {

		private final int sessions;

		private final AtomicInteger remaining = new AtomicInteger();

		private final AtomicLong strays = new AtomicLong();

		private volatile CompletableFuture<Long> done = new CompletableFuture<>();

		private volatile long expected = -1;

		private long sequence;

		Receipts(int sessions) {
			this.sessions = sessions;
		}

		/** Starts the next broadcast's count and returns its sequence number. */
		long next() {
			this.sequence++;
			this.done = new CompletableFuture<>();
			this.remaining.set(this.sessions);
			// Written last: a listener that sees it sees the count and the future too.
			this.expected = this.sequence;
			return this.sequence;
		}

		/** Waits for the last receipt and returns when it happened ({@link System#nanoTime()}). */
		long awaitAll() throws Exception {
			try {
				return this.done.get(60, TimeUnit.SECONDS);
			}
			catch (TimeoutException ex) {
				throw new IllegalStateException(this.remaining.get() + " of " + this.sessions
						+ " sessions did not receive broadcast " + this.sequence + " within 60 s", ex);
			}
		}

		long strays() {
			return this.strays.get();
		}

		@Override
		public void onData(LeanConnection connection, int type, ByteBuffer payload) {
			long now = System.nanoTime();
			if (type != LeanConnection.UTF8DATA || payload.remaining() < TEXT_PREFIX.length() + SEQUENCE_DIGITS) {
				return;
			}
			long received = Long.parseLong(StandardCharsets.US_ASCII
				.decode(payload.slice(payload.position() + TEXT_PREFIX.length(), SEQUENCE_DIGITS))
				.toString());
			if (received != this.expected) {
				this.strays.incrementAndGet();
				return;
			}
			int left = this.remaining.decrementAndGet();
			if (left == 0) {
				this.done.complete(now);
			}
			else if (left < 0) {
				this.strays.incrementAndGet();
			}
		}

	}

	/**
	 * What the driver reads before and after a period: time, CPU of the nodes, of Redis and of
	 * the driver, and Redis's counters.
	 */
	private record Snapshot(long nanos, long cpuA, long cpuB, long cpuRedis, long cpuDriver, Map<String, Long> counters) {

		static Snapshot take(BenchRedis redis, ServerProcess nodeA, ServerProcess nodeB) throws Exception {
			return new Snapshot(System.nanoTime(), nodeA.cpuNanos(), nodeB.cpuNanos(), ServerProcess.cpuNanos(redis.pid()),
					ServerProcess.cpuNanos(ProcessHandle.current().pid()), redis.counters());
		}

		long counter(String name) {
			return this.counters.getOrDefault(name, 0L);
		}

	}

	/**
	 * One session count's broadcast figures, per broadcast; times and CPU in nanoseconds,
	 * deliveries -1 when there are several channels, whose PUBLISH calls cannot be told apart.
	 */
	private record Row(int sessions, int broadcasts, long p50, long p99, long max, double publishes, String subscribers,
			double deliveries, double commands, double bytesOut, double cpuA, double cpuB, double cpuRedis,
			double cpuDriver) {

		static Row of(int sessions, List<Long> times, Snapshot start, Snapshot end, Map<String, Long> subscribers) {
			long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
			double count = Math.max(1, sorted.length);
			double publishes = delta(start, end, "cmdstat_publish.calls") / count;
			StringBuilder channels = new StringBuilder();
			subscribers.forEach((channel, subscribed) -> channels.append((channels.length() > 0) ? ", " : "")
				.append('`')
				.append(channel.substring(channel.lastIndexOf(':') + 1))
				.append("` ")
				.append(subscribed));
			return new Row(sessions, sorted.length, Latencies.percentile(sorted, 0.50), Latencies.percentile(sorted, 0.99),
					(sorted.length > 0) ? sorted[sorted.length - 1] : 0, publishes,
					channels.isEmpty() ? "none" : channels.toString(),
					// Redis counts no deliveries; with one channel every PUBLISH reaches all its subscribers.
					(subscribers.size() == 1) ? publishes * subscribers.values().iterator().next() : -1,
					delta(start, end, "total_commands_processed") / count,
					delta(start, end, "total_net_output_bytes") / count, (end.cpuA() - start.cpuA()) / count,
					(end.cpuB() - start.cpuB()) / count, (end.cpuRedis() - start.cpuRedis()) / count,
					(end.cpuDriver() - start.cpuDriver()) / count);
		}

		private static long delta(Snapshot from, Snapshot to, String counter) {
			return to.counter(counter) - from.counter(counter);
		}

	}

	/**
	 * One session count's idle figures.
	 * @param sessions the sessions across the pair
	 * @param cluster CPU of node A and node B and of Redis (ms per s), Redis commands per s
	 * @param alone CPU of the node alone with half the sessions (ms per s)
	 */
	private record HeartbeatRow(int sessions, double[] cluster, double alone) {

		@Override
		public String toString() {
			return "HeartbeatRow[sessions=" + this.sessions + ", cluster=" + Arrays.toString(this.cluster)
					+ ", alone=" + this.alone + "]";
		}

	}

}
