package dev.cryo.core.engine;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the sessions of one endpoint share: the timer, the pool for the blocking work of
 * transactions, and the observer that counts their traffic. One value instead of a growing
 * list of constructor parameters.
 *
 * @param scheduler shared timer for ack timeouts, the opening deadline, the close fallback and
 * the ping watch
 * @param streamExecutor runs the blocking work of transactions: reading sources, serving pulls
 * @param observer told about frames, drops, ack timeouts and round trips (metrics);
 * {@link SessionObserver#NOOP} for none
 */
public record SessionResources(ScheduledExecutorService scheduler, Executor streamExecutor, SessionObserver observer) {

	public SessionResources {
		Objects.requireNonNull(scheduler, "scheduler");
		Objects.requireNonNull(streamExecutor, "streamExecutor");
		Objects.requireNonNull(observer, "observer");
	}

}
