package dev.cryo.benchmarks.driver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.cryo.benchmarks.app.BenchApplication;

/**
 * The bench app in a JVM of its own, started from the driver's class path with the same java
 * binary and pinned to its own core where {@code taskset} exists, or the raw Node {@code ws}
 * baseline pinned the same way. It exposes what the tables need from the outside: CPU time
 * (utime + stime of the process), RSS, and heap and session counts through the server's HTTP
 * endpoint ({@code /bench/state}, which both servers answer).
 */
final class ServerProcess implements AutoCloseable {

	private static final long QUIET_COMPILATION_MILLIS = 10;

	private static final long QUIET_WINDOW_MILLIS = 500;

	private static final long QUIET_MAX_MILLIS = 30_000;

	private final Process process;

	private final int port;

	/** Whether this is an {@link #atPort} view, which does not own the process. */
	private boolean view;

	/** The port of the server's HTTP state endpoint: its own port, also for a view. */
	private int statePort;

	/** From the launch until the port file appeared. */
	private long startupNanos;

	// HTTP/1.1: the JDK client's default asks for an h2c upgrade, which node's HTTP server hands to
	// its upgrade listener (the ws server, which refuses it) instead of answering the request.
	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private ServerProcess(Process process, int port) {
		this.process = process;
		this.port = port;
		this.statePort = port;
	}

	/**
	 * Returns a view of this server that the scenarios reach on another of its ports (the bench
	 * app's Cryo port on the Netty transport). Closing the view leaves the server running.
	 * @param otherPort the port
	 * @return the view
	 */
	ServerProcess atPort(int otherPort) {
		ServerProcess view = new ServerProcess(this.process, otherPort);
		view.view = true;
		view.statePort = this.statePort;
		return view;
	}

	/**
	 * Starts the bench app as the scenarios other than the cluster ones run it: without the
	 * cluster module on its class path, as an application that does not have it.
	 */
	static ServerProcess start(Path workDirectory, List<String> jvmOptions, boolean pin) throws IOException, InterruptedException {
		return start(workDirectory, "server", ClusterClassPath.withoutCluster(), jvmOptions, pin, List.of());
	}

	/**
	 * Starts the bench app with the given class path and application arguments; its port file
	 * and log are named after it, so that several can run at once (the nodes of a cluster).
	 * @param workDirectory where the port file and the log go
	 * @param name the name of the port file ({@code <name>.port}) and log ({@code <name>.log})
	 * @param classPath the app's class path, see {@link ClusterClassPath}
	 * @param jvmOptions the JVM's options
	 * @param pin whether to pin it to CPU 1
	 * @param appArguments more {@code --key=value} arguments of the app
	 * @return the running server
	 */
	static ServerProcess start(Path workDirectory, String name, String classPath, List<String> jvmOptions, boolean pin,
			List<String> appArguments) throws IOException, InterruptedException {
		Files.createDirectories(workDirectory);
		Path portFile = workDirectory.resolve(name + ".port");
		List<String> command = new ArrayList<>();
		if (pin) {
			command.addAll(List.of("taskset", "-c", "1"));
		}
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.addAll(List.of("-cp", classPath, BenchApplication.class.getName(), "--server.port=0",
				"--bench.port-file=" + portFile.toAbsolutePath()));
		command.addAll(appArguments);
		return launch(command, portFile, workDirectory.resolve(name + ".log"), "The bench app");
	}

	/**
	 * Starts the raw Node {@code ws} baseline ({@code server.js} in {@code nodeDirectory}, its
	 * packages installed there), pinned like the bench app: {@code taskset} before {@code exec}
	 * holds for every thread node starts (V8's workers, libuv's pool).
	 */
	static ServerProcess startNode(Path workDirectory, Path nodeDirectory, boolean pin)
			throws IOException, InterruptedException {
		Files.createDirectories(workDirectory);
		Path portFile = workDirectory.resolve("node-server.port");
		List<String> command = new ArrayList<>();
		if (pin) {
			command.addAll(List.of("taskset", "-c", "1"));
		}
		// --expose-gc: the state request's full collections, so that its live heap compares with the JVM's.
		command.addAll(List.of("node", "--expose-gc", nodeDirectory.resolve("server.js").toAbsolutePath().toString(), "0",
				portFile.toAbsolutePath().toString()));
		return launch(command, portFile, workDirectory.resolve("node-server.log"), "The Node ws baseline");
	}

	private static ServerProcess launch(List<String> command, Path portFile, Path log, String name)
			throws IOException, InterruptedException {
		Files.deleteIfExists(portFile);
		long started = System.nanoTime();
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (!Files.exists(portFile)) {
			if (!process.isAlive() || System.nanoTime() > deadline) {
				process.destroyForcibly();
				throw new IllegalStateException(name + " did not start; see " + log);
			}
			Thread.sleep(100);
		}
		ServerProcess server = new ServerProcess(process, Integer.parseInt(Files.readString(portFile).trim()));
		server.startupNanos = System.nanoTime() - started;
		return server;
	}

	/** Returns the time from the launch until the server listened (its port file appeared). */
	long startupNanos() {
		return this.startupNanos;
	}

	int port() {
		return this.port;
	}

	long pid() {
		return this.process.pid();
	}

	/** Returns the server's CPU time so far (user and system), in nanoseconds. */
	long cpuNanos() {
		long nanos = cpuNanos(pid());
		return (nanos >= 0) ? nanos
				: this.process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
	}

	/**
	 * Returns a process's CPU time so far (user and system) from {@code /proc}, in nanoseconds.
	 * @param pid the process
	 * @return the time, -1 where {@code /proc} is not available
	 */
	static long cpuNanos(long pid) {
		String stat;
		try {
			stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
		}
		catch (IOException ex) {
			return -1;
		}
		return statCpuNanos(stat);
	}

	/** The CPU time (utime + stime) in a process's or thread's {@code stat} line, in nanoseconds. */
	private static long statCpuNanos(String stat) {
		// Fields after the command name, which is in parentheses and may hold spaces.
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		return ticks * (1_000_000_000L / 100);
	}

	/** Returns the resident set size in bytes, or -1 where {@code /proc} is not available. */
	long rssBytes() {
		String status = readProc("status");
		if (status == null) {
			return -1;
		}
		for (String line : status.split("\n")) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
			}
		}
		return -1;
	}

	private String readProc(String file) {
		try {
			return Files.readString(Path.of("/proc", Long.toString(pid()), file));
		}
		catch (IOException ex) {
			return null;
		}
	}

	/** Asks the app for its state; with {@code gc} after full collections. */
	State state(boolean gc) {
		return state(gc, Duration.ofSeconds(60));
	}

	/** Asks the app for its state, failing with an {@link IllegalStateException} after the timeout. */
	State state(boolean gc, Duration timeout) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.statePort + "/bench/state?gc=" + gc))
			.timeout(timeout)
			.build();
		try {
			String body = this.http.send(request, HttpResponse.BodyHandlers.ofString()).body();
			long heap = 0;
			int cryo = 0;
			int raw = 0;
			boolean module = false;
			boolean cluster = false;
			for (String pair : body.trim().split(" ")) {
				String[] keyValue = pair.split("=");
				switch (keyValue[0]) {
					case "heap" -> heap = Long.parseLong(keyValue[1]);
					case "cryo" -> cryo = Integer.parseInt(keyValue[1]);
					case "raw" -> raw = Integer.parseInt(keyValue[1]);
					case "cluster-module" -> module = Boolean.parseBoolean(keyValue[1]);
					case "cluster" -> cluster = Boolean.parseBoolean(keyValue[1]);
					default -> {
					}
				}
			}
			return new State(heap, cryo, raw, module, cluster);
		}
		catch (IOException ex) {
			throw new IllegalStateException("State request failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		if (this.view) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The server's heap used and live sessions of each endpoint, whether the cluster module is on
	 * its class path, and whether the cluster is enabled ({@code cryo.cluster.redis.enabled}).
	 */
	record State(long heapUsed, int cryoSessions, int rawSessions, boolean clusterModule, boolean clusterEnabled) {
	}

	/**
	 * Returns the CPU time the process and its JIT compiler and garbage collector threads have
	 * used so far, from {@code /proc/<pid>/task}. A thread that ends between two snapshots takes
	 * its time out of the per-kind sums (never out of the total): the kinds are at most what they
	 * show.
	 * @return the snapshot; its kinds are empty where {@code /proc} is not available
	 */
	CpuSnapshot cpuSnapshot() {
		long total = cpuNanos();
		Map<Long, ThreadCpu> threads = new HashMap<>();
		Path tasks = Path.of("/proc", Long.toString(pid()), "task");
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(tasks)) {
			for (Path task : entries) {
				String stat;
				try {
					stat = Files.readString(task.resolve("stat"));
				}
				catch (IOException ex) {
					// The thread ended while the directory was read.
					continue;
				}
				String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
				threads.put(Long.parseLong(task.getFileName().toString()),
						new ThreadCpu(ThreadKind.of(name), statCpuNanos(stat)));
			}
		}
		catch (IOException ex) {
			// No /proc: totals only.
		}
		return new CpuSnapshot(total, threads);
	}

	/** What a server thread does, as far as the measurements tell it apart. */
	enum ThreadKind {

		/** HotSpot's JIT compiler threads (C1, C2). */
		COMPILER,

		/** HotSpot's garbage collector threads (G1's workers and concurrent threads). */
		GC,

		/** Everything else: the server's own work. */
		OTHER;

		/** The kind of a thread by its name, as {@code /proc} shows it (at most 15 characters). */
		static ThreadKind of(String threadName) {
			if (threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre")) {
				return COMPILER;
			}
			if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ")) {
				return GC;
			}
			return OTHER;
		}

	}

	/**
	 * One thread's CPU time so far.
	 *
	 * @param kind what the thread does
	 * @param nanos its CPU time
	 */
	record ThreadCpu(ThreadKind kind, long nanos) {
	}

	/**
	 * Waits until the server's JIT compilers have settled: less than {@value #QUIET_COMPILATION_MILLIS}
	 * ms of compiler CPU in {@value #QUIET_WINDOW_MILLIS} ms, or {@value #QUIET_MAX_MILLIS} ms at most.
	 * A JVM compiles in the background, on the same pinned core, for seconds after its start and
	 * after a new code path got hot; measured meanwhile, a row charges the server for its
	 * compilers (seen in profiles of the push: C2 threads took up to half of the core throughout).
	 * Returns at once for a server without such threads (node).
	 */
	void awaitCompilationQuiet() throws InterruptedException {
		CpuSnapshot last = cpuSnapshot();
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUIET_MAX_MILLIS);
		while (System.nanoTime() < deadline) {
			Thread.sleep(QUIET_WINDOW_MILLIS);
			CpuSnapshot now = cpuSnapshot();
			if (now.since(last).compilerNanos() < TimeUnit.MILLISECONDS.toNanos(QUIET_COMPILATION_MILLIS)) {
				return;
			}
			last = now;
		}
	}

	/**
	 * The server's CPU time at one moment, in total and per thread.
	 *
	 * @param totalNanos the process's CPU time
	 * @param threads per thread id, its kind and CPU time
	 */
	record CpuSnapshot(long totalNanos, Map<Long, ThreadCpu> threads) {

		/** What was used since an earlier snapshot, by kind. */
		CpuUse since(CpuSnapshot before) {
			long compiler = 0;
			long gc = 0;
			for (Map.Entry<Long, ThreadCpu> thread : this.threads.entrySet()) {
				ThreadCpu earlier = before.threads().get(thread.getKey());
				long used = thread.getValue().nanos() - ((earlier != null) ? earlier.nanos() : 0);
				switch (thread.getValue().kind()) {
					case COMPILER -> compiler += used;
					case GC -> gc += used;
					case OTHER -> {
					}
				}
			}
			return new CpuUse(this.totalNanos - before.totalNanos(), compiler, gc);
		}

	}

	/**
	 * CPU time a server used over a measurement.
	 *
	 * @param totalNanos all of it
	 * @param compilerNanos what its JIT compiler threads used (HotSpot's C1 and C2)
	 * @param gcNanos what its garbage collector threads used (G1's workers and concurrent threads)
	 */
	record CpuUse(long totalNanos, long compilerNanos, long gcNanos) {

		/** The total without the JIT compilers: what the server costs once its code is compiled. */
		long compiledNanos() {
			return this.totalNanos - this.compilerNanos;
		}

	}

}
