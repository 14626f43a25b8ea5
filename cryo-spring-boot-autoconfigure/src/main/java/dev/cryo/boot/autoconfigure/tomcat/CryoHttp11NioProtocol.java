package dev.cryo.boot.autoconfigure.tomcat;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.threads.TaskQueue;
import org.apache.tomcat.util.threads.TaskThreadFactory;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat's NIO HTTP/1.1 protocol, but the completions of asynchronous WebSocket sends run on
 * threads of their own instead of the connector's request threads.
 *
 * <p>Why: Tomcat answers a peer's close frame on a request thread and first waits until the
 * session's last asynchronous send has completed, and it completes every asynchronous send by
 * handing the completion to the connector's executor. When many clients close at once while
 * sends to them are completing (heartbeats, broadcasts), every request thread can end up waiting
 * for a completion that sits in the executor's queue behind them: each such close then waits out
 * its whole timeout (2 s for Cryo sessions) and the connector serves nothing else meanwhile.
 * Measured: 10,000 sessions closed together took 94 s to be released (BENCHMARKS.md, "A mass
 * close on Tomcat"). With the completions on their own threads the waits end as soon as the
 * send they wait for is done.
 *
 * <p>Everything else is Tomcat's: the request threads are the connector's own executor, sized
 * by {@code server.tomcat.threads.*} and reported by its metrics; the completion threads are a
 * second pool created and stopped with it, up to the same maximum, named
 * {@code <connector>-ws-completion-N}. A connector given an executor of its own (virtual threads,
 * or one the application sets) is left as it is: it creates no pool of its own to route from.
 */
public class CryoHttp11NioProtocol extends Http11NioProtocol {

	public CryoHttp11NioProtocol() {
		super(new CompletionRoutingEndpoint());
	}

	/**
	 * Returns how many threads the send completion pool has now, at most the connector's
	 * {@code maxThreads}; 0 while the connector is stopped or has an executor of its own.
	 * @return the pool's size
	 */
	public int sendCompletionThreads() {
		ThreadPoolExecutor completions = ((CompletionRoutingEndpoint) getEndpoint()).completions;
		return (completions != null) ? completions.getPoolSize() : 0;
	}

	/**
	 * Returns how many send completion threads are running a completion now.
	 * @return the busy threads
	 */
	public int busySendCompletionThreads() {
		ThreadPoolExecutor completions = ((CompletionRoutingEndpoint) getEndpoint()).completions;
		return (completions != null) ? completions.getActiveCount() : 0;
	}

	/**
	 * Whether a task the WebSocket implementation handed to the connector's executor completes an
	 * asynchronous send. Tomcat has no public type for it; the name is checked by a test against
	 * the Tomcat on the class path.
	 */
	static boolean isSendCompletion(Runnable task) {
		return CompletionRoutingEndpoint.SEND_COMPLETION.equals(task.getClass().getName());
	}

	/** The NIO endpoint, with a second pool that runs WebSocket send completions. */
	static final class CompletionRoutingEndpoint extends NioEndpoint {

		static final String SEND_COMPLETION = "org.apache.tomcat.websocket.server.WsRemoteEndpointImplServer$OnResultRunnable";

		private volatile @Nullable ThreadPoolExecutor completions;

		private volatile @Nullable Executor routing;

		@Override
		public void createExecutor() {
			super.createExecutor();
			Executor requests = super.getExecutor();
			if (requests instanceof ThreadPoolExecutor) {
				// As Tomcat builds its own pool: threads are started before tasks queue, up to the maximum.
				TaskQueue queue = new TaskQueue();
				TaskThreadFactory threads = new TaskThreadFactory(getName() + "-ws-completion-", getDaemon(),
						getThreadPriority());
				ThreadPoolExecutor completions = new ThreadPoolExecutor(0, Math.max(1, getMaxThreads()),
						getThreadsMaxIdleTime(), TimeUnit.MILLISECONDS, queue, threads);
				queue.setParent(completions);
				this.completions = completions;
				this.routing = (task) -> (isSendCompletion(task) ? completions : requests).execute(task);
			}
		}

		/**
		 * The connector's executor for everything Tomcat dispatches (requests, reads, WebSocket
		 * work), but send completions go to their own pool. Tomcat's thread counts and settings
		 * read the request pool itself, not this.
		 */
		@Override
		public @Nullable Executor getExecutor() {
			Executor routing = this.routing;
			return (routing != null && super.getExecutor() != null) ? routing : super.getExecutor();
		}

		@Override
		public void shutdownExecutor() {
			super.shutdownExecutor();
			this.routing = null;
			ThreadPoolExecutor completions = this.completions;
			if (completions != null) {
				this.completions = null;
				completions.shutdownNow();
			}
		}

	}

}
