package dev.cryo.benchmarks.netty;

import java.nio.ByteBuffer;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;

import dev.cryo.core.engine.CryoTransport;

/**
 * {@link CryoTransport} over a Netty channel. A send from the channel's event loop is written
 * without a flush, and one flush per event-loop turn pushes everything written in it: the ACK
 * and the echo a received frame causes leave in one socket write, and a completion runs on the
 * event loop without a hand-off to another thread, so the send queue writes its next frame at
 * once. A send from any other thread is written and flushed through the event loop.
 */
final class NettyTransport implements CryoTransport {

	private final Channel channel;

	private final Runnable flush;

	/** Whether a flush is scheduled for the end of this event-loop turn; event loop only. */
	private boolean flushScheduled;

	NettyTransport(Channel channel) {
		this.channel = channel;
		this.flush = () -> {
			this.flushScheduled = false;
			this.channel.flush();
		};
	}

	@Override
	public void send(ByteBuffer message, SendCallback callback) {
		BinaryWebSocketFrame frame = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message));
		ChannelFutureListener completion = (future) -> callback.completed(future.isSuccess() ? null : future.cause());
		if (this.channel.eventLoop().inEventLoop()) {
			this.channel.write(frame).addListener(completion);
			if (!this.flushScheduled) {
				this.flushScheduled = true;
				this.channel.eventLoop().execute(this.flush);
			}
		}
		else {
			this.channel.writeAndFlush(frame).addListener(completion);
		}
	}

	@Override
	public void close(int code, String reason) {
		if (this.channel.isActive()) {
			this.channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
		}
	}

}
