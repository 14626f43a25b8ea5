package dev.cryo.server.support;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import dev.cryo.server.observer.CryoServerObserver;

/**
 * The server's pool for the work of transactions: {@code cryo-stream-} threads started as work
 * arrives, up to a fixed number, each ending after a minute without work; further work waits in
 * line. It tells the observer how many threads are busy, so that a pool that is always full shows.
 */
final class TransactionThreadPool extends ThreadPoolExecutor {

	private final CryoServerObserver observer;

	private final AtomicInteger busy = new AtomicInteger();

	TransactionThreadPool(int threads, CryoServerObserver observer) {
		super(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				new CustomizableThreadFactory("cryo-stream-"));
		allowCoreThreadTimeOut(true);
		this.observer = observer;
	}

	@Override
	protected void beforeExecute(Thread thread, Runnable task) {
		this.observer.transactionThreadsBusy(this.busy.incrementAndGet());
	}

	@Override
	protected void afterExecute(Runnable task, @Nullable Throwable failure) {
		this.observer.transactionThreadsBusy(this.busy.decrementAndGet());
	}

}
