package dev.cryo.core.transaction;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.TxCancelFrame;
import dev.cryo.core.frame.TxChunkFrame;
import dev.cryo.core.frame.TxFinishFrame;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.TxPullFrame;
import dev.cryo.core.frame.TxStartFrame;

/**
 * The transactions of one session, both directions (cryo-v1.md §10): the one object the
 * session engine talks to. Incoming frames are handed in by the session's receiving thread, one
 * at a time and already ACKed; outgoing transactions read their sources and serve pulls on the
 * given executor, paced by the send queue's room, which they wait for without holding a thread.
 *
 * <p>This class only routes: the incoming side, the outgoing side and the claims of incoming
 * streams by name are each a class of this package.
 */
public final class TransactionManager {

	private final StreamClaims claims;

	private final IncomingTransactions incoming;

	private final OutgoingTransactions outgoing;

	/**
	 * Returns a process-wide pool of daemon threads for the work of transactions, for owners that
	 * do not bring their own executor: at most {@link TransactionOptions#DEFAULT_THREADS} threads
	 * (more on a machine with more processors), each ending after a minute without work.
	 * Transactions never wait for a peer on its threads, so a bounded pool serves any number.
	 * @return the shared executor
	 */
	public static Executor sharedExecutor() {
		return SharedExecutor.INSTANCE;
	}

	/**
	 * Creates a bounded pool for the work of transactions, as a server creates one for all its
	 * sessions: threads are started as work arrives, up to {@code threads}, and end after a
	 * minute without work; further work waits in line.
	 * @param threads the most threads
	 * @param namePrefix the prefix of the threads' names
	 * @return the pool; its owner shuts it down
	 */
	public static ThreadPoolExecutor newExecutor(int threads, String namePrefix) {
		AtomicInteger count = new AtomicInteger();
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (task) -> {
					Thread thread = new Thread(task, namePrefix + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	/** Created on first use only. */
	private static final class SharedExecutor {

		private static final Executor INSTANCE = newExecutor(
				Math.max(TransactionOptions.DEFAULT_THREADS, Runtime.getRuntime().availableProcessors()), "cryo-stream-shared-");

	}

	/**
	 * Creates the transactions of one session.
	 * @param channel the session's side of its transactions
	 * @param options the limits and sizes
	 * @param executor runs the work of outgoing transactions (reading sources, serving pulls)
	 * @param scheduler runs the timeouts of {@link #awaitStream}
	 * @param space the endpoint's disk for temporary files, shared by its sessions
	 */
	public TransactionManager(TransactionChannel channel, TransactionOptions options, Executor executor,
			ScheduledExecutorService scheduler, SpillSpace space) {
		this.claims = new StreamClaims(scheduler);
		this.incoming = new IncomingTransactions(channel, options, this.claims, space);
		this.outgoing = new OutgoingTransactions(channel, options, executor, space);
	}

	/**
	 * Creates the transactions of one session with a spill space of its own.
	 * @param channel the session's side of its transactions
	 * @param options the limits and sizes
	 * @param executor runs the work of outgoing transactions (reading sources, serving pulls)
	 * @param scheduler runs the timeouts of {@link #awaitStream}
	 */
	public TransactionManager(TransactionChannel channel, TransactionOptions options, Executor executor,
			ScheduledExecutorService scheduler) {
		this(channel, options, executor, scheduler, SpillSpace.of(options));
	}

	/**
	 * A TX_START arrived: opens its stream (replacing a live one with the same txid), or refuses
	 * it (an ERROR frame in Cryo v1, TX_CANCEL in CAMP) when a limit does not let it run.
	 * @param frame the frame
	 */
	public void onStart(TxStartFrame frame) {
		this.incoming.onStart(frame);
	}

	/**
	 * A TX_CHUNK arrived: appends it, or drops it when the txid is unknown.
	 * @param frame the frame
	 */
	public void onChunk(TxChunkFrame frame) {
		this.incoming.onChunk(frame);
	}

	/**
	 * A TX_FINISH arrived: completes the stream (an unknown txid is only logged; the session has
	 * ACKed it already).
	 * @param frame the frame
	 */
	public void onFinish(TxFinishFrame frame) {
		this.incoming.onFinish(frame);
	}

	/**
	 * A TX_FLOW arrived: transactions this endpoint starts from now on use that mode.
	 * @param frame the frame
	 */
	public void onFlow(TxFlowFrame frame) {
		this.outgoing.onFlow(frame);
	}

	/**
	 * Asks the peer to start its future transactions in the given mode (sends TX_FLOW), and, for
	 * pull, requests their data in windows of {@code pullWindow} bytes.
	 * @param behaviour push or pull
	 * @return completes when the peer ACKs the TX_FLOW; fails at once with
	 * {@link IllegalStateException} in a session whose transaction layout has no TX_FLOW for it
	 * (CAMP, cryo-protocol 1.4: cryo-v1.md §10.5)
	 */
	public CompletableFuture<Void> requestIncomingFlow(FlowBehaviour behaviour) {
		return this.incoming.requestFlow(behaviour);
	}

	/**
	 * Starts a transaction in the mode the peer asked for (push unless it sent TX_FLOW pull).
	 * @param source the data, closed when the transaction ends
	 * @param name the transaction name; empty becomes {@code anonymous}
	 * @return completes when the peer ACKs TX_FINISH; fails on a TX_START timeout, a cancel,
	 * a source error or the end of the session
	 */
	public CompletableFuture<Void> stream(StreamSource source, String name) {
		return this.outgoing.stream(source, name, null);
	}

	/**
	 * Starts a transaction in the given mode: CAMP chooses it per transaction; in Cryo v1 it
	 * must be the mode the peer asked for.
	 * @param source the data, closed when the transaction ends
	 * @param name the transaction name; empty becomes {@code anonymous}
	 * @param behaviour push or pull
	 * @return completes when the peer ACKs TX_FINISH; fails at once when the session cannot
	 * send in that mode
	 */
	public CompletableFuture<Void> stream(StreamSource source, String name, FlowBehaviour behaviour) {
		return this.outgoing.stream(source, name, behaviour);
	}

	/**
	 * A TX_PULL arrived for a transaction of this endpoint (§10.4 sender rules).
	 * @param frame the frame, already ACKed
	 */
	public void onPull(TxPullFrame frame) {
		this.outgoing.onPull(frame);
	}

	/**
	 * A TX_CANCEL arrived: stops the transaction without TX_FINISH and discards its data.
	 * @param frame the frame, already ACKed
	 */
	public void onCancel(TxCancelFrame frame) {
		this.outgoing.onCancel(frame);
	}

	/**
	 * Returns the next incoming stream with the given name: one that started and was not
	 * claimed yet, or the next one to start.
	 * @param name the transaction name
	 * @param timeout how long to wait
	 * @return the stream; fails with {@link TimeoutException} when none starts in time
	 */
	public CompletableFuture<IncomingStream> awaitStream(String name, Duration timeout) {
		return this.claims.claim(name, timeout);
	}

	/**
	 * Fails every running transaction and waiting claim, deleting their temporary files: the
	 * session has ended.
	 * @param cause why
	 */
	public void closeAll(Exception cause) {
		// One failure for all: whoever waits on several of them sees the same cause.
		CryoTransactionException failure = new CryoTransactionException("The session has ended", cause);
		this.incoming.end(cause, failure);
		this.outgoing.end(cause, failure);
	}

}
