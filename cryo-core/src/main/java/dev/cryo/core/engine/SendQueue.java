package dev.cryo.core.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The per-session send queue and its writer (cryo-v1.md §11.3).
 *
 * <p>Frames from any thread go in; at most one message at a time goes to the
 * {@link CryoTransport} (Tomcat, like most containers, refuses a second concurrent send).
 * Expedited frames (ACK, PING_PONG) overtake the queue and are never counted against the caps
 * or dropped; they have a cap of their own, {@code maxExpeditedFrames}, and one offered beyond
 * it is refused as {@link Admission#OVERFLOWED}: only a peer that sends and does not read makes
 * them pile up, and the session must end.
 * Protected frames are always queued, in order; producers that must not overrun the caps (a
 * transaction source) wait with {@link #awaitRoom}. Droppable frames are admitted when the queue
 * stays within {@code maxQueueCount} frames and {@code maxQueuedBytes} bytes (a frame bigger
 * than the byte cap fits only into an empty queue); otherwise the drop policy decides.
 *
 * <p>The session becomes unwritable when its pending bytes (queued plus in flight) reach the
 * high-water mark, and writable again at or below the low-water mark.
 *
 * <p>Sending never blocks the caller: whoever finds the writer idle starts it, and each
 * transport completion moves the next frame. Completions that arrive on the sending thread are
 * looped rather than recursed, so a fast transport cannot overflow the stack.
 *
 * <p>It is over 400 lines on purpose: admission and the single-writer drain share one lock and
 * one set of invariants (the caps, the tombstones of dropped frames, the in-flight slot), and
 * splitting them would spread those invariants over two classes that must change together.
 */
final class SendQueue {

	private static final int PENDING = 0;

	private static final int DONE_INLINE = 1;

	private static final int ASYNC = 2;

	/** What happened to a frame handed to {@link #enqueue}. */
	enum Admission {

		/** Queued (or, for expedited frames, put ahead of the queue). */
		QUEUED,

		/** Not queued: the drop policy refused it. */
		DROPPED,

		/**
		 * Not queued: the drop policy is {@code terminate} and the caps were reached, or an
		 * expedited frame found {@code maxExpeditedFrames} waiting.
		 */
		OVERFLOWED,

		/** Not queued: the queue is closed. */
		CLOSED

	}

	/** What the queue reports to its session. */
	interface Listener {

		/** Frames that were queued and have now been evicted or replaced by the drop policy. */
		void dropped(List<OutboundFrame> frames);

		/** The session crossed the high-water mark (false) or came back to the low-water mark (true). */
		void writabilityChanged(boolean writable);

		/** The transport could not write a message; the connection is unusable. */
		void writeFailed(Throwable failure);

	}

	private final CryoTransport transport;

	private final BackpressureSettings limits;

	private final Listener listener;

	private final ArrayDeque<OutboundFrame> expedited = new ArrayDeque<>();

	private final ArrayDeque<Entry> queued = new ArrayDeque<>();

	private final Map<Object, Entry> queuedByDedupeKey = new HashMap<>();

	private final List<RoomWaiter> roomWaiters = new ArrayList<>();

	private final Object notificationLock = new Object();

	private long queuedBytes;

	private int queuedCount;

	/** Removed entries still in the deque; compacted away before they can outnumber live ones. */
	private int tombstones;

	private long inFlightBytes;

	private long writeStartedNanos;

	private boolean writing;

	private boolean closed;

	/** Whether writes are held back by {@link #hold()}; the writer counts as busy meanwhile. */
	private boolean held;

	private boolean writable = true;

	private boolean writableNotified = true;

	private @Nullable Runnable whenFlushed;

	SendQueue(CryoTransport transport, BackpressureSettings limits, Listener listener) {
		this.transport = transport;
		this.limits = limits;
		this.listener = listener;
	}

	/** The most bytes of frames the queue holds before it waits for room or drops (its byte cap). */
	long maxQueuedBytes() {
		return this.limits.maxQueuedBytes();
	}

	/**
	 * Holds back every write until {@link #release()}, if nothing is being written: how the
	 * session's opening frame waits for a write of its own after the WebSocket upgrade
	 * (cryo-v1.md §3 rule 2). Frames are queued meanwhile as usual.
	 */
	synchronized void hold() {
		if (!this.writing && !this.closed) {
			this.writing = true;
			this.held = true;
		}
	}

	/** Ends a {@link #hold()} and writes what was queued meanwhile; a no-op when nothing is held. */
	void release() {
		synchronized (this) {
			if (!this.held) {
				return;
			}
			this.held = false;
		}
		drain();
	}

	/**
	 * Offers a frame and starts the writer if it is idle.
	 * @return whether the frame was queued, and if not, why
	 */
	Admission enqueue(OutboundFrame frame) {
		List<OutboundFrame> evicted = new ArrayList<>(0);
		Admission admission;
		boolean startWriter = false;
		synchronized (this) {
			if (this.closed) {
				return Admission.CLOSED;
			}
			admission = switch (frame.frameClass()) {
				case EXPEDITED -> {
					if (this.expedited.size() >= this.limits.maxExpeditedFrames()) {
						yield Admission.OVERFLOWED;
					}
					this.expedited.add(frame);
					yield Admission.QUEUED;
				}
				case PROTECTED -> {
					add(frame, null);
					yield Admission.QUEUED;
				}
				case DROPPABLE -> admitDroppable(frame, evicted);
			};
			updateWritability();
			if (admission == Admission.QUEUED && !this.writing) {
				this.writing = true;
				startWriter = true;
			}
		}
		if (!evicted.isEmpty()) {
			this.listener.dropped(evicted);
		}
		notifyWritability();
		if (startWriter) {
			drain();
		}
		return admission;
	}

	/** Applies the drop policy to a droppable frame; the caller holds the lock. */
	private Admission admitDroppable(OutboundFrame frame, List<OutboundFrame> evicted) {
		int length = frame.length();
		// The key hashes the whole payload: computed once, only for the policy that needs it.
		Object dedupeKey = (this.limits.dropPolicy() == DropPolicy.DEDUPE_LATEST) ? frame.effectiveDedupeKey() : null;
		switch (this.limits.dropPolicy()) {
			case DEDUPE_LATEST -> {
				// Latest-value semantics: a queued frame with the same key is replaced by this one.
				Entry older = this.queuedByDedupeKey.get(dedupeKey);
				if (older != null) {
					evicted.add(remove(older));
				}
			}
			case DROP_OLDEST -> {
				// Choose the victims first: removing reshapes the deque under an iterator.
				List<Entry> victims = new ArrayList<>();
				int count = this.queuedCount;
				long bytes = this.queuedBytes;
				for (Entry candidate : this.queued) {
					if (fits(count, bytes, length)) {
						break;
					}
					if (!candidate.removed && candidate.frame.frameClass() == FrameClass.DROPPABLE) {
						victims.add(candidate);
						count--;
						bytes -= candidate.frame.length();
					}
				}
				victims.forEach((victim) -> evicted.add(remove(victim)));
			}
			case TERMINATE -> {
				if (!fits(length)) {
					return Admission.OVERFLOWED;
				}
			}
			case DROP_NEWEST -> {
				// Nothing to make room with: the new frame is the one that goes if it does not fit.
			}
		}
		if (!fits(length)) {
			return Admission.DROPPED;
		}
		add(frame, dedupeKey);
		return Admission.QUEUED;
	}

	private boolean fits(int length) {
		return fits(this.queuedCount, this.queuedBytes, length);
	}

	/**
	 * Whether a producer that waits for room is woken: its frame fits and the queue has drained to
	 * half its caps (or is empty). Waking it as soon as one frame fits would wake it once per
	 * written frame, a thread hand-off per transaction chunk; from half-full it queues many chunks
	 * at once and the queue still holds plenty to write meanwhile.
	 */
	private boolean refillable(int length) {
		return this.queuedCount == 0 || (fits(length) && this.queuedBytes <= this.limits.maxQueuedBytes() / 2
				&& this.queuedCount <= this.limits.maxQueueCount() / 2);
	}

	/** The admission test of §11.3; a frame larger than the byte cap fits only into an empty queue. */
	private boolean fits(int count, long bytes, int length) {
		return count == 0
				|| (count + 1 <= this.limits.maxQueueCount() && bytes + length <= this.limits.maxQueuedBytes());
	}

	/** Appends a frame; a dedupe key makes it replaceable under dedupe-latest. */
	private void add(OutboundFrame frame, @Nullable Object dedupeKey) {
		Entry entry = new Entry(frame);
		this.queued.add(entry);
		this.queuedBytes += frame.length();
		this.queuedCount++;
		if (dedupeKey != null) {
			entry.dedupeKey = dedupeKey;
			this.queuedByDedupeKey.put(dedupeKey, entry);
		}
	}

	/**
	 * Takes an entry out of the accounting. An entry in the middle of the deque is only marked
	 * (the writer skips it); marked entries are compacted away before they outnumber live ones,
	 * so a stalled writer cannot make the deque grow without bound.
	 */
	private OutboundFrame remove(Entry entry) {
		entry.removed = true;
		this.queuedBytes -= entry.frame.length();
		this.queuedCount--;
		if (entry.dedupeKey != null) {
			this.queuedByDedupeKey.remove(entry.dedupeKey, entry);
		}
		if (this.queued.peekFirst() == entry) {
			this.queued.pollFirst();
		}
		else if (++this.tombstones > this.queuedCount + 16) {
			this.queued.removeIf((queuedEntry) -> queuedEntry.removed);
			this.tombstones = 0;
		}
		return entry.frame;
	}

	/**
	 * Returns a future that completes once a frame of the given length would fit within the
	 * caps; how producers of protected frames (transaction chunks) wait for room.
	 * @param length the frame length
	 * @return completes when there is room, fails when the queue is closed
	 */
	CompletableFuture<Void> awaitRoom(int length) {
		synchronized (this) {
			if (!this.closed && fits(length)) {
				return CompletableFuture.completedFuture(null);
			}
			RoomWaiter waiter = new RoomWaiter(length, new CompletableFuture<>());
			if (this.closed) {
				waiter.room.completeExceptionally(new IllegalStateException("send queue closed"));
			}
			else {
				this.roomWaiters.add(waiter);
			}
			return waiter.room;
		}
	}

	/**
	 * Runs an action once the queue has been flushed to the transport, and takes no more frames
	 * after that (frames offered while the flush runs, such as ACKs, are still sent).
	 */
	void closeWhenFlushed(Runnable action) {
		boolean runNow;
		synchronized (this) {
			if (this.whenFlushed != null || this.closed) {
				return;
			}
			this.whenFlushed = action;
			runNow = !this.writing && this.queuedCount == 0 && this.expedited.isEmpty();
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
	 * Discards what is queued and runs the close action once the message now in flight (if
	 * any) has been written: a container that is still writing a message cannot send a close
	 * frame reliably.
	 * @param failure what waiting producers fail with
	 * @param closeAction closes the connection
	 * @return the discarded frames
	 */
	List<OutboundFrame> closeAfterInFlight(Supplier<? extends Throwable> failure, Runnable closeAction) {
		List<OutboundFrame> discarded = close(failure);
		boolean inFlight;
		synchronized (this) {
			// Held writes count as busy, but nothing of them is in flight: the close need not wait.
			inFlight = this.writing && !this.held;
			if (inFlight) {
				this.whenFlushed = closeAction;
			}
		}
		if (!inFlight) {
			closeAction.run();
		}
		return discarded;
	}

	/**
	 * Stops the queue for good and discards what is still queued.
	 * @param failure what waiting producers fail with
	 * @return the discarded frames, so that the session can fail their futures
	 */
	List<OutboundFrame> close(Supplier<? extends Throwable> failure) {
		List<OutboundFrame> discarded = new ArrayList<>(this.expedited.size() + this.queuedCount);
		List<RoomWaiter> waiters;
		synchronized (this) {
			this.closed = true;
			this.whenFlushed = null;
			discarded.addAll(this.expedited);
			for (Entry entry : this.queued) {
				if (!entry.removed) {
					discarded.add(entry.frame);
				}
			}
			this.expedited.clear();
			this.queued.clear();
			this.queuedByDedupeKey.clear();
			this.queuedBytes = 0;
			this.queuedCount = 0;
			this.tombstones = 0;
			waiters = new ArrayList<>(this.roomWaiters);
			this.roomWaiters.clear();
		}
		waiters.forEach((waiter) -> waiter.room.completeExceptionally(failure.get()));
		return discarded;
	}

	synchronized int queuedCount() {
		return this.queuedCount + this.expedited.size();
	}

	synchronized long queuedBytes() {
		return this.queuedBytes;
	}

	synchronized long pendingBytes() {
		return this.queuedBytes + this.inFlightBytes;
	}

	synchronized boolean isWritable() {
		return this.writable;
	}

	/**
	 * Returns how long the message now in flight has been waiting for the transport.
	 * @return nanoseconds, or 0 when nothing is in flight
	 */
	synchronized long stalledNanos(long nowNanos) {
		return (this.inFlightBytes > 0) ? nowNanos - this.writeStartedNanos : 0;
	}

	/** Flips the writability at the water marks; the caller holds the lock. */
	private void updateWritability() {
		long pending = this.queuedBytes + this.inFlightBytes;
		if (this.writable && pending >= this.limits.highWaterMark()) {
			this.writable = false;
		}
		else if (!this.writable && pending <= this.limits.lowWaterMark()) {
			this.writable = true;
		}
	}

	/** Reports writability changes outside the queue lock, one at a time and always alternating. */
	private void notifyWritability() {
		synchronized (this.notificationLock) {
			boolean current;
			synchronized (this) {
				current = this.writable;
				if (current == this.writableNotified) {
					return;
				}
				this.writableNotified = current;
			}
			this.listener.writabilityChanged(current);
		}
	}

	private void drain() {
		while (true) {
			OutboundFrame next;
			Runnable flushedAction = null;
			List<RoomWaiter> roomMade;
			synchronized (this) {
				this.inFlightBytes = 0;
				next = this.expedited.poll();
				if (next == null) {
					next = pollQueued();
				}
				if (next != null) {
					this.inFlightBytes = next.length();
					this.writeStartedNanos = System.nanoTime();
				}
				else {
					this.writing = false;
					if (this.whenFlushed != null) {
						flushedAction = this.whenFlushed;
						this.whenFlushed = null;
						this.closed = true;
					}
				}
				updateWritability();
				roomMade = takeSatisfiedWaiters();
			}
			roomMade.forEach((waiter) -> waiter.room.complete(null));
			notifyWritability();
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

	private @Nullable OutboundFrame pollQueued() {
		Entry entry;
		while ((entry = this.queued.poll()) != null) {
			if (entry.removed) {
				this.tombstones = Math.max(0, this.tombstones - 1);
				continue;
			}
			entry.removed = true;
			this.queuedBytes -= entry.frame.length();
			this.queuedCount--;
			if (entry.dedupeKey != null) {
				this.queuedByDedupeKey.remove(entry.dedupeKey, entry);
			}
			return entry.frame;
		}
		return null;
	}

	private List<RoomWaiter> takeSatisfiedWaiters() {
		if (this.roomWaiters.isEmpty()) {
			return List.of();
		}
		List<RoomWaiter> satisfied = new ArrayList<>();
		Iterator<RoomWaiter> waiters = this.roomWaiters.iterator();
		while (waiters.hasNext()) {
			RoomWaiter waiter = waiters.next();
			if (!refillable(waiter.length)) {
				// First come, first served: later waiters do not overtake an earlier one.
				break;
			}
			satisfied.add(waiter);
			waiters.remove();
		}
		return satisfied;
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
				Runnable written = frame.written();
				if (written != null) {
					// The transport no longer reads the message: its buffer may be used again.
					written.run();
				}
				// Store before publishing: the sending thread reads it right after the CAS.
				inlineFailure[0] = failure;
				if (outcome.compareAndSet(PENDING, DONE_INLINE)) {
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
			this.inFlightBytes = 0;
		}
		this.listener.writeFailed(failure);
	}

	/** A queued frame; removal marks it so the writer skips it without searching the deque. */
	private static final class Entry {

		private final OutboundFrame frame;

		private boolean removed;

		private @Nullable Object dedupeKey;

		Entry(OutboundFrame frame) {
			this.frame = frame;
		}

	}

	private record RoomWaiter(int length, CompletableFuture<Void> room) {
	}

}
