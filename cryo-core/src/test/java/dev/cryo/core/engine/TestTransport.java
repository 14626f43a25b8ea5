package dev.cryo.core.engine;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.codec.WireCodec;
import dev.cryo.core.dialect.v1.CryoV1Codec;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.PingPongFrame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.Utf8DataFrame;

/**
 * An in-memory {@link CryoTransport}: records every message (as sent, and decoded with the
 * codec and transaction layout the test names, Cryo v1 seed by default) and every close, and completes sends inline (a fast peer), later on demand (a slow peer), on
 * an executor (a container thread), or with a failure.
 */
final class TestTransport implements CryoTransport {

	/** One call of {@link #close}. */
	record CloseCall(int code, String reason) {
	}

	private record Held(SendCallback callback, @Nullable Throwable failure) {
	}

	private final EventLog log;

	private final List<Frame> sent = new ArrayList<>();

	private final List<byte[]> messages = new ArrayList<>();

	private WireCodec codec = CryoV1Codec.INSTANCE;

	private TransactionLayout layout = TransactionLayout.SEED;

	private final List<CloseCall> closes = new ArrayList<>();

	private final ArrayDeque<Held> held = new ArrayDeque<>();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger maxInFlight = new AtomicInteger();

	private boolean holding;

	private @Nullable Executor completer;

	private @Nullable Throwable failNext;

	private @Nullable RuntimeException throwNext;

	private @Nullable Consumer<Frame> onSend;

	private boolean recordSends = true;

	/** Whether sent messages are decoded into {@link #sent()}; otherwise only their bytes are kept. */
	private boolean decodes = true;

	private final AtomicInteger sendCount = new AtomicInteger();

	TestTransport(EventLog log) {
		this.log = log;
	}

	// ---- behaviour

	/**
	 * Records the messages sent from now on as bytes only: a message layer (CALE) writes
	 * messages that no codec reads.
	 */
	synchronized TestTransport recordBytesOnly() {
		this.decodes = false;
		return this;
	}

	/** Decodes the messages sent from now on with another dialect's codec (CAMP). */
	synchronized TestTransport decodeWith(WireCodec codec) {
		this.codec = codec;
		return this;
	}

	/** Decodes the transaction frames sent from now on in another layout (cryo-protocol 1.4). */
	synchronized TestTransport decodeIn(TransactionLayout layout) {
		this.layout = layout;
		return this;
	}

	/** Keeps every following send outstanding until {@link #completeNext()} or {@link #release()}. */
	synchronized TestTransport hold() {
		this.holding = true;
		return this;
	}

	/** Completes every following send on the executor instead of the calling thread. */
	synchronized TestTransport completeOn(Executor executor) {
		this.completer = executor;
		return this;
	}

	/** The next send completes with this failure. */
	synchronized TestTransport failNextSend(Throwable failure) {
		this.failNext = failure;
		return this;
	}

	/** The next call of {@link #send} throws instead of accepting the message. */
	synchronized TestTransport throwOnNextSend(RuntimeException failure) {
		this.throwNext = failure;
		return this;
	}

	/** Runs on the sending thread for every message, after it was recorded. */
	synchronized TestTransport onSend(Consumer<Frame> action) {
		this.onSend = action;
		return this;
	}

	/** Stops decoding and keeping messages (for bulk tests); only {@link #sendCount()} counts. */
	synchronized TestTransport countOnly() {
		this.recordSends = false;
		return this;
	}

	// ---- CryoTransport

	@Override
	public void send(ByteBuffer message, SendCallback callback) {
		int now = this.inFlight.incrementAndGet();
		this.maxInFlight.accumulateAndGet(now, Math::max);
		this.sendCount.incrementAndGet();
		Consumer<Frame> action;
		RuntimeException toThrow;
		Throwable failure;
		boolean hold;
		Executor executor;
		Frame frame = null;
		synchronized (this) {
			if (this.recordSends) {
				// The session may reuse nothing, but a real transport only reads until it calls back.
				byte[] bytes = new byte[message.remaining()];
				message.duplicate().get(bytes);
				this.messages.add(bytes);
				if (this.decodes) {
					frame = this.codec.decode(ByteBuffer.wrap(bytes), this.layout);
					this.sent.add(frame);
					this.log.add("send " + describe(frame));
				}
				else {
					this.log.add("send " + bytes.length + " bytes");
				}
			}
			action = this.onSend;
			toThrow = this.throwNext;
			this.throwNext = null;
			failure = (toThrow != null) ? null : this.failNext;
			if (toThrow == null) {
				this.failNext = null;
			}
			hold = this.holding;
			executor = this.completer;
		}
		if (action != null && frame != null) {
			action.accept(frame);
		}
		if (toThrow != null) {
			this.inFlight.decrementAndGet();
			throw toThrow;
		}
		if (hold) {
			synchronized (this) {
				this.held.add(new Held(callback, failure));
			}
			return;
		}
		if (executor != null) {
			executor.execute(() -> complete(callback, failure));
			return;
		}
		complete(callback, failure);
	}

	@Override
	public void close(int code, String reason) {
		synchronized (this) {
			this.closes.add(new CloseCall(code, reason));
		}
		this.log.add("close " + code + " " + reason);
	}

	private void complete(SendCallback callback, @Nullable Throwable failure) {
		this.inFlight.decrementAndGet();
		callback.completed(failure);
	}

	// ---- driving a held (slow) transport

	/**
	 * Completes the oldest outstanding send, successfully unless a failure was set for it.
	 * @return whether there was one
	 */
	boolean completeNext() {
		Held next;
		synchronized (this) {
			next = this.held.poll();
		}
		if (next == null) {
			return false;
		}
		complete(next.callback(), next.failure());
		return true;
	}

	/** Fails the oldest outstanding send. */
	void failHeld(Throwable failure) {
		Held next;
		synchronized (this) {
			next = this.held.poll();
		}
		if (next == null) {
			throw new IllegalStateException("no send outstanding");
		}
		complete(next.callback(), failure);
	}

	/** Stops holding and completes what is outstanding; later sends complete inline. */
	void release() {
		synchronized (this) {
			this.holding = false;
		}
		while (completeNext()) {
			// each completion may start the next send, which now completes inline
		}
	}

	synchronized int heldCount() {
		return this.held.size();
	}

	// ---- what happened

	synchronized List<Frame> sent() {
		return List.copyOf(this.sent);
	}

	/** The sent messages byte for byte, in sending order. */
	synchronized List<byte[]> messages() {
		return List.copyOf(this.messages);
	}

	/** The sent frames of one type, in sending order. */
	@SuppressWarnings("unchecked")
	synchronized <T extends Frame> List<T> sent(Class<T> type) {
		List<T> frames = new ArrayList<>();
		for (Frame frame : this.sent) {
			if (type.isInstance(frame)) {
				frames.add((T) frame);
			}
		}
		return frames;
	}

	synchronized List<FrameType> sentTypes() {
		return this.sent.stream().map(Frame::type).toList();
	}

	synchronized Frame lastSent() {
		if (this.sent.isEmpty()) {
			throw new AssertionError("nothing was sent");
		}
		return this.sent.get(this.sent.size() - 1);
	}

	synchronized List<CloseCall> closes() {
		return List.copyOf(this.closes);
	}

	synchronized boolean isClosed() {
		return !this.closes.isEmpty();
	}

	/** Forgets what was sent and closed so far (e.g. the handshake). */
	synchronized void clear() {
		this.sent.clear();
		this.messages.clear();
		this.closes.clear();
	}

	int sendCount() {
		return this.sendCount.get();
	}

	int maxInFlight() {
		return this.maxInFlight.get();
	}

	/** A short, comparable description of a frame for the event log. */
	static String describe(Frame frame) {
		// Java 17: no pattern matching for switch yet.
		if (frame instanceof AckFrame ack) {
			return "ACK " + Integer.toUnsignedString(ack.ack());
		}
		if (frame instanceof PingPongFrame ping) {
			return (ping.isPing() ? "PING " : "PONG ") + Integer.toUnsignedString(ping.ack());
		}
		if (frame instanceof Utf8DataFrame data) {
			return "UTF8DATA " + Integer.toUnsignedString(data.ack()) + " " + data.text();
		}
		if (frame instanceof ErrorFrame error) {
			return "ERROR " + Integer.toUnsignedString(error.ack()) + " " + error.message();
		}
		if (frame instanceof ByeFrame bye) {
			return "BYE " + Integer.toUnsignedString(bye.ack()) + " " + bye.reason();
		}
		return frame.type().name();
	}

}
