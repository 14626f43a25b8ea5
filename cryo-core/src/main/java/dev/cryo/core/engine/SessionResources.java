package dev.cryo.core.engine;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.transaction.SpillSpace;

/**
 * What the sessions of one endpoint share: the timer, the pool for the blocking work of
 * transactions, and the observer that counts their traffic. One value instead of a growing
 * list of constructor parameters.
 *
 * @param scheduler shared timer for ack timeouts, the opening deadline, the close fallback and
 * the ping watch
 * @param streamExecutor runs the work of transactions: reading sources, serving pulls
 * @param observer told about frames, drops, ack timeouts and round trips (metrics);
 * {@link SessionObserver#NOOP} for none
 * @param spillSpace the disk the temporary files of transactions may use, shared by the
 * sessions; {@code null} for a space of each session's own, sized by its transaction options
 */
public record SessionResources(ScheduledExecutorService scheduler, Executor streamExecutor, SessionObserver observer,
		@Nullable SpillSpace spillSpace) {

	public SessionResources {
		Objects.requireNonNull(scheduler, "scheduler");
		Objects.requireNonNull(streamExecutor, "streamExecutor");
		Objects.requireNonNull(observer, "observer");
	}

	/**
	 * Creates resources whose sessions each have a spill space of their own.
	 * @param scheduler shared timer
	 * @param streamExecutor runs the work of transactions
	 * @param observer told about frames (metrics)
	 */
	public SessionResources(ScheduledExecutorService scheduler, Executor streamExecutor, SessionObserver observer) {
		this(scheduler, streamExecutor, observer, null);
	}

}
