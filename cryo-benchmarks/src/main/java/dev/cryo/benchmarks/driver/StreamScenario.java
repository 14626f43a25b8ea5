package dev.cryo.benchmarks.driver;

import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.cryo.benchmarks.app.RepeatingInputStream;

/**
 * Moves {@code size} bytes in one direction over one connection: for Cryo as a transaction
 * (TX_START, TX_CHUNKs, TX_FINISH; cryo-v1.md §10.2) sent by the server ({@code session.stream})
 * or by the client; for raw as binary messages of the chunk size. Throughput is timed from the
 * request to the receiver's confirmation. Heap growth is the server's heap after full
 * collections, taken half way through the transfer, less the same figure before it: what the
 * transfer holds, not the garbage it makes.
 */
final class StreamScenario {

	static final int CHUNK = 64 * 1024;

	private static final int UPLOAD_WINDOW = 16;

	private final long size;

	private final boolean download;

	private final boolean probeHeap;

	StreamScenario(long size, boolean download) {
		this(size, download, true);
	}

	/**
	 * A transfer, with or without the half-way heap probe: without it the server's CPU time over
	 * the transfer is the transfer's alone (the probe's full collections cost the JVM CPU that a
	 * server without them, such as node, would not be charged).
	 */
	StreamScenario(long size, boolean download, boolean probeHeap) {
		this.size = size;
		this.download = download;
		this.probeHeap = probeHeap;
	}

	/** The size of the transfer in MiB. */
	double mebibytes() {
		return this.size / (1024.0 * 1024.0);
	}

	String label() {
		return (this.download ? "stream server→client " : "stream client→server ") + Units.bytes(this.size);
	}

	Result run(HttpClient client, ServerProcess server, boolean cryo) throws Exception {
		LeanConnection connection = LeanConnection.open(client, server.port(), cryo, Sids.next()).join();
		long heapBefore = server.state(true).heapUsed();
		AtomicLong heapMidway = new AtomicLong(-1);
		CompletableFuture<Void> probe = new CompletableFuture<>();
		Runnable halfway = () -> {
			if (!this.probeHeap) {
				probe.complete(null);
			}
			else if (!probe.isDone()) {
				probe.complete(null);
				// Off the listener thread: the probe's collections take a while.
				CompletableFuture.runAsync(() -> heapMidway.set(server.state(true).heapUsed()));
			}
		};
		CompletableFuture<Void> done = new CompletableFuture<>();
		server.awaitCompilationQuiet();
		ServerProcess.CpuSnapshot cpuBefore = server.cpuSnapshot();
		long start = System.nanoTime();
		if (this.download) {
			AtomicLong received = new AtomicLong();
			connection.handler(new LeanConnection.Handler() {
				@Override
				public void onData(LeanConnection connection, int type, ByteBuffer payload) {
					if (cryo) {
						return;
					}
					count(payload.remaining());
				}

				@Override
				public void onTransaction(LeanConnection connection, int type, int length) {
					if (type == LeanConnection.TX_CHUNK) {
						count(length);
					}
					else if (type == LeanConnection.TX_FINISH) {
						done.complete(null);
					}
				}

				private void count(int length) {
					long total = received.addAndGet(length);
					if (total >= StreamScenario.this.size / 2) {
						halfway.run();
					}
					if (!cryo && total >= StreamScenario.this.size) {
						done.complete(null);
					}
				}
			});
			if (cryo) {
				connection.sendUtf8("download " + this.size + " bench");
			}
			else {
				connection.sendText("download " + this.size + " " + CHUNK).join();
			}
		}
		else {
			connection.handler(new LeanConnection.Handler() {
				@Override
				public void onData(LeanConnection connection, int type, ByteBuffer payload) {
					if (StandardCharsets.UTF_8.decode(payload).toString().startsWith("stream ")) {
						done.complete(null);
					}
				}

				@Override
				public void onText(LeanConnection connection, String text) {
					if (text.startsWith("done")) {
						done.complete(null);
					}
				}
			});
			upload(connection, cryo, halfway);
		}
		done.get(30, TimeUnit.MINUTES);
		long elapsed = System.nanoTime() - start;
		ServerProcess.CpuUse cpu = server.cpuSnapshot().since(cpuBefore);
		probe.join();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (this.probeHeap && heapMidway.get() < 0 && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		EchoScenario.closeAll(List.of(connection));
		double mibPerSecond = mebibytes() / (elapsed / 1e9);
		long heapGrowth = this.probeHeap ? heapMidway.get() - heapBefore : 0;
		return new Result(mibPerSecond, heapGrowth, cpu.totalNanos() / mebibytes(), cpu, mebibytes());
	}

	private void upload(LeanConnection connection, boolean cryo, Runnable halfway) throws Exception {
		int txid = 0;
		if (cryo) {
			byte[] name = "bench".getBytes(StandardCharsets.UTF_8);
			int ack = connection.nextAck();
			ByteBuffer start = connection.frame(LeanConnection.TX_START, ack, 17 + name.length).putInt(txid).put(name).flip();
			// The first chunk only after TX_START is ACKed, as the reference sender does (§10.2).
			connection.sendTracked(start, ack).get(10, TimeUnit.SECONDS);
		}
		else {
			connection.sendText("upload " + this.size).join();
		}
		byte[] pattern = RepeatingInputStream.pattern();
		// At most this many chunks queued in the client: TCP then paces the producer.
		Semaphore window = new Semaphore(UPLOAD_WINDOW);
		long sent = 0;
		while (sent < this.size) {
			int length = (int) Math.min(CHUNK, this.size - sent);
			ByteBuffer message = cryo ? connection.frame(LeanConnection.TX_CHUNK, txid, 13 + length)
					: ByteBuffer.allocate(length);
			message.put(pattern, 0, length).flip();
			window.acquire();
			connection.send(message, window::release);
			sent += length;
			if (sent >= this.size / 2) {
				halfway.run();
			}
		}
		if (cryo) {
			int ack = connection.nextAck();
			connection.sendTracked(connection.frame(LeanConnection.TX_FINISH, ack, 17).putInt(txid).flip(), ack);
		}
	}

	/**
	 * One side's figures.
	 * @param mibPerSecond throughput in MiB/s
	 * @param heapGrowth the server's retained heap growth in bytes (0 without the probe)
	 * @param cpuPerMib the server's CPU time from the request to the confirmation per MiB, in
	 * nanoseconds (with the probe, its full collections included)
	 */
	/**
	 * One measured transfer.
	 * @param cpu the server's CPU time over the transfer, with what its JIT compilers and
	 * garbage collector used of it
	 * @param mebibytes the size of the transfer
	 */
	record Result(double mibPerSecond, long heapGrowth, double cpuPerMib, ServerProcess.CpuUse cpu, double mebibytes) {

		/** Server CPU per MiB without the JIT compilers. */
		double compiledCpuPerMib() {
			return this.cpu.compiledNanos() / this.mebibytes;
		}

	}

}
