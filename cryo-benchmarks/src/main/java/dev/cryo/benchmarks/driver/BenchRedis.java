package dev.cryo.benchmarks.driver;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A private {@code redis-server} for the cluster scenario: on a free port of 127.0.0.1 only,
 * without persistence, its working directory under the run's directory, pinned to the servers'
 * core like the nodes. The same rules as {@code dev.cryo.test.PrivateRedis} in cryo-test, which
 * is a JUnit extension of the test class path and cannot be used from the driver's main code.
 * It also reads what the scenario reports: {@code INFO} counters and the subscribers of the
 * cluster's channels, over a plain socket in RESP, so the driver needs no Redis client.
 */
final class BenchRedis implements AutoCloseable {

	private final Process process;

	private final int port;

	private BenchRedis(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Starts {@code redis-server} (on the {@code PATH}) and waits until it answers {@code PING}.
	 * @param directory its working directory and log
	 * @param pin whether to pin it to CPU 1, the servers' core
	 * @return the running server
	 */
	static BenchRedis start(Path directory, boolean pin) throws IOException, InterruptedException {
		Path binary = binary();
		Files.createDirectories(directory);
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		List<String> command = new ArrayList<>();
		if (pin) {
			command.addAll(List.of("taskset", "-c", "1"));
		}
		command.addAll(List.of(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
				"--appendonly", "no", "--dir", directory.toAbsolutePath().toString()));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(directory.resolve("redis.log").toFile())
			.start();
		BenchRedis redis = new BenchRedis(process, port);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (true) {
			if (!process.isAlive()) {
				throw new IllegalStateException("redis-server exited; see " + directory.resolve("redis.log"));
			}
			try {
				if ("PONG".equals(redis.command("PING"))) {
					return redis;
				}
			}
			catch (IOException ex) {
				if (System.nanoTime() > deadline) {
					process.destroyForcibly();
					throw new IllegalStateException("redis-server did not answer PING within 30 s", ex);
				}
			}
			Thread.sleep(50);
		}
	}

	private static Path binary() {
		String path = System.getenv("PATH");
		if (path != null) {
			for (String entry : path.split(File.pathSeparator)) {
				if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "redis-server"))) {
					return Path.of(entry, "redis-server");
				}
			}
		}
		Path installed = Path.of("/usr/bin/redis-server");
		if (Files.isExecutable(installed)) {
			return installed;
		}
		throw new IllegalStateException("The cluster scenario needs redis-server on the PATH (apt-get install redis-server)");
	}

	int port() {
		return this.port;
	}

	long pid() {
		return this.process.pid();
	}

	/**
	 * Returns the counters of {@code INFO stats} and {@code INFO commandstats}: every
	 * {@code name:value} line, and each command's calls as {@code cmdstat_<command>.calls}.
	 */
	Map<String, Long> counters() throws IOException {
		Map<String, Long> counters = new HashMap<>();
		for (String section : List.of("stats", "commandstats")) {
			for (String line : String.valueOf(command("INFO", section)).split("\r\n")) {
				int colon = line.indexOf(':');
				if (colon < 0) {
					continue;
				}
				String name = line.substring(0, colon);
				String value = line.substring(colon + 1);
				if (name.startsWith("cmdstat_")) {
					for (String field : value.split(",")) {
						if (field.startsWith("calls=")) {
							counters.put(name + ".calls", Long.parseLong(field.substring(6)));
						}
					}
				}
				else if (value.matches("-?\\d+")) {
					counters.put(name, Long.parseLong(value));
				}
			}
		}
		return counters;
	}

	/**
	 * Returns the subscribers of every channel whose name starts with the prefix.
	 * @param prefix the cluster's key prefix
	 * @return channel name to its number of subscribers
	 */
	Map<String, Long> subscribers(String prefix) throws IOException {
		Map<String, Long> subscribers = new HashMap<>();
		Object channels = command("PUBSUB", "CHANNELS", prefix + "*");
		if (channels instanceof List<?> names) {
			for (Object name : names) {
				Object counts = command("PUBSUB", "NUMSUB", String.valueOf(name));
				if (counts instanceof List<?> pair && pair.size() == 2) {
					subscribers.put(String.valueOf(name), (Long) pair.get(1));
				}
			}
		}
		return subscribers;
	}

	/**
	 * Sends one command as a RESP array and returns the reply: a {@code String} (simple or bulk),
	 * a {@code Long}, a {@code List} of replies, or {@code null}.
	 */
	@Nullable Object command(String... arguments) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(10_000);
			StringBuilder request = new StringBuilder().append('*').append(arguments.length).append("\r\n");
			for (String argument : arguments) {
				byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
				request.append('$').append(bytes.length).append("\r\n").append(argument).append("\r\n");
			}
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			return reply(new BufferedInputStream(socket.getInputStream()));
		}
	}

	private static @Nullable Object reply(InputStream in) throws IOException {
		int type = in.read();
		String line = line(in);
		switch (type) {
			case '+' -> {
				return line;
			}
			case '-' -> throw new IOException("Redis error: " + line);
			case ':' -> {
				return Long.parseLong(line);
			}
			case '$' -> {
				int length = Integer.parseInt(line);
				if (length < 0) {
					return null;
				}
				byte[] bytes = in.readNBytes(length);
				line(in);
				return new String(bytes, StandardCharsets.UTF_8);
			}
			case '*' -> {
				int count = Integer.parseInt(line);
				List<@Nullable Object> items = new ArrayList<>();
				for (int i = 0; i < count; i++) {
					items.add(reply(in));
				}
				return items;
			}
			default -> throw new IOException("Unexpected Redis reply type " + type);
		}
	}

	private static String line(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != -1 && c != '\n') {
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

	@Override
	public void close() {
		try {
			command("SHUTDOWN", "NOSAVE");
		}
		catch (IOException ex) {
			// The connection closes as the server exits; the wait below decides.
		}
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
