package dev.cryo.benchmarks.driver;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;

/**
 * What permessage-deflate costs the server, with a client that offers it as browsers and the
 * {@code ws} library do ({@link DeflateConnection}), against a server with
 * {@code cryo.compression.enabled=false} (the default: the offer is declined) and one with
 * {@code true}. Each round starts a fresh server for each side, in turn, and measures:
 * <ul>
 * <li>idle sessions: heap after full collections and RSS per session, each less the same figure
 * before connecting, first right after the Cryo handshake, then again after every session has
 * echoed one 64 KiB random message (deflate's window and hash tables are only touched as data
 * goes through them, so RSS grows with use);</li>
 * <li>echo on one connection with a window of messages in flight, binary payloads of 64 B, 1 KiB
 * and 64 KiB, random or compressible (a short JSON-like record repeated): server CPU time per
 * round trip and round trips per second.</li>
 * </ul>
 * Rounds are repeated and the table gives the median with the range, as the machine is shared.
 */
final class CompressionScenario {

	private static final int WINDOW = 16;

	private static final int[] SIZES = { 64, 1024, 64 * 1024 };

	private static final byte[] RECORD = "{\"sensor\":\"t-17\",\"value\":21.5,\"unit\":\"C\",\"ok\":true},"
		.getBytes(StandardCharsets.US_ASCII);

	private final Settings settings;

	private final Path workDirectory;

	private final List<String> jvmOptions;

	private final boolean pin;

	/** Figure label to one list of samples per side (index 0: disabled, 1: enabled). */
	private final Map<String, List<List<Double>>> samples = new LinkedHashMap<>();

	CompressionScenario(Settings settings, Path workDirectory, List<String> jvmOptions, boolean pin) {
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
		WebSocketContainer container = ContainerProvider.getWebSocketContainer();
		for (int round = 1; round <= this.settings.repeat(); round++) {
			for (boolean enabled : new boolean[] { false, true }) {
				List<String> options = new ArrayList<>(this.jvmOptions);
				options.add("-Dcryo.compression.enabled=" + enabled);
				Path directory = this.workDirectory.resolve("compression-" + (enabled ? "on" : "off"));
				try (ServerProcess server = ServerProcess.start(directory, options, this.pin)) {
					System.out.println("Compression round " + round + ", cryo.compression.enabled=" + enabled + ": pid "
							+ server.pid());
					idle(container, server, enabled);
					// A first pass over every payload, not recorded: the JIT compiles the paths each one takes.
					for (boolean measured : new boolean[] { false, true }) {
						for (int size : SIZES) {
							for (boolean compressible : new boolean[] { false, true }) {
								echo(container, server, enabled, size, compressible, measured);
							}
						}
					}
				}
			}
		}
		return table();
	}

	private void idle(WebSocketContainer container, ServerProcess server, boolean enabled) throws Exception {
		int sessions = this.settings.idleSessions();
		// Warm-up: Tomcat's threads, the allocator's arenas and the JIT, paid before measuring.
		closeAll(openAll(container, server, sessions, enabled));
		awaitNoSessions(server);
		ServerProcess.State before = server.state(true);
		long rssBefore = server.rssBytes();
		List<DeflateConnection> open = openAll(container, server, sessions, enabled);
		Thread.sleep(this.settings.holdMillis());
		ServerProcess.State held = server.state(true);
		long rssHeld = server.rssBytes();
		int count = Math.max(1, held.cryoSessions());
		record("idle heap per session, after the handshake", enabled, (held.heapUsed() - before.heapUsed()) / (double) count);
		record("idle RSS per session, after the handshake", enabled, (rssHeld - rssBefore) / (double) count);
		// One 64 KiB random message through each session, then idle again.
		byte[] payload = payload(64 * 1024, false);
		CountDownLatch echoed = new CountDownLatch(open.size());
		for (DeflateConnection connection : open) {
			connection.onData((data) -> echoed.countDown());
			connection.send(connection.frame(LeanConnection.BINARYDATA, 13 + payload.length).put(payload).flip());
		}
		if (!echoed.await(120, TimeUnit.SECONDS)) {
			throw new IllegalStateException(echoed.getCount() + " echoes missing");
		}
		Thread.sleep(this.settings.holdMillis());
		ServerProcess.State used = server.state(true);
		long rssUsed = server.rssBytes();
		record("idle heap per session, after one 64 KiB echo", enabled, (used.heapUsed() - before.heapUsed()) / (double) count);
		record("idle RSS per session, after one 64 KiB echo", enabled, (rssUsed - rssBefore) / (double) count);
		closeAll(open);
		awaitNoSessions(server);
	}

	private List<DeflateConnection> openAll(WebSocketContainer container, ServerProcess server, int sessions,
			boolean enabled) throws Exception {
		List<DeflateConnection> open = new ArrayList<>(sessions);
		for (int i = 0; i < sessions; i++) {
			DeflateConnection connection = DeflateConnection.open(container, server.port(), Sids.next());
			if (connection.compressed() != enabled) {
				throw new IllegalStateException("Compression negotiated: " + connection.compressed() + ", expected "
						+ enabled);
			}
			open.add(connection);
		}
		return open;
	}

	private void echo(WebSocketContainer container, ServerProcess server, boolean enabled, int size,
			boolean compressible, boolean measured) throws Exception {
		byte[] payload = payload(size, compressible);
		DeflateConnection connection = DeflateConnection.open(container, server.port(), Sids.next());
		AtomicLong roundTrips = new AtomicLong();
		Pump pump = new Pump();
		connection.onData((data) -> {
			roundTrips.incrementAndGet();
			if (pump.running) {
				sendOne(connection, payload);
			}
		});
		for (int i = 0; i < WINDOW; i++) {
			sendOne(connection, payload);
		}
		Thread.sleep(this.settings.warmupMillis());
		long countBefore = roundTrips.get();
		long cpuBefore = server.cpuNanos();
		long start = System.nanoTime();
		Thread.sleep(this.settings.measureMillis());
		long count = roundTrips.get() - countBefore;
		long cpu = server.cpuNanos() - cpuBefore;
		long elapsed = System.nanoTime() - start;
		pump.running = false;
		Thread.sleep(300);
		closeAll(List.of(connection));
		awaitNoSessions(server);
		if (!measured) {
			return;
		}
		String label = Units.bytes(size) + " " + (compressible ? "compressible" : "random");
		record("echo " + label + ": server CPU per round trip (µs)", enabled, (count > 0) ? cpu / 1000.0 / count : 0);
		record("echo " + label + ": round trips/s", enabled, count * 1e9 / elapsed);
	}

	private static void sendOne(DeflateConnection connection, byte[] payload) {
		ByteBuffer message = connection.frame(LeanConnection.BINARYDATA, 13 + payload.length);
		message.put(payload);
		// A fresh value in every message, as a timestamp would be.
		message.putLong(13, System.nanoTime());
		connection.send(message.flip());
	}

	private static byte[] payload(int size, boolean compressible) {
		byte[] payload = new byte[size];
		if (compressible) {
			for (int i = 0; i < size; i++) {
				payload[i] = RECORD[i % RECORD.length];
			}
		}
		else {
			new Random(size).nextBytes(payload);
		}
		return payload;
	}

	private static void closeAll(List<DeflateConnection> open) {
		List<CompletableFuture<Void>> closed = new ArrayList<>();
		for (DeflateConnection connection : open) {
			closed.add(connection.close());
		}
		try {
			CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			// Sessions that did not answer the close are left to the server's timeouts.
		}
	}

	private static void awaitNoSessions(ServerProcess server) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline && server.state(false).cryoSessions() > 0) {
			Thread.sleep(200);
		}
	}

	private void record(String figure, boolean enabled, double value) {
		this.samples.computeIfAbsent(figure, (key) -> List.of(new ArrayList<>(), new ArrayList<>()))
			.get(enabled ? 1 : 0)
			.add(value);
	}

	private String table() {
		StringBuilder table = new StringBuilder();
		table.append("Client offers permessage-deflate; client_max_window_bits. ")
			.append(this.settings.idleSessions())
			.append(" idle sessions held ")
			.append(this.settings.holdMillis() / 1000)
			.append(" s; echo window ")
			.append(WINDOW)
			.append(" on one connection. Median of ")
			.append(this.settings.repeat())
			.append(" rounds (range).\n\n");
		table.append("| figure | compression off (default) | compression on | on / off |\n");
		table.append("|---|---:|---:|---:|\n");
		this.samples.forEach((figure, sides) -> {
			double off = Medians.median(sides.get(0));
			double on = Medians.median(sides.get(1));
			boolean bytes = figure.startsWith("idle");
			table.append("| ")
				.append(figure)
				.append(" | ")
				.append(Medians.format(sides.get(0), bytes))
				.append(" | ")
				.append(Medians.format(sides.get(1), bytes))
				.append(" | ")
				.append(Units.ratio(on, off))
				.append(" |\n");
		});
		return table.toString();
	}

	/** Whether the connection keeps replacing the echoes it receives. */
	private static final class Pump {

		volatile boolean running = true;

	}

}
