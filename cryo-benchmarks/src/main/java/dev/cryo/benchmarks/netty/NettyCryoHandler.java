package dev.cryo.benchmarks.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.util.ReferenceCountUtil;

import dev.cryo.server.support.SessionConnection;

/**
 * Feeds the whole binary messages of one upgraded connection to its session and reports the
 * end of the connection, once.
 */
final class NettyCryoHandler extends ChannelInboundHandlerAdapter {

	private final SessionConnection session;

	private boolean closedReported;

	NettyCryoHandler(SessionConnection session) {
		this.session = session;
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		try {
			if (message instanceof BinaryWebSocketFrame binary) {
				ByteBuf content = binary.content();
				// The frame's memory is released after the call; the session reads during it only.
				this.session.receive(content.nioBuffer(), false);
			}
			else if (message instanceof PingWebSocketFrame ping) {
				context.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
			}
			else if (message instanceof CloseWebSocketFrame close) {
				reportClosed(close.statusCode(), close.reasonText());
				context.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), close.reasonText()))
					.addListener((future) -> context.close());
			}
		}
		finally {
			ReferenceCountUtil.release(message);
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) {
		reportClosed(1006, "Connection lost.");
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		context.close();
	}

	private void reportClosed(int code, String reason) {
		if (!this.closedReported) {
			this.closedReported = true;
			this.session.transportClosed((code < 0) ? 1005 : code, reason);
		}
	}

}
