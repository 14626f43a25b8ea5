package dev.cryo.core.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The per-session send queue and its writer: frames from any thread go in, and at most one
 * message at a time goes to the {@link CryoTransport} (Tomcat, like most containers, refuses a
 * second concurrent send). Expedited frames (ACK, PING_PONG) overtake queued ones.
 *
 * <p>Sending never blocks the caller: whoever finds the writer idle starts it, and each
 * transport completion moves the next frame. Completions that arrive on the sending thread are
 * looped rather than recursed, so a fast transport cannot overflow the stack.
 */
final class SendQueue {

	private static final int PENDING = 0;

	private static final int DONE_INLINE = 1;

	private static final int ASYNC = 2;

	private final CryoTransport transport;

	private final Consumer<Throwable> writeFailureHandler;

	private final ArrayDeque<OutboundFrame> expedited = new ArrayDeque<>();

	private final ArrayDeque<OutboundFrame> queued = new ArrayDeque<>();

	private long queuedBytes;

	private boolean writing;

	private boolean closed;

	private @Nullable Runnable whenFlushed;

	SendQueue(CryoTransport transport, Consumer<Throwable> writeFailureHandler) {
		this.transport = transport;
		this.writeFailureHandler = writeFailureHandler;
	}

	/**
	 * Adds a frame and starts the writer if it is idle.
	 * @return {@code false} when the queue is closed and the frame was not taken
	 */
	boolean enqueue(OutboundFrame frame) {
		synchronized (this) {
			if (this.closed) {
				return false;
			}
			if (frame.frameClass() == FrameClass.EXPEDITED) {
				this.expedited.add(frame);
			}
			else {
				this.queued.add(frame);
				this.queuedBytes += frame.length();
			}
			if (this.writing) {
				return true;
			}
			this.writing = true;
		}
		drain();
		return true;
	}

	/**
	 * Runs an action once everything queued so far has been handed to the transport, and takes
	 * no more frames afterwards except expedited ones already queued.
	 */
	void closeWhenFlushed(Runnable action) {
		boolean runNow;
		synchronized (this) {
			if (this.whenFlushed != null || this.closed) {
				return;
			}
			this.whenFlushed = action;
			runNow = !this.writing && this.queued.isEmpty() && this.expedited.isEmpty();
			if (runNow) {
				this.closed = true;
				this.whenFlushed = null;
			}
		}
		if (runNow) {
			action.run();
		}
	}

	/**
	 * Stops the queue for good and discards what is still queued.
	 * @return the discarded frames, so that the session can fail their futures
	 */
	synchronized List<OutboundFrame> close() {
		this.closed = true;
		this.whenFlushed = null;
		List<OutboundFrame> discarded = new ArrayList<>(this.expedited);
		discarded.addAll(this.queued);
		this.expedited.clear();
		this.queued.clear();
		this.queuedBytes = 0;
		return discarded;
	}

	synchronized int queuedCount() {
		return this.queued.size() + this.expedited.size();
	}

	synchronized long queuedBytes() {
		return this.queuedBytes;
	}

	private void drain() {
		while (true) {
			OutboundFrame next;
			Runnable flushedAction = null;
			synchronized (this) {
				next = this.expedited.poll();
				if (next == null) {
					next = this.queued.poll();
					if (next != null) {
						this.queuedBytes -= next.length();
					}
				}
				if (next == null) {
					this.writing = false;
					if (this.whenFlushed != null) {
						flushedAction = this.whenFlushed;
						this.whenFlushed = null;
						this.closed = true;
					}
				}
			}
			if (next == null) {
				if (flushedAction != null) {
					flushedAction.run();
				}
				return;
			}
			if (!write(next)) {
				return;
			}
		}
	}

	/**
	 * Hands one frame to the transport.
	 * @return {@code true} when the send completed on this thread and the caller should loop,
	 * {@code false} when the completion will drain the queue itself (or the write failed)
	 */
	private boolean write(OutboundFrame frame) {
		AtomicInteger outcome = new AtomicInteger(PENDING);
		Throwable[] inlineFailure = new Throwable[1];
		try {
			this.transport.send(frame.message(), (failure) -> {
				if (outcome.compareAndSet(PENDING, DONE_INLINE)) {
					inlineFailure[0] = failure;
					return;
				}
				if (failure != null) {
					failed(failure);
				}
				else {
					drain();
				}
			});
		}
		catch (RuntimeException ex) {
			outcome.set(DONE_INLINE);
			inlineFailure[0] = ex;
		}
		if (outcome.compareAndSet(PENDING, ASYNC)) {
			return false;
		}
		if (inlineFailure[0] != null) {
			failed(inlineFailure[0]);
			return false;
		}
		return true;
	}

	private void failed(Throwable failure) {
		synchronized (this) {
			this.writing = false;
		}
		this.writeFailureHandler.accept(failure);
	}

}
