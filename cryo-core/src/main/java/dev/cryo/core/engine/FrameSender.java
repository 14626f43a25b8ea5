package dev.cryo.core.engine;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.codec.WireCodec;
import dev.cryo.core.dialect.SessionPolicy;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TxChunkFrame;

/**
 * The sending side of a session: draws ack numbers, encodes each frame once with its number,
 * offers it to the {@link SendQueue}, and turns what the queue answers (queued, dropped,
 * overflowed, closed; later drops, writability, write failures) into futures, counters and
 * reports to its session.
 */
final class FrameSender implements SendQueue.Listener {

	private static final System.Logger logger = System.getLogger(FrameSender.class.getName());

	/** What the sender reports to its session. */
	interface Events {

		/** The queue refused a frame under the {@code terminate} policy: the session must end. */
		void overflowed();

		/**
		 * The queue refused an ACK or pong: {@code maxExpeditedFrames} were waiting because the
		 * peer does not read. The session must end.
		 */
		void expeditedOverflowed();

		/** The queue crossed its high- or low-water mark. */
		void writabilityChanged(boolean writable);

		/** The transport failed a write: the connection is unusable. */
		void writeFailed(Throwable failure);

	}

	private final SessionId sid;

	private final WireCodec codec;

	private final SessionPolicy policy;

	private final AckTracker acks;

	private final AckTimer ackTimer;

	private final TrafficCounters counters;

	private final SessionObserver observer;

	private final DropPolicy dropPolicy;

	private final AtomicReference<SessionState> state;

	private final Events events;

	private final SendQueue queue;

	FrameSender(SessionId sid, WireCodec codec, SessionPolicy policy, AckTracker acks, AckTimer ackTimer,
			TrafficCounters counters, SessionObserver observer, BackpressureSettings backpressure, CryoTransport wire,
			AtomicReference<SessionState> state, Events events) {
		this.sid = sid;
		this.codec = codec;
		this.policy = policy;
		this.acks = acks;
		this.ackTimer = ackTimer;
		this.counters = counters;
		this.observer = observer;
		this.dropPolicy = backpressure.dropPolicy();
		this.state = state;
		this.events = events;
		this.queue = new SendQueue(ObservedTransport.of(wire, observer, codec), backpressure, this);
	}

	/** The codec frames are encoded with; transactions ask it for the size of a chunk's header. */
	WireCodec codec() {
		return this.codec;
	}

	SendQueue queue() {
		return this.queue;
	}

	/**
	 * Whether application and protocol frames may be sent: not closing, not closed, and not
	 * opening in a dialect that sends nothing before it is open (a CALE handshake).
	 */
	boolean isOpenForSending() {
		SessionState current = this.state.get();
		return current == SessionState.OPEN
				|| (current == SessionState.HANDSHAKING && this.policy.sendsWhileOpening());
	}

	/** Sends a tracked frame of the caller's; refuses a type the dialect does not track. */
	CompletableFuture<Void> sendTracked(Frame frame) {
		if (!this.policy.isTracked(frame.type())) {
			throw new IllegalArgumentException(frame.type() + " is not a tracked frame type");
		}
		CompletableFuture<Void> acknowledged = new CompletableFuture<>();
		sendTracked(frame, acknowledged, false, null);
		return acknowledged;
	}

	/** Sends a data frame that the drop policy may drop or replace. */
	CompletableFuture<Void> sendDroppable(Frame frame, @Nullable Object dedupeKey) {
		CompletableFuture<Void> acknowledged = new CompletableFuture<>();
		sendTracked(frame, acknowledged, false, dedupeKey);
		return acknowledged;
	}

	/** Reports a problem to the peer without waiting for its ACK. */
	void sendInternalError(String message) {
		ErrorFrame error = new ErrorFrame(this.sid, 0, message);
		if (this.policy.isTracked(FrameType.ERROR)) {
			sendTracked(error, null, false, null);
		}
		else {
			sendNumbered(error);
		}
	}

	/**
	 * Sends a frame the application asked for: tracked when the dialect tracks its type;
	 * otherwise (an ERROR in the legacy generation, which nobody ACKs) with a fresh number
	 * from the same counter, and the future completes once the frame is queued.
	 */
	CompletableFuture<Void> send(Frame frame) {
		if (this.policy.isTracked(frame.type())) {
			return sendTracked(frame);
		}
		return switch (sendNumbered(frame)) {
			case QUEUED -> CompletableFuture.completedFuture(null);
			case CLOSED -> CompletableFuture
				.failedFuture(new CryoSessionClosedException(this.sid, "cannot send " + frame.type()));
			default -> CompletableFuture.failedFuture(new CryoFrameDroppedException(this.sid, this.dropPolicy));
		};
	}

	/** Queues an untracked frame with the next number of the ack counter, as pings are. */
	private SendQueue.Admission sendNumbered(Frame frame) {
		if (!isOpenForSending()) {
			return SendQueue.Admission.CLOSED;
		}
		return enqueue(frame, this.acks.next(), false, null);
	}

	/** Sends the ACK of a received frame ahead of queued data. */
	void acknowledge(int ack) {
		enqueue(new AckFrame(this.sid, ack), ack, false, null);
	}

	/** The peer's ACK settles one of our tracked frames. */
	void acknowledged(int ack) {
		CompletableFuture<Void> settled = this.acks.acknowledge(ack, System.nanoTime());
		if (settled != null) {
			settled.complete(null);
		}
	}

	/** Draws the next number of the ack counter for a message nobody acknowledges. */
	int nextNumber() {
		return this.acks.next();
	}

	/**
	 * Queues a message of the dialect's layer (a CALE handshake message) as it is: counted as
	 * sent, protected, untracked.
	 */
	void sendLayerMessage(ByteBuffer message) {
		offer(OutboundFrame.layerMessage(message, this.codec));
	}

	/** Holds back writes: the opening frame goes out later, as a write of its own. */
	void holdWrites() {
		this.queue.hold();
	}

	/** Ends {@link #holdWrites()}: what is queued is written, the opening frame first. */
	void releaseWrites() {
		this.queue.release();
	}

	/**
	 * Sends a tracked frame built from its ack number, so that the frame may carry the number
	 * elsewhere too (a CAMP TX_START's txid).
	 */
	CompletableFuture<Void> sendTracked(IntFunction<Frame> frameForAck) {
		CompletableFuture<Void> acknowledged = new CompletableFuture<>();
		if (!isOpenForSending()) {
			acknowledged.completeExceptionally(new CryoSessionClosedException(this.sid, "cannot send a tracked frame"));
			return acknowledged;
		}
		int ack = this.acks.register(acknowledged, System.nanoTime(), this.sid);
		Frame frame;
		SendQueue.Admission admission;
		try {
			frame = frameForAck.apply(ack);
			if (!this.policy.isTracked(frame.type())) {
				throw new IllegalArgumentException(frame.type() + " is not a tracked frame type");
			}
			admission = enqueue(frame, ack, true, null);
		}
		catch (RuntimeException ex) {
			this.acks.forget(ack);
			acknowledged.completeExceptionally(ex);
			return acknowledged;
		}
		if (admission == SendQueue.Admission.QUEUED) {
			this.ackTimer.arm();
		}
		else {
			CompletableFuture<Void> refused = this.acks.forget(ack);
			if (refused != null) {
				refused.completeExceptionally(new CryoSessionClosedException(this.sid, "cannot send " + frame.type()));
			}
		}
		return acknowledged;
	}

	/** Sends a ping; in dialects whose pings carry an ack it takes a fresh, untracked number. */
	void ping() {
		// A ping never overtakes the opening frame still held back.
		this.queue.release();
		if (isOpenForSending()) {
			enqueue(PingPongFrame.ping(this.sid, 0), this.policy.pingCarriesAck() ? this.acks.next() : 0, false, null);
		}
	}

	/**
	 * Registers the frame for its ACK and queues it.
	 * @param acknowledged completed by the ACK, failed on drop, timeout or close; {@code null}
	 * when nobody waits
	 * @param whileClosing whether the frame may still go out while the session closes (BYE,
	 * the opening frame)
	 */
	void sendTracked(Frame frame, @Nullable CompletableFuture<Void> acknowledged, boolean whileClosing,
			@Nullable Object dedupeKey) {
		if (!whileClosing && !isOpenForSending()) {
			if (acknowledged != null) {
				acknowledged.completeExceptionally(new CryoSessionClosedException(this.sid, "cannot send " + frame.type()));
			}
			return;
		}
		int ack = this.acks.register(acknowledged, System.nanoTime(), this.sid);
		SendQueue.Admission admission;
		try {
			admission = enqueue(frame, ack, true, dedupeKey);
		}
		catch (RuntimeException ex) {
			// The dialect's codec refused the frame (over its limits): nothing was queued.
			this.acks.forget(ack);
			throw ex;
		}
		if (admission == SendQueue.Admission.QUEUED) {
			this.ackTimer.arm();
			return;
		}
		CompletableFuture<Void> refused = this.acks.forget(ack);
		switch (admission) {
			case DROPPED, OVERFLOWED -> {
				this.counters.dropped(1);
				this.observer.framesDropped(this.dropPolicy, 1);
				if (refused != null) {
					refused.completeExceptionally(new CryoFrameDroppedException(this.sid, this.dropPolicy));
				}
				if (admission == SendQueue.Admission.OVERFLOWED) {
					this.events.overflowed();
				}
			}
			default -> {
				if (refused != null) {
					refused.completeExceptionally(new CryoSessionClosedException(this.sid, "cannot send " + frame.type()));
				}
			}
		}
	}

	/** Encodes the frame once with the given ack number in its header and offers it to the queue. */
	SendQueue.Admission enqueue(Frame frame, int ack, boolean tracked, @Nullable Object dedupeKey) {
		ByteBuffer message = this.codec.encode(frame, ack);
		return offer(new OutboundFrame(frame.type(), message, ack, tracked, dedupeKey, this.codec));
	}

	/**
	 * Encodes a TX_CHUNK into the message that already holds its payload after room for the
	 * header ({@link WireCodec#encodeChunkInPlace}) and offers it to the queue; chunks are never
	 * tracked and carry their txid where other frames carry an ack. {@code written} runs once the
	 * transport is done with the message.
	 */
	SendQueue.Admission enqueueChunk(TxChunkFrame chunk, ByteBuffer message, Runnable written) {
		ByteBuffer encoded = this.codec.encodeChunkInPlace(chunk, message);
		return offer(new OutboundFrame(FrameType.TX_CHUNK, FrameClass.of(FrameType.TX_CHUNK), encoded, chunk.txid(),
				false, null, this.codec, written));
	}

	/** Hands an encoded frame (or a layer's message) to the queue, counted as sent unless refused. */
	private SendQueue.Admission offer(OutboundFrame outbound) {
		// stat-bytes-tx counts every frame handed to the send queue (§12). Count before handing
		// it over: the writer may put it on the wire, and the peer answer, before enqueue returns.
		int length = outbound.length();
		this.counters.sent(length);
		SendQueue.Admission admission = this.queue.enqueue(outbound);
		if (admission == SendQueue.Admission.CLOSED) {
			// Nothing was handed over: the session had already ended.
			this.counters.sent(-length);
		}
		else if (admission == SendQueue.Admission.OVERFLOWED && outbound.frameClass() == FrameClass.EXPEDITED) {
			// Nothing was handed over, and the peer reads nothing: end the session.
			this.counters.sent(-length);
			this.observer.limitExceeded(SessionLimit.EXPEDITED_FRAMES);
			this.events.expeditedOverflowed();
		}
		return admission;
	}

	@Override
	public void dropped(List<OutboundFrame> frames) {
		this.counters.dropped(frames.size());
		this.observer.framesDropped(this.dropPolicy, frames.size());
		for (OutboundFrame frame : frames) {
			CompletableFuture<Void> dropped = frame.tracked() ? this.acks.forget(frame.ack()) : null;
			if (dropped != null) {
				dropped.completeExceptionally(new CryoFrameDroppedException(this.sid, this.dropPolicy));
			}
		}
	}

	@Override
	public void writabilityChanged(boolean writable) {
		this.events.writabilityChanged(writable);
	}

	@Override
	public void writeFailed(Throwable failure) {
		logger.log(Level.DEBUG, () -> "Session " + this.sid + " could not write: " + failure);
		this.events.writeFailed(failure);
	}

}
