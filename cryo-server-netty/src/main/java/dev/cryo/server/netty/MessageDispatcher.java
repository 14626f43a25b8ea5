package dev.cryo.server.netty;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.cryo.server.support.ReassemblyBudget;

/**
 * Hands the complete messages of one connection to its session on the server's handler threads,
 * one at a time and in arrival order, so that a slow message handler (the application's code)
 * slows its own session only, never the event loop and the other connections it serves
 * (DESIGN.md, threading). The connection stops reading while {@value #MAX_PENDING} messages
 * wait, so TCP pushes back on its client, and reads again once they have been handled: a
 * connection holds at most that many messages, plus what one socket read decoded.
 *
 * <p>Each message keeps its buffer and its share of the reassembly budget until it has been
 * handled; a connection that ends gives back whatever still waits.
 */
final class MessageDispatcher {

	/** Messages that may wait for one connection's handler thread before it stops reading. */
	static final int MAX_PENDING = 16;

	private static final Log logger = LogFactory.getLog(MessageDispatcher.class);

	private final Channel channel;

	private final Executor executor;

	private final ReassemblyBudget budget;

	private final Consumer<ByteBuf> receiver;

	private final Runnable resume = this::resumeReading;

	private final ArrayDeque<Pending> pending = new ArrayDeque<>();

	/** Whether a handler thread is draining the queue; guarded by this. */
	private boolean draining;

	/** Whether the connection has ended; guarded by this. */
	private boolean closed;

	/**
	 * Creates the dispatcher of one connection.
	 * @param channel the connection, whose reading is paused and resumed
	 * @param executor the server's handler threads
	 * @param budget where a message's reservation goes back once it has been handled
	 * @param receiver hands one message to the session; the buffer is released afterwards
	 */
	MessageDispatcher(Channel channel, Executor executor, ReassemblyBudget budget, Consumer<ByteBuf> receiver) {
		this.channel = channel;
		this.executor = executor;
		this.budget = budget;
		this.receiver = receiver;
	}

	/**
	 * Queues a message for the session; called on the event loop.
	 * @param message the message, released once handled
	 * @param reserved what the message holds of the reassembly budget
	 */
	void dispatch(ByteBuf message, long reserved) {
		boolean start;
		int waiting;
		synchronized (this) {
			if (this.closed) {
				release(new Pending(message, reserved));
				return;
			}
			this.pending.add(new Pending(message, reserved));
			waiting = this.pending.size();
			start = !this.draining;
			this.draining = true;
		}
		if (waiting >= MAX_PENDING) {
			this.channel.config().setAutoRead(false);
		}
		if (start) {
			try {
				this.executor.execute(this::drain);
			}
			catch (RejectedExecutionException ex) {
				// The server is shutting down: nobody will handle what waits.
				close();
			}
		}
	}

	private void drain() {
		while (true) {
			Pending next;
			synchronized (this) {
				next = this.pending.poll();
				if (next == null) {
					this.draining = false;
					break;
				}
			}
			try {
				this.receiver.accept(next.message());
			}
			catch (RuntimeException ex) {
				// The session handles its handlers' failures; this is one of the transport's own.
				logger.error("Delivering a message to Cryo connection " + this.channel.id() + " failed", ex);
				this.channel.close();
			}
			finally {
				release(next);
			}
		}
		if (!this.channel.config().isAutoRead()) {
			this.channel.eventLoop().execute(this.resume);
		}
	}

	private void resumeReading() {
		synchronized (this) {
			if (this.closed || this.pending.size() >= MAX_PENDING) {
				return;
			}
		}
		this.channel.config().setAutoRead(true);
	}

	/** The connection has ended: what still waits is released, and nothing more is queued. */
	void close() {
		ArrayDeque<Pending> dropped;
		synchronized (this) {
			this.closed = true;
			dropped = new ArrayDeque<>(this.pending);
			this.pending.clear();
		}
		dropped.forEach(this::release);
	}

	private void release(Pending pending) {
		pending.message().release();
		this.budget.release(pending.reserved());
	}

	/**
	 * A message waiting for its handler thread.
	 *
	 * @param message the message's bytes
	 * @param reserved what it holds of the reassembly budget
	 */
	private record Pending(ByteBuf message, long reserved) {

	}

}
