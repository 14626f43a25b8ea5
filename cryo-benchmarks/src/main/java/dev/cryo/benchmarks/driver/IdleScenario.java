package dev.cryo.benchmarks.driver;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Holds {@code sessions} idle connections for a while (long enough for several Cryo heartbeats,
 * which the client answers) and measures what the server keeps per connection: heap used after
 * full collections and RSS, each as the difference to the same figure before connecting.
 */
final class IdleScenario {

	/** How long the server may take to let go of the closed sessions before the run gives up waiting. */
	static final int RELEASE_LIMIT_SECONDS = 300;

	private final int sessions;

	private final long holdMillis;

	IdleScenario(int sessions, long holdMillis) {
		this.sessions = sessions;
		this.holdMillis = holdMillis;
	}

	String label() {
		return this.sessions + " idle sessions, held " + (this.holdMillis / 1000) + " s";
	}

	/**
	 * Opens and closes as many raw connections as will be held, without measuring: Tomcat keeps
	 * closed connections' socket wrappers with their buffers for reuse (a cache sized from the
	 * heap), and without this the first side measured would be charged for filling it.
	 */
	void warmUp(List<HttpClient> clients, ServerProcess server) throws Exception {
		List<CompletableFuture<LeanConnection>> opening = new ArrayList<>();
		Semaphore inFlight = new Semaphore(256);
		for (int i = 0; i < this.sessions; i++) {
			inFlight.acquire();
			opening.add(LeanConnection.open(clients.get(i % clients.size()), server.port(), false, Sids.next())
				.whenComplete((opened, failure) -> inFlight.release()));
		}
		List<LeanConnection> open = new ArrayList<>();
		for (CompletableFuture<LeanConnection> connection : opening) {
			open.add(connection.join());
		}
		EchoScenario.closeAll(open);
	}

	Result run(List<HttpClient> clients, ServerProcess server, boolean cryo) throws Exception {
		ServerProcess.State before = server.state(true);
		long rssBefore = server.rssBytes();
		List<LeanConnection> open = Collections.synchronizedList(new ArrayList<>());
		// Connect in bounded waves: Tomcat's accept queue and the client's selector stay unflooded.
		Semaphore inFlight = new Semaphore(256);
		List<CompletableFuture<LeanConnection>> opening = new ArrayList<>();
		for (int i = 0; i < this.sessions; i++) {
			inFlight.acquire();
			CompletableFuture<LeanConnection> connection = LeanConnection
				.open(clients.get(i % clients.size()), server.port(), cryo, Sids.next())
				.whenComplete((opened, failure) -> {
					inFlight.release();
					if (opened != null) {
						open.add(opened);
					}
				});
			opening.add(connection);
		}
		CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).exceptionally((failure) -> null).join();
		int connected = open.size();
		Thread.sleep(this.holdMillis);
		int alive = 0;
		synchronized (open) {
			for (LeanConnection connection : open) {
				if (!connection.closed().isDone()) {
					alive++;
				}
			}
		}
		ServerProcess.State held = server.state(true);
		long rssHeld = server.rssBytes();
		int serverSessions = cryo ? held.cryoSessions() : held.rawSessions();
		long closing = System.nanoTime();
		EchoScenario.closeAll(open);
		long releaseNanos = awaitReleased(server, cryo, closing);
		long heapAfter = server.state(true).heapUsed();
		int divisor = Math.max(1, serverSessions);
		return new Result(connected, alive, serverSessions, (double) (held.heapUsed() - before.heapUsed()) / divisor,
				(double) (rssHeld - rssBefore) / divisor, rssHeld, before.heapUsed(), held.heapUsed(), heapAfter,
				releaseNanos);
	}

	/**
	 * Waits until the server has let go of the closed sessions, so the next phase starts from a
	 * clean slate, and returns how long that took from the first close; -1 if it did not within
	 * {@value #RELEASE_LIMIT_SECONDS} s. A server that stalls answers its state requests late or
	 * not at all meanwhile, which is part of what this measures, not a failure of the run.
	 */
	private static long awaitReleased(ServerProcess server, boolean cryo, long closing) throws InterruptedException {
		long deadline = closing + TimeUnit.SECONDS.toNanos(RELEASE_LIMIT_SECONDS);
		while (System.nanoTime() < deadline) {
			try {
				ServerProcess.State now = server.state(false, Duration.ofSeconds(2));
				if ((cryo ? now.cryoSessions() : now.rawSessions()) == 0) {
					return System.nanoTime() - closing;
				}
			}
			catch (IllegalStateException ex) {
				// The state request timed out: the server is still busy with the closes.
			}
			Thread.sleep(100);
		}
		return -1;
	}

	/**
	 * One side's figures.
	 * @param connected connections opened (and, for Cryo, handshaken)
	 * @param alive client connections still open after the hold
	 * @param serverSessions sessions the server counted after the hold
	 * @param heapPerSession heap growth per session after full collections, in bytes
	 * @param rssPerSession RSS growth per session, in bytes
	 * @param rss RSS while the sessions are held, in bytes
	 * @param heapBefore heap used after full collections before connecting
	 * @param heapHeld the same while the sessions are held
	 * @param heapAfter the same after they are closed, which shows whether anything outlives them
	 * @param releaseNanos from the first client's close until the server counted no session, or
	 * -1 if it still counted some after {@value #RELEASE_LIMIT_SECONDS} s
	 */
	record Result(int connected, int alive, int serverSessions, double heapPerSession, double rssPerSession,
			long rss, long heapBefore, long heapHeld, long heapAfter, long releaseNanos) {
	}

}
