package dev.cryo.boot.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cryo.test.PrivateRedis;

/**
 * A node of the test cluster in a JVM of its own, so that a test can kill it as an operating
 * system kills a process ({@code SIGKILL}: no shutdown hook, no goodbye to Redis or to its
 * clients). {@link #main} runs {@link ClusterTestApplication} with the given arguments and prints
 * {@value #PORT_LINE}{@code <port>} once it listens; {@link #start} launches it with the test's
 * class path and waits for that line in its log.
 */
public final class ClusterNodeProcess implements AutoCloseable {

	/** What the node prints once it listens, followed by its port. */
	static final String PORT_LINE = "CLUSTER_NODE_PORT=";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

	private final Process process;

	private final int port;

	private final Path log;

	private ClusterNodeProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * Runs a node until the process is killed.
	 * @param args Spring Boot arguments, {@code --key=value}
	 */
	public static void main(String[] args) {
		ConfigurableApplicationContext node = new SpringApplicationBuilder(ClusterTestApplication.class).run(args);
		// The parent reads this line from the log; the test code's only use of standard output.
		System.out.println(PORT_LINE + ClusterNodes.port(node));
	}

	/**
	 * Starts a node in a new JVM on a random port, with the same properties as
	 * {@link ClusterNodes#start}.
	 * @param redis the shared Redis
	 * @param nodeId the node id
	 * @param keyPrefix the cluster's key prefix
	 * @param log where the node's output goes
	 * @param extraProperties more properties, {@code key=value}
	 * @return the running node
	 * @throws Exception when it does not start within 90 s
	 */
	static ClusterNodeProcess start(PrivateRedis redis, String nodeId, String keyPrefix, Path log,
			String... extraProperties) throws Exception {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classPath(), ClusterNodeProcess.class.getName()));
		List<String> properties = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
				"spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
				"cryo.cluster.redis.enabled=true", "cryo.cluster.redis.node-id=" + nodeId,
				"cryo.cluster.redis.key-prefix=" + keyPrefix));
		properties.addAll(List.of(extraProperties));
		for (String property : properties) {
			command.add("--" + property);
		}
		Files.createDirectories(log.getParent());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			for (String line : Files.readAllLines(log)) {
				if (line.startsWith(PORT_LINE)) {
					return new ClusterNodeProcess(process, Integer.parseInt(line.substring(PORT_LINE.length()).trim()), log);
				}
			}
			if (!process.isAlive()) {
				break;
			}
			Thread.sleep(200);
		}
		process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		throw new IllegalStateException("Node " + nodeId + " did not start; its output:\n" + Files.readString(log));
	}

	/**
	 * The test's own class path: Surefire runs the tests from a manifest-only jar and names the
	 * real class path in {@code surefire.test.class.path}.
	 */
	private static String classPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

	/**
	 * Returns the port the node's server listens on.
	 * @return the port
	 */
	int port() {
		return this.port;
	}

	/**
	 * Returns the node's output so far, for a failure message.
	 * @return the log
	 * @throws IOException when it cannot be read
	 */
	String output() throws IOException {
		return Files.readString(this.log);
	}

	/**
	 * Kills the process with {@code SIGKILL} and waits until it is gone.
	 * @throws InterruptedException when interrupted while waiting
	 */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException("The node process " + this.process.pid() + " did not die");
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill();
		}
	}

}
