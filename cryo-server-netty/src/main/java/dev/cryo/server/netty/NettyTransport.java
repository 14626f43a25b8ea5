package dev.cryo.server.netty;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.cryo.core.engine.CryoTransport;

/**
 * {@link CryoTransport} over one upgraded Netty channel. Everything runs on the channel's event
 * loop: a send from another thread is handed to it, so the counters below need no locks. A frame
 * is written without a flush, and one flush at the end of the event loop's turn pushes all that
 * the turn wrote, so the ACK and the reply that one received frame causes leave in one socket
 * write.
 *
 * <p>While the channel is writable (its outbound buffer below Netty's high water mark, 64 KiB by
 * default) a send completes as soon as the channel has taken the frame: the session's send queue
 * hands over its next frame in the same turn instead of waiting for a flush and a completion,
 * which is what lets the frames of one turn share the flush. Once the channel holds more than the
 * mark, a send completes only when its frame has been written to the socket, and the session,
 * which never has more than one send outstanding, queues the rest under its own limits: that is
 * the backpressure the servlet transport gives, with at most the mark's worth of bytes more held
 * per connection. The session never changes a message it has handed over, so the channel may
 * read it after the callback. A write that fails later closes the connection, and the session
 * learns it from the close.
 *
 * <p>A peer that accepts no bytes for the send timeout, while a frame waits for it, is closed
 * (like the servlet container's send timeout): the timer is armed only when a flush leaves a
 * send waiting for the socket, so a reading peer costs no timer.
 */
final class NettyTransport implements CryoTransport {

	/** How long a close frame, and the peer's answer to it, may take before the connection is closed anyway. */
	static final long CLOSE_SEND_TIMEOUT_MILLIS = 2000;

	/** The close code that means "no status" (RFC 6455 §7.4.1). */
	static final int NO_STATUS = 1005;

	private static final Log logger = LogFactory.getLog(NettyTransport.class);

	private final Channel channel;

	private final long sendTimeoutNanos;

	private final Runnable flush = this::flushNow;

	/** Whether a flush is scheduled for the end of this event-loop turn. */
	private boolean flushScheduled;

	/** Sends that waited for the socket, and how many of them completed (either way). */
	private long written;

	private long completed;

	/** What {@link #completed} was when the send timer was armed; progress since then disarms it. */
	private long completedAtArm;

	private @Nullable ScheduledFuture<?> sendTimer;

	/** The close this side asked for, reported when the connection ends; empty before. */
	private final AtomicReference<@Nullable LocalClose> localClose = new AtomicReference<>();

	/**
	 * Creates the transport of a channel.
	 * @param channel the upgraded channel
	 * @param sendTimeout how long a frame may wait for a peer that accepts no bytes; zero for no limit
	 */
	NettyTransport(Channel channel, Duration sendTimeout) {
		this.channel = channel;
		this.sendTimeoutNanos = sendTimeout.toNanos();
	}

	@Override
	public void send(ByteBuffer message, SendCallback callback) {
		if (this.channel.eventLoop().inEventLoop()) {
			write(message, callback);
		}
		else {
			try {
				this.channel.eventLoop().execute(() -> write(message, callback));
			}
			catch (RuntimeException ex) {
				// The event loop has shut down: the connection is gone.
				callback.completed(new ClosedChannelException());
			}
		}
	}

	/** Writes a control frame (a pong) with the same flush as the data frames; event loop only. */
	void writeControl(WebSocketFrame frame) {
		this.channel.write(frame, this.channel.voidPromise());
		scheduleFlush();
	}

	private void write(ByteBuffer message, SendCallback callback) {
		// A copy in a pooled direct buffer: the socket needs one anyway (a heap buffer is copied
		// to a direct one when the channel takes it), and the session may reuse its buffer as
		// soon as this send calls back, which below the high water mark is before the flush.
		ByteBuf payload = this.channel.alloc().directBuffer(message.remaining()).writeBytes(message.duplicate());
		BinaryWebSocketFrame frame = new BinaryWebSocketFrame(payload);
		if (this.channel.isWritable()) {
			// A frame taken now that cannot be written later leaves the connection unusable.
			this.channel.write(frame).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
			scheduleFlush();
			callback.completed(null);
			return;
		}
		this.written++;
		this.channel.write(frame).addListener((ChannelFutureListener) (future) -> {
			this.completed++;
			callback.completed(future.isSuccess() ? null : future.cause());
		});
		scheduleFlush();
	}

	private void scheduleFlush() {
		if (!this.flushScheduled) {
			this.flushScheduled = true;
			// Runs after the tasks and reads of this turn, so all their writes share one flush.
			this.channel.eventLoop().execute(this.flush);
		}
	}

	private void flushNow() {
		this.flushScheduled = false;
		this.channel.flush();
		if (this.completed < this.written) {
			armSendTimer();
		}
	}

	/** The channel holds frames the socket did not take; called on the event loop. */
	void writabilityChanged() {
		if (!this.channel.isWritable() && this.completed < this.written) {
			armSendTimer();
		}
	}

	private void armSendTimer() {
		if (this.sendTimeoutNanos <= 0 || this.sendTimer != null || !this.channel.isActive()) {
			return;
		}
		this.completedAtArm = this.completed;
		this.sendTimer = this.channel.eventLoop()
			.schedule(this::checkSendProgress, this.sendTimeoutNanos, TimeUnit.NANOSECONDS);
	}

	private void checkSendProgress() {
		this.sendTimer = null;
		if (this.completed >= this.written) {
			return;
		}
		if (this.completed == this.completedAtArm) {
			// No frame was written for a whole send timeout: the peer reads nothing. The pending
			// sends fail as the channel closes, and the session learns it from their callbacks.
			if (logger.isDebugEnabled()) {
				logger.debug("Closing Cryo connection " + this.channel.id() + ": the peer accepted no frame for "
						+ TimeUnit.NANOSECONDS.toMillis(this.sendTimeoutNanos) + " ms");
			}
			this.channel.close();
			return;
		}
		armSendTimer();
	}

	@Override
	public void close(int code, String reason) {
		closeWith(code, reason, false);
	}

	/**
	 * Answers the peer's close frame with the same code and closes the connection once the
	 * answer is out; nothing if this side has already sent a close frame.
	 * @param code the peer's close code, 1005 for none
	 * @param reason the peer's reason
	 */
	void echoClose(int code, String reason) {
		closeWith(code, reason, true);
	}

	/** The peer answered the close frame this side sent: the connection ends now. Event loop only. */
	void closeAnswered() {
		this.channel.close();
	}

	private void closeWith(int code, String reason, boolean echo) {
		// Sends from any thread may end in a close: only the first one sends a close frame.
		if (!this.localClose.compareAndSet(null, new LocalClose(code, reason))) {
			return;
		}
		if (this.channel.eventLoop().inEventLoop()) {
			sendClose(code, reason, echo);
		}
		else {
			try {
				this.channel.eventLoop().execute(() -> sendClose(code, reason, echo));
			}
			catch (RuntimeException ex) {
				this.channel.close();
			}
		}
	}

	private void sendClose(int code, String reason, boolean echo) {
		if (!this.channel.isActive()) {
			return;
		}
		// An answer ends the connection once it is out. A close of ours waits for the peer's
		// answer (or its end of the connection), so that it reads our close frame before the
		// connection goes: closing at once, with its bytes still unread here, would reset the
		// connection and could lose the frame. Either way the bound ends the wait.
		ScheduledFuture<?> bound = this.channel.eventLoop()
			.schedule(() -> this.channel.close(), CLOSE_SEND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
		this.channel.closeFuture().addListener((future) -> bound.cancel(false));
		// A peer's close without a status is echoed without one: 1005 never goes on the wire.
		CloseWebSocketFrame frame = (code == NO_STATUS) ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, reason);
		this.channel.writeAndFlush(frame).addListener((ChannelFutureListener) (future) -> {
			if (echo || !future.isSuccess()) {
				this.channel.close();
			}
		});
	}

	/**
	 * Returns the close this side sent, if it did.
	 * @return the close, or {@code null} when this side did not close
	 */
	@Nullable LocalClose localClose() {
		return this.localClose.get();
	}

	/** Cancels the send timer once the connection is gone; event loop only. */
	void closed() {
		ScheduledFuture<?> timer = this.sendTimer;
		if (timer != null) {
			timer.cancel(false);
			this.sendTimer = null;
		}
	}

	/**
	 * A close this side sent.
	 *
	 * @param code the close code
	 * @param reason the close reason
	 */
	record LocalClose(int code, String reason) {

	}

}
