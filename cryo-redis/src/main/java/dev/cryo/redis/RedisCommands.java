package dev.cryo.redis;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;

import dev.cryo.redis.RedisClusterObserver.Failure;

/**
 * Runs Redis commands with a bounded wait. The driver's own timeouts (connect timeout, command
 * timeout) are the application's and may be long, so a command runs on a small pool of this
 * node's and the caller waits at most the command timeout; a caller that gives up leaves the pool
 * thread to the driver's timeout. After a failure, commands fail at once for
 * {@link #RETRY_PAUSE}, so that an unreachable Redis costs one timeout per pause, not one per
 * session id on every heartbeat. The first failure and the recovery are logged once each; every
 * failure, the ones refused at once included, is told to the {@link RedisClusterObserver}.
 */
final class RedisCommands implements AutoCloseable {

	/** How long commands fail at once after a failure, before the next one tries again. */
	static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

	private static final int THREADS = 4;

	private static final int QUEUE_CAPACITY = 4096;

	private final ThreadPoolExecutor executor;

	private final long timeoutNanos;

	private final String what;

	private final Log logger;

	/** When commands may be tried again, by {@link System#nanoTime()}; meaningful while unavailable. */
	private volatile long retryAtNanos;

	private volatile boolean unavailable;

	private volatile @Nullable Throwable lastFailure;

	/** Why the last command failed; the reason of the commands refused during the pause. */
	private volatile Failure lastReason = Failure.OTHER;

	private volatile RedisClusterObserver observer = RedisClusterObserver.NONE;

	/** Told when Redis answers again after a failure; runs on the thread of that command. */
	private volatile Runnable recovery = () -> {
	};

	RedisCommands(String what, Duration timeout, Log logger) {
		this.what = what;
		this.timeoutNanos = timeout.toNanos();
		this.logger = logger;
		AtomicInteger threads = new AtomicInteger();
		this.executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(QUEUE_CAPACITY), (runnable) -> {
					Thread thread = new Thread(runnable, "cryo-redis-" + what + "-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.executor.allowCoreThreadTimeOut(true);
	}

	/**
	 * Runs a command and waits for its result at most the timeout.
	 * @param <T> the result type
	 * @param command the command
	 * @return its result
	 * @throws RedisClusterUnavailableException when Redis failed now or a moment ago
	 */
	<T> T run(Callable<T> command) {
		if (this.unavailable && System.nanoTime() - this.retryAtNanos < 0) {
			this.observer.failure(this.lastReason);
			throw new RedisClusterUnavailableException("Redis is unreachable (" + this.what + "); retrying in a moment",
					this.lastFailure);
		}
		Future<T> future;
		try {
			future = this.executor.submit(command);
		}
		catch (RejectedExecutionException ex) {
			if (this.executor.isShutdown()) {
				// Closed with its node: not an outage, nothing to log.
				throw new RedisClusterUnavailableException("The Redis " + this.what + " is closed", ex);
			}
			throw failed(ex);
		}
		try {
			T result = future.get(this.timeoutNanos, TimeUnit.NANOSECONDS);
			succeeded();
			return result;
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw failed(ex);
		}
		catch (ExecutionException ex) {
			throw failed((ex.getCause() != null) ? ex.getCause() : ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			future.cancel(true);
			throw new RedisClusterUnavailableException("Interrupted while waiting for Redis (" + this.what + ")", ex);
		}
	}

	/**
	 * Runs a command without waiting for it, for a message whose sender has nothing to do with
	 * the outcome (a report): a failure is counted and logged as for {@link #run(Callable)}.
	 * During the pause after a failure, or when too many commands wait, the command is dropped
	 * and counted.
	 * @param command the command
	 */
	void submit(Callable<?> command) {
		if (this.unavailable && System.nanoTime() - this.retryAtNanos < 0) {
			this.observer.failure(this.lastReason);
			return;
		}
		try {
			this.executor.execute(() -> {
				try {
					command.call();
					succeeded();
				}
				catch (Exception ex) {
					failed(ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			if (!this.executor.isShutdown()) {
				failed(ex);
			}
		}
	}

	/**
	 * Sets what runs when Redis answers again after a failure. It runs on the thread of the command
	 * that succeeded, so it should hand its work to a thread of its own.
	 * @param recovery what to run
	 */
	void onRecovery(Runnable recovery) {
		this.recovery = recovery;
	}

	/**
	 * Returns whether the last command failed and Redis is thought unreachable.
	 * @return {@code true} while unreachable
	 */
	boolean isUnavailable() {
		return this.unavailable;
	}

	/**
	 * Returns what made the last failed command fail, whether or not Redis answered since.
	 * @return the cause, {@code null} when no command failed yet
	 */
	@Nullable Throwable lastFailure() {
		return this.lastFailure;
	}

	/**
	 * Returns a short description of the last failure for a health report: the exception's
	 * class and message, bounded.
	 * @return the description, {@code null} when no command failed yet
	 */
	@Nullable String lastFailureDescription() {
		Throwable failure = this.lastFailure;
		return (failure != null) ? describe(failure) : null;
	}

	void observer(RedisClusterObserver observer) {
		this.observer = observer;
	}

	private void succeeded() {
		if (this.unavailable) {
			this.unavailable = false;
			this.logger.info("Redis is reachable again (" + this.what + ")");
			try {
				this.recovery.run();
			}
			catch (RuntimeException ex) {
				this.logger.warn("Recovering after Redis returned failed (" + this.what + ")", ex);
			}
		}
	}

	private RedisClusterUnavailableException failed(Throwable cause) {
		Failure reason = reason(cause);
		this.lastFailure = cause;
		this.lastReason = reason;
		this.observer.failure(reason);
		this.retryAtNanos = System.nanoTime() + RETRY_PAUSE.toNanos();
		if (!this.unavailable) {
			this.unavailable = true;
			this.logger.warn("Redis is unreachable (" + this.what + "): " + describe(cause));
		}
		return new RedisClusterUnavailableException("Redis is unreachable (" + this.what + "): " + describe(cause),
				cause);
	}

	/** Tells a timeout and a connection refused or lost apart from the rest, by the cause chain. */
	static Failure reason(Throwable cause) {
		for (Throwable current = cause; current != null; current = current.getCause()) {
			if (current instanceof TimeoutException || current instanceof QueryTimeoutException
					|| current instanceof SocketTimeoutException) {
				return Failure.TIMEOUT;
			}
			if (current instanceof RedisConnectionFailureException || current instanceof ConnectException
					|| current instanceof ClosedChannelException) {
				return Failure.UNREACHABLE;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return Failure.OTHER;
	}

	private String describe(Throwable cause) {
		if (cause instanceof TimeoutException) {
			return "no answer within " + Duration.ofNanos(this.timeoutNanos).toMillis() + " ms";
		}
		if (cause instanceof RejectedExecutionException) {
			return "too many commands waiting";
		}
		String message = String.valueOf(cause.getMessage());
		if (message.length() > 200) {
			message = message.substring(0, 200) + "...";
		}
		return cause.getClass().getSimpleName() + ": " + message;
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
