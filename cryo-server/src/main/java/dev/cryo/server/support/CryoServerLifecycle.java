package dev.cryo.server.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import dev.cryo.core.engine.SessionState;
import dev.cryo.core.transaction.SpillSpace;
import dev.cryo.core.transaction.TransactionOptions;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoServerSettings;
import dev.cryo.server.observer.CryoServerObserver;

/**
 * The lifecycle of a {@link DefaultCryoServer}: it owns the shared timer that drives heartbeats
 * and ack timeouts and the pool that runs the blocking work of transactions, starts the
 * heartbeat with the application context and, on stop, ends every session with BYE
 * {@value CryoServer#SHUTDOWN_REASON} before the web server's own graceful shutdown begins.
 *
 * <p>Created by the server it belongs to ({@link DefaultCryoServer#lifecycle()}) and registered
 * as a bean of its own, so that the bean applications inject shows only {@link CryoServer}.
 */
public final class CryoServerLifecycle implements SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(CryoServerLifecycle.class);

	/** How long a shutdown waits for the connections to report their close after it closed them. */
	private static final long CLOSE_WAIT_MILLIS = 2000;

	private final CryoSessionRegistry registry;

	private final Duration shutdownGracePeriod;

	private final ScheduledThreadPoolExecutor scheduler;

	/**
	 * Runs the work of transactions (reading sources, serving pulls) for all sessions, on at most
	 * {@code cryo.transactions.max-threads} threads: a transaction gives its thread up whenever it
	 * waits for its peer, so the pool's size bounds the threads, not the transactions.
	 */
	private final ThreadPoolExecutor streamExecutor;

	/** The disk that the temporary files of all sessions' transactions share. */
	private final SpillSpace spillSpace;

	private final CryoHeartbeat heartbeat;

	/** Unregisters the server's extensions when it is destroyed. */
	private final Runnable releaseExtensions;

	private volatile boolean running;

	CryoServerLifecycle(CryoSessionRegistry registry, CryoServerSettings settings, Runnable releaseExtensions,
			CryoServerObserver observer) {
		this.registry = registry;
		this.shutdownGracePeriod = settings.shutdownGracePeriod();
		this.releaseExtensions = releaseExtensions;
		this.scheduler = new ScheduledThreadPoolExecutor(1, new CustomizableThreadFactory("cryo-timer-"));
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		TransactionOptions transactions = settings.sessionOptions().transactions();
		this.streamExecutor = new TransactionThreadPool(transactions.threads(), observer);
		this.spillSpace = new SpillSpace(transactions.spillQuota(), transactions.minFreeSpace(),
				observer::spillBytesChanged);
		this.heartbeat = new CryoHeartbeat(registry, this.scheduler, settings.keepAliveInterval());
	}

	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	ExecutorService streamExecutor() {
		return this.streamExecutor;
	}

	SpillSpace spillSpace() {
		return this.spillSpace;
	}

	@Override
	public void start() {
		this.registry.startAccepting();
		this.heartbeat.start();
		this.running = true;
	}

	/**
	 * Shuts the server down gracefully: refuses new upgrades (503), sends BYE
	 * {@value CryoServer#SHUTDOWN_REASON} to every session, waits up to the grace period for
	 * their ACKs, then closes every connection with 4000.
	 */
	@Override
	public void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		this.registry.stopAccepting();
		this.heartbeat.stop();
		List<ServerSession> sessions = this.registry.sessions();
		CompletableFuture<?>[] goodbyes = sessions.stream()
			.map((session) -> session.goodbye(CryoServer.SHUTDOWN_REASON).exceptionally((failure) -> null))
			.toArray(CompletableFuture[]::new);
		try {
			CompletableFuture.allOf(goodbyes).get(this.shutdownGracePeriod.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			logger.info("Cryo shutdown grace period of " + this.shutdownGracePeriod.toMillis()
					+ " ms ended before every session acknowledged its BYE");
		}
		catch (ExecutionException ex) {
			// Each goodbye already turned its failure into a completion.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		sessions.forEach(ServerSession::terminate);
		awaitClosed(sessions);
	}

	/**
	 * Releases what a stopped server still holds: the extensions are unregistered and the
	 * timer thread ends. A stopped server can be started again until it is destroyed.
	 */
	@Override
	public void destroy() {
		stop();
		this.releaseExtensions.run();
		this.scheduler.shutdownNow();
		this.streamExecutor.shutdownNow();
	}

	private void awaitClosed(List<ServerSession> sessions) {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
		for (ServerSession session : sessions) {
			while (session.state() != SessionState.CLOSED && System.nanoTime() - deadline < 0) {
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Cryo server stopped " + sessions.size() + " session(s)");
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Runs the stop callback before the web server's graceful shutdown, so that sessions get
	 * their BYE while the connections are still served.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 512;
	}

}
