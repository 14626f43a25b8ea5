package dev.cryo.boot.autoconfigure.endpoints;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.DisposableBean;

/**
 * The one thread of the endpoint layer's timers: the dispatcher's request and requirement
 * timeouts and the pings of yoctopus's wire. Held in a bean of its own type rather than exposed as
 * a {@link ScheduledExecutorService} bean: one of those would make Boot back off its task
 * scheduler and Spring run the application's {@code @Scheduled} methods on this thread.
 */
final class CryoEndpointsScheduler implements DisposableBean {

	private final ScheduledThreadPoolExecutor executor;

	CryoEndpointsScheduler() {
		AtomicInteger count = new AtomicInteger();
		ThreadFactory threads = (task) -> {
			Thread thread = new Thread(task, "cryo-endpoints-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		this.executor = new ScheduledThreadPoolExecutor(1, threads);
		// Cancelled timeouts (most of them: requests answer in time) leave the queue at once.
		this.executor.setRemoveOnCancelPolicy(true);
	}

	ScheduledExecutorService executor() {
		return this.executor;
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

}
