package dev.cryo.server.netty;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.cryo.core.engine.CloseCodes;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.support.ReassemblyBudget;
import dev.cryo.server.support.ReassemblyShare;
import dev.cryo.server.support.SessionConnection;
import dev.cryo.server.web.CryoWebSocketHandler;

/**
 * The WebSocket side of one upgraded connection, the Netty counterpart of
 * {@link CryoWebSocketHandler}: joins the fragments of binary messages within the receive limits
 * and hands each message to the session, answers pings, ignores text messages (cryo-v1.md §1.3)
 * and reports the end of the connection to the session, once. A message over the limit closes
 * with 1009, one that does not fit into the reassembly budget with 1013, with the servlet
 * transport's reasons. The session's handlers run on the server's handler threads through a
 * {@link MessageDispatcher}, or on the event loop when the server has none.
 */
final class NettyCryoHandler extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(NettyCryoHandler.class);

	private final SessionConnection session;

	private final NettyTransport transport;

	private final NettyMessageAssembler assembler;

	private final CryoServerObserver observer;

	/** Runs the session's handlers off the event loop; {@code null} to run them on it. */
	private final @Nullable MessageDispatcher dispatcher;

	/** Whether continuation frames belong to a binary message, or to a text message (ignored). */
	private boolean inBinaryMessage;

	private boolean inTextMessage;

	private boolean closeReported;

	NettyCryoHandler(SessionConnection session, NettyTransport transport, NettyMessageAssembler assembler,
			CryoServerObserver observer, @Nullable Executor handlerExecutor, ReassemblyBudget budget, Channel channel) {
		this.session = session;
		this.transport = transport;
		this.assembler = assembler;
		this.observer = observer;
		this.dispatcher = (handlerExecutor != null)
				? new MessageDispatcher(channel, handlerExecutor, budget, this::receive) : null;
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		try {
			if (message instanceof BinaryWebSocketFrame binary) {
				this.inBinaryMessage = !binary.isFinalFragment();
				data(binary.content(), binary.isFinalFragment());
			}
			else if (message instanceof ContinuationWebSocketFrame continuation) {
				if (this.inBinaryMessage) {
					this.inBinaryMessage = !continuation.isFinalFragment();
					data(continuation.content(), continuation.isFinalFragment());
				}
				else if (this.inTextMessage) {
					this.inTextMessage = !continuation.isFinalFragment();
				}
			}
			else if (message instanceof TextWebSocketFrame text) {
				// Cryo never uses text messages (cryo-v1.md §1.3): ignore them instead of closing.
				this.inTextMessage = !text.isFinalFragment();
				if (logger.isDebugEnabled()) {
					logger.debug("Ignored a text message on Cryo connection " + context.channel().id());
				}
			}
			else if (message instanceof PingWebSocketFrame ping) {
				this.transport.writeControl(new PongWebSocketFrame(ping.content().retain()));
			}
			else if (message instanceof CloseWebSocketFrame close) {
				peerClosed(close);
			}
			// A pong carries no Cryo meaning; liveness is the Cryo PING_PONG's job.
		}
		finally {
			ReferenceCountUtil.release(message);
		}
	}

	/** One fragment of a binary message; its buffer is released by the caller's frame. */
	private void data(ByteBuf content, boolean last) {
		ByteBuf message = this.assembler.append(content.retain(), last);
		if (message == null) {
			ReassemblyShare.Refusal refusal = this.assembler.takeRefusal();
			if (refusal != null) {
				refuse(refusal);
			}
			return;
		}
		MessageDispatcher dispatcher = this.dispatcher;
		if (dispatcher != null) {
			dispatcher.dispatch(message, this.assembler.takeReservation());
			return;
		}
		try {
			receive(message);
		}
		finally {
			message.release();
			// Handlers ran on this thread: once they returned, the message leaves the budget.
			this.assembler.delivered();
		}
	}

	/** Hands one message to the session; its handlers run before this returns. */
	private void receive(ByteBuf message) {
		// A message of several fragments is joined into a fresh heap array that nobody reuses:
		// the session may keep views of it. A message of one buffer is the decoder's.
		boolean owned = message.nioBufferCount() != 1;
		ByteBuffer bytes = message.nioBuffer();
		this.session.receive(bytes, owned);
	}

	private void refuse(ReassemblyShare.Refusal refusal) {
		this.observer.limitExceeded(refusal.limit());
		this.session.closeNow(refusal.closeCode(), refusal.reason());
	}

	/**
	 * The peer closed: echo its code (RFC 6455 §5.5.1), close the connection, tell the session;
	 * or it answered a close of ours, and the connection ends.
	 */
	private void peerClosed(CloseWebSocketFrame close) {
		int code = close.statusCode();
		String reason = close.reasonText();
		if (this.transport.localClose() != null) {
			// The answer to our close: the connection's end reports the close this side sent.
			this.transport.closeAnswered();
			return;
		}
		int reported = (code < 0) ? NettyTransport.NO_STATUS : code;
		// Answered before the session hears of it, so that nothing the session does in reaction
		// sends a second close frame.
		this.transport.echoClose(reported, reason);
		reportClosed(reported, reason);
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext context) {
		this.transport.writabilityChanged();
		context.fireChannelWritabilityChanged();
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) {
		this.transport.closed();
		this.assembler.close();
		if (this.dispatcher != null) {
			this.dispatcher.close();
		}
		NettyTransport.LocalClose local = this.transport.localClose();
		if (local != null) {
			reportClosed(local.code(), local.reason());
		}
		else {
			reportClosed(CloseCodes.ABNORMAL, "");
		}
		context.fireChannelInactive();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		if (cause instanceof CorruptedWebSocketFrameException corrupted) {
			WebSocketCloseStatus status = corrupted.closeStatus();
			if (status.code() == CloseCodes.MESSAGE_TOO_BIG) {
				// One frame over the limit: the decoder refused it from its header, before its payload.
				refuse(ReassemblyShare.Refusal.TOO_BIG);
			}
			else {
				this.session.closeNow(status.code(), status.reasonText());
			}
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Transport error on Cryo connection " + context.channel().id(), cause);
		}
		context.close();
	}

	private void reportClosed(int code, String reason) {
		if (!this.closeReported) {
			this.closeReported = true;
			this.session.transportClosed(code, reason);
		}
	}

}
