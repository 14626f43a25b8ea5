package dev.cryo.benchmarks.driver;

import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * each node and of Redis. The nodes are busy between broadcasts too (the heartbeat pings every
 * session and refreshes its claim in Redis): the same period is watched idle first, and what the
 * nodes and Redis did then is subtracted (the "net" figures).
 */
final class ClusterScenario {

	private static final String TEXT_PREFIX = "cluster-bench ";

	private static final int SEQUENCE_DIGITS = 8;

	private static final int MESSAGE_LENGTH = 64;

	private static final long PAUSE_MILLIS = 20;

	private static final int WARMUP_BROADCASTS = 30;

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
	 * Runs every session count on one Redis and one pair of nodes.
	 * @return the result table in Markdown
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
		try (BenchRedis redis = BenchRedis.start(directory.resolve("redis"), this.pin);
				ServerProcess nodeA = startNode(directory, "node-a", redis, prefix);
				ServerProcess nodeB = startNode(directory, "node-b", redis, prefix)) {
			System.out.println("Cluster: redis-server pid " + redis.pid() + " on port " + redis.port() + ", node A pid "
					+ nodeA.pid() + " on port " + nodeA.port() + ", node B pid " + nodeB.pid() + " on port "
					+ nodeB.port() + (this.pin ? " (all on CPU 1, driver on CPU 0)" : " (not pinned)"));
			for (ServerProcess node : List.of(nodeA, nodeB)) {
				if (!node.state(false).clusterEnabled()) {
					throw new IllegalStateException("A cluster node runs without cryo.cluster.redis.enabled");
				}
			}
			for (int sessions : this.settings.clusterSessions()) {
				Row row = measure(clients, redis, prefix, nodeA, nodeB, sessions);
				System.out.println("Cluster broadcast to " + sessions + " sessions: " + row);
				rows.add(row);
			}
		}
		return table(rows);
	}

	private ServerProcess startNode(Path directory, String name, BenchRedis redis, String prefix) throws Exception {
		List<String> options = new ArrayList<>();
		for (String option : this.jvmOptions) {
			// One flight recording file for two processes would not do.
			if (!option.startsWith("-XX:StartFlightRecording")) {
				options.add(option);
			}
		}
		return ServerProcess.start(directory, name, ClusterClassPath.withCluster(), options, this.pin,
				List.of("--cryo.cluster.redis.enabled=true", "--cryo.cluster.redis.node-id=bench-" + name,
						"--cryo.cluster.redis.key-prefix=" + prefix, "--spring.data.redis.host=127.0.0.1",
						"--spring.data.redis.port=" + redis.port()));
	}

	private Row measure(List<HttpClient> clients, BenchRedis redis, String prefix, ServerProcess nodeA,
			ServerProcess nodeB, int sessions) throws Exception {
		List<LeanConnection> open = openAll(clients, nodeA, nodeB, sessions);
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
			Snapshot idleStart = Snapshot.take(redis, nodeA, nodeB);
			Thread.sleep(this.settings.clusterMeasureMillis());
			Snapshot idleEnd = Snapshot.take(redis, nodeA, nodeB);
			Snapshot start = Snapshot.take(redis, nodeA, nodeB);
			List<Long> times = new ArrayList<>();
			while (System.nanoTime() - start.nanos() < period) {
				times.add(broadcast(control, receipts));
			}
			Snapshot end = Snapshot.take(redis, nodeA, nodeB);
			if (receipts.strays() > 0) {
				throw new IllegalStateException(receipts.strays() + " messages arrived twice or out of turn");
			}
			return Row.of(sessions, times, idleStart, idleEnd, start, end, redis.subscribers(prefix));
		}
		finally {
			EchoScenario.closeAll(open);
			awaitSessions(nodeA, 0);
			awaitSessions(nodeB, 0);
		}
	}

	/** Opens the sessions alternately on A and B, in bounded waves as the idle scenario does. */
	private static List<LeanConnection> openAll(List<HttpClient> clients, ServerProcess nodeA, ServerProcess nodeB,
			int sessions) throws InterruptedException {
		List<LeanConnection> open = Collections.synchronizedList(new ArrayList<>());
		Semaphore inFlight = new Semaphore(256);
		List<CompletableFuture<LeanConnection>> opening = new ArrayList<>();
		for (int i = 0; i < sessions; i++) {
			inFlight.acquire();
			ServerProcess node = (i % 2 == 0) ? nodeA : nodeB;
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
			.append("broadcast asked for by a session on node A; 64-byte UTF-8 message. \"net\": less what the same ")
			.append("period cost with the nodes idle (heartbeats, claim refreshes).\n\n");
		table.append("| figure |");
		rows.forEach((row) -> table.append(' ').append(Units.number(row.sessions())).append(" sessions |"));
		table.append("\n|---|");
		rows.forEach((row) -> table.append("---:|"));
		table.append('\n');
		line(table, rows, "broadcasts measured", (row) -> Integer.toString(row.broadcasts()));
		line(table, rows, "time until all received, p50", (row) -> Units.millis(row.p50()));
		line(table, rows, "time until all received, p99", (row) -> Units.millis(row.p99()));
		line(table, rows, "time until all received, max", (row) -> Units.millis(row.max()));
		line(table, rows, "Redis PUBLISH per broadcast", (row) -> Units.format("%.2f", row.publishes()));
		line(table, rows, "Redis subscribers of the cluster's channels", Row::subscribers);
		line(table, rows, "Redis messages delivered per broadcast (PUBLISH × subscribers)",
				(row) -> (row.deliveries() >= 0) ? Units.format("%.2f", row.deliveries()) : "n/a: several channels");
		line(table, rows, "Redis commands per broadcast (net)", (row) -> Units.format("%.1f", row.commands()));
		line(table, rows, "Redis bytes written per broadcast (net)", (row) -> Units.bytes(row.bytesOut()));
		line(table, rows, "node A CPU per broadcast (net / gross)",
				(row) -> Units.millis(row.cpuA()) + " / " + Units.millis(row.grossCpuA()));
		line(table, rows, "node B CPU per broadcast (net / gross)",
				(row) -> Units.millis(row.cpuB()) + " / " + Units.millis(row.grossCpuB()));
		line(table, rows, "node A + B CPU per session reached (net)",
				(row) -> Units.micros((row.cpuA() + row.cpuB()) / row.sessions()));
		// /proc counts CPU time in 10 ms ticks: Redis's share of one broadcast is far below that.
		line(table, rows, "Redis CPU per broadcast (net / gross)",
				(row) -> Units.micros(row.cpuRedis()) + " / " + Units.micros(row.grossCpuRedis()));
		line(table, rows, "idle CPU of node A / node B / Redis (ms per s)",
				(row) -> Units.format("%.1f / %.1f / %.1f", row.idleA(), row.idleB(), row.idleRedis()));
		return table.toString();
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

	/** What the driver reads before and after a period: time, CPU of the three processes, Redis counters. */
	private record Snapshot(long nanos, long cpuA, long cpuB, long cpuRedis, Map<String, Long> counters) {

		static Snapshot take(BenchRedis redis, ServerProcess nodeA, ServerProcess nodeB) throws Exception {
			return new Snapshot(System.nanoTime(), nodeA.cpuNanos(), nodeB.cpuNanos(), ServerProcess.cpuNanos(redis.pid()),
					redis.counters());
		}

		long counter(String name) {
			return this.counters.getOrDefault(name, 0L);
		}

	}

	/**
	 * One session count's figures; times and CPU in nanoseconds, idle CPU in ms per second,
	 * deliveries -1 when there are several channels, whose PUBLISH calls cannot be told apart.
	 */
	private record Row(int sessions, int broadcasts, long p50, long p99, long max, double publishes, String subscribers,
			double deliveries, double commands, double bytesOut, double cpuA, double grossCpuA, double cpuB, double grossCpuB,
			double cpuRedis, double grossCpuRedis, double idleA, double idleB, double idleRedis) {

		static Row of(int sessions, List<Long> times, Snapshot idleStart, Snapshot idleEnd, Snapshot start, Snapshot end,
				Map<String, Long> subscribers) {
			long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
			int count = Math.max(1, sorted.length);
			double idleNanos = idleEnd.nanos() - idleStart.nanos();
			double elapsed = end.nanos() - start.nanos();
			// What the idle period cost, scaled to the measured one: the heartbeat's share of it.
			double scale = elapsed / idleNanos;
			double publishes = (delta(start, end, "cmdstat_publish.calls")
					- scale * delta(idleStart, idleEnd, "cmdstat_publish.calls")) / count;
			double commands = (delta(start, end, "total_commands_processed")
					- scale * delta(idleStart, idleEnd, "total_commands_processed")) / count;
			double bytesOut = (delta(start, end, "total_net_output_bytes")
					- scale * delta(idleStart, idleEnd, "total_net_output_bytes")) / count;
			double cpuA = end.cpuA() - start.cpuA();
			double cpuB = end.cpuB() - start.cpuB();
			double cpuRedis = end.cpuRedis() - start.cpuRedis();
			double idleA = idleEnd.cpuA() - idleStart.cpuA();
			double idleB = idleEnd.cpuB() - idleStart.cpuB();
			double idleRedis = idleEnd.cpuRedis() - idleStart.cpuRedis();
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
					(subscribers.size() == 1) ? publishes * subscribers.values().iterator().next() : -1, commands, bytesOut,
					(cpuA - scale * idleA) / count, cpuA / count, (cpuB - scale * idleB) / count, cpuB / count,
					(cpuRedis - scale * idleRedis) / count, cpuRedis / count, idleA / idleNanos * 1000, idleB / idleNanos * 1000,
					idleRedis / idleNanos * 1000);
		}

		private static long delta(Snapshot from, Snapshot to, String counter) {
			return to.counter(counter) - from.counter(counter);
		}

	}

}
