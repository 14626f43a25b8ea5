package dev.cryo.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ScheduledExecutorService} whose time only moves when the test says so: tasks run on
 * the test's thread, in deadline order (ties in scheduling order), during {@link #advance}.
 * Timers of the session under test become steps of the test instead of waits, so a test can
 * look at the session just before and just after a deadline without any race.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

	private final PriorityQueue<Task<?>> tasks = new PriorityQueue<>();

	private long now;

	private long sequence;

	private boolean shutdown;

	/** Moves the clock forward, running every task that falls due on the way, at its own time. */
	void advance(Duration duration) {
		long target = this.now + duration.toNanos();
		while (true) {
			Task<?> next;
			synchronized (this) {
				next = this.tasks.peek();
				if (next == null || next.due > target) {
					this.now = target;
					return;
				}
				this.tasks.poll();
				this.now = Math.max(this.now, next.due);
			}
			next.run();
		}
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
		return add(() -> {
			command.run();
			return null;
		}, unit.toNanos(delay), 0);
	}

	@Override
	public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
		return add(callable, unit.toNanos(delay), 0);
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
		return add(() -> {
			command.run();
			return null;
		}, unit.toNanos(initialDelay), unit.toNanos(period));
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
		return scheduleAtFixedRate(command, initialDelay, delay, unit);
	}

	/** Runs at the next {@link #advance}, like a task scheduled without delay. */
	@Override
	public void execute(Runnable command) {
		schedule(command, 0, TimeUnit.NANOSECONDS);
	}

	@Override
	public synchronized void shutdown() {
		this.shutdown = true;
		this.tasks.clear();
	}

	@Override
	public List<Runnable> shutdownNow() {
		List<Runnable> waiting;
		synchronized (this) {
			waiting = new ArrayList<>(this.tasks);
		}
		shutdown();
		return waiting;
	}

	@Override
	public synchronized boolean isShutdown() {
		return this.shutdown;
	}

	@Override
	public synchronized boolean isTerminated() {
		return this.shutdown;
	}

	@Override
	public boolean awaitTermination(long timeout, TimeUnit unit) {
		return isTerminated();
	}

	private synchronized <V> Task<V> add(Callable<V> work, long delayNanos, long periodNanos) {
		Task<V> task = new Task<>(work, this.now + Math.max(0, delayNanos), periodNanos, this.sequence++);
		if (!this.shutdown) {
			this.tasks.add(task);
		}
		return task;
	}

	private synchronized void reschedule(Task<?> task) {
		if (!this.shutdown) {
			task.due = this.now + task.period;
			task.order = this.sequence++;
			this.tasks.add(task);
		}
	}

	/** One scheduled piece of work; a periodic one goes back into the queue after each run. */
	private final class Task<V> implements ScheduledFuture<V>, Runnable {

		private final Callable<V> work;

		private final long period;

		private final CompletableFuture<V> result = new CompletableFuture<>();

		private long due;

		private long order;

		Task(Callable<V> work, long due, long period, long order) {
			this.work = work;
			this.due = due;
			this.period = period;
			this.order = order;
		}

		@Override
		public void run() {
			if (this.result.isDone()) {
				return;
			}
			try {
				V value = this.work.call();
				if (this.period > 0) {
					reschedule(this);
				}
				else {
					this.result.complete(value);
				}
			}
			catch (Exception ex) {
				this.result.completeExceptionally(ex);
			}
		}

		@Override
		public long getDelay(TimeUnit unit) {
			synchronized (ManualScheduler.this) {
				return unit.convert(this.due - ManualScheduler.this.now, TimeUnit.NANOSECONDS);
			}
		}

		@Override
		public int compareTo(Delayed other) {
			Task<?> that = (Task<?>) other;
			int byDue = Long.compare(this.due, that.due);
			return (byDue != 0) ? byDue : Long.compare(this.order, that.order);
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			return this.result.cancel(mayInterruptIfRunning);
		}

		@Override
		public boolean isCancelled() {
			return this.result.isCancelled();
		}

		@Override
		public boolean isDone() {
			return this.result.isDone();
		}

		@Override
		public V get() throws InterruptedException, ExecutionException {
			return this.result.get();
		}

		@Override
		public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
			return this.result.get(timeout, unit);
		}

	}

}
