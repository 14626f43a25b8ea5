package dev.cryo.benchmarks.driver;

import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Echo round trips over {@code connections} connections, each keeping {@code window} messages of
 * {@code size} payload bytes in flight: every echo that comes back is timed and replaced by a new
 * message. The send time travels in the first 8 payload bytes, so no bookkeeping per message is
 * needed on either side. A warm-up period is run and discarded before the measured one.
 */
final class EchoScenario {

	private final int connections;

	private final int size;

	private final int window;

	EchoScenario(int connections, int size, int window) {
		this.connections = connections;
		this.size = size;
		this.window = window;
	}

	String label() {
		return "echo " + this.connections + " conn, " + Units.bytes(this.size) + ", window " + this.window;
	}

	Result run(HttpClient client, ServerProcess server, boolean cryo, long warmupMillis, long measureMillis)
			throws Exception {
		List<Latencies> latencies = new ArrayList<>();
		List<LeanConnection> open = new ArrayList<>();
		Pump pump = new Pump();
		for (int i = 0; i < this.connections; i++) {
			LeanConnection connection = LeanConnection.open(client, server.port(), cryo, Sids.next()).join();
			Latencies recorded = new Latencies();
			latencies.add(recorded);
			connection.handler(new LeanConnection.Handler() {
				@Override
				public void onData(LeanConnection connection, int type, ByteBuffer payload) {
					recorded.add(System.nanoTime() - payload.getLong(payload.position()));
					if (pump.running) {
						sendOne(connection);
					}
				}
			});
			open.add(connection);
		}
		for (LeanConnection connection : open) {
			for (int i = 0; i < this.window; i++) {
				sendOne(connection);
			}
		}
		return measure(server, latencies, open, pump, warmupMillis, measureMillis);
	}

	/**
	 * Lets the pumping connections warm up, measures round trips and server CPU for the measured
	 * period, then stops the pump and closes the connections.
	 */
	static Result measure(ServerProcess server, List<Latencies> latencies, List<LeanConnection> open, Pump pump,
			long warmupMillis, long measureMillis) throws Exception {
		Thread.sleep(warmupMillis);
		// Still pumping: what the warm-up made hot is compiled before the measurement starts.
		server.awaitCompilationQuiet();
		latencies.forEach(Latencies::reset);
		ServerProcess.CpuSnapshot cpuBefore = server.cpuSnapshot();
		long start = System.nanoTime();
		Thread.sleep(measureMillis);
		long[] sorted = Latencies.sorted(latencies);
		long elapsed = System.nanoTime() - start;
		ServerProcess.CpuUse cpu = server.cpuSnapshot().since(cpuBefore);
		pump.running = false;
		// Let the messages in flight come back before closing.
		Thread.sleep(300);
		closeAll(open);
		double perSecond = sorted.length * 1e9 / elapsed;
		return new Result(perSecond, Latencies.percentile(sorted, 0.50), Latencies.percentile(sorted, 0.90),
				Latencies.percentile(sorted, 0.99), (sorted.length > 0) ? sorted[sorted.length - 1] : 0,
				(sorted.length > 0) ? (double) cpu.totalNanos() / sorted.length : 0, sorted.length, cpu);
	}

	private void sendOne(LeanConnection connection) {
		ByteBuffer message;
		if (connection.isCryo()) {
			message = connection.frame(LeanConnection.BINARYDATA, connection.nextAck(), 13 + this.size);
		}
		else {
			message = ByteBuffer.allocate(this.size);
		}
		message.putLong(System.nanoTime());
		message.position(message.capacity());
		connection.send(message.flip(), null);
	}

	static void closeAll(List<LeanConnection> open) {
		List<CompletableFuture<Integer>> closed = new ArrayList<>();
		for (LeanConnection connection : open) {
			connection.close();
			closed.add(connection.closed());
		}
		try {
			CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			// Sessions that did not answer the close are left to the server's timeouts.
		}
	}

	/** Whether connections keep replacing the answers they receive. */
	static final class Pump {

		volatile boolean running = true;

	}

	/**
	 * One side's figures: throughput, RTT percentiles (ns) and server CPU time per round trip (ns).
	 * @param cpu the server's CPU time over the measurement, with what its JIT compilers and
	 * garbage collector used of it
	 */
	record Result(double roundTripsPerSecond, long p50, long p90, long p99, long max, double cpuPerMessage,
			long samples, ServerProcess.CpuUse cpu) {

		/** Server CPU per round trip without the JIT compilers. */
		double compiledCpuPerMessage() {
			return (this.samples > 0) ? (double) this.cpu.compiledNanos() / this.samples : 0;
		}

	}

}
