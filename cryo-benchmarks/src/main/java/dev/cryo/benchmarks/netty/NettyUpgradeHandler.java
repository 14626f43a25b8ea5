package dev.cryo.benchmarks.netty;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.support.CryoSessionFactory;
import dev.cryo.server.support.CryoSessionRegistry;
import dev.cryo.server.support.SessionConnection;
import dev.cryo.server.support.UpgradeGate;

/**
 * Answers the HTTP upgrade of a Cryo connection on the Netty prototype: the server's
 * {@link UpgradeGate} decides (dialect, token, sid, reservation) exactly as for the Tomcat
 * endpoint, refusals get its status and body, and an accepted upgrade completes the WebSocket
 * handshake and hands the channel to a {@link NettyCryoHandler} with a new session. The
 * prototype has no Origin check.
 */
final class NettyUpgradeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

	private final CryoSessionFactory sessions;

	private final UpgradeGate gate;

	private final Set<String> paths;

	NettyUpgradeHandler(CryoSessionFactory sessions, TokenValidator tokens, Set<String> paths) {
		this.sessions = sessions;
		this.gate = new UpgradeGate(tokens, sessions.registry(), sessions.observer(), sessions.dialects());
		this.paths = paths;
	}

	@Override
	protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
		QueryStringDecoder uri = new QueryStringDecoder(request.uri());
		if (!this.paths.contains(uri.path())
				|| !"websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
			respond(context, HttpResponseStatus.NOT_FOUND, new byte[0]);
			return;
		}
		String rawQuery = uri.rawQuery();
		List<String> offered = UpgradeGate
			.offeredSubprotocols(request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
		InetSocketAddress remote = (InetSocketAddress) context.channel().remoteAddress();
		// The same decision as the Tomcat endpoint's: dialect, token, sid, reservation (cryo-v1.md §2.3).
		UpgradeGate.Decision decision = this.gate.decide(new UpgradeGate.Attempt(uri.path(),
				rawQuery.isEmpty() ? null : rawQuery, offered, request.headers().get(HttpHeaderNames.AUTHORIZATION),
				remote));
		if (decision instanceof UpgradeGate.Refused refused) {
			respond(context, HttpResponseStatus.valueOf(refused.refusal().status()),
					UpgradeGate.refusalBody(refused, remote));
			return;
		}
		UpgradeGate.Accepted accepted = (UpgradeGate.Accepted) decision;
		CryoSessionRegistry.Reservation reservation = accepted.reservation();
		CryoDialect dialect = accepted.dialect();
		int maxMessage = this.sessions.receiveLimits().maxMessageSize(dialect.maxMessageLength());
		String subprotocol = dialect.selectSubprotocol(UpgradeGate.upgradeRequest(uri.path(), rawQuery, offered));
		WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory("ws://localhost" + uri.path(),
				subprotocol, WebSocketDecoderConfig.newBuilder()
					.maxFramePayloadLength(maxMessage)
					.allowExtensions(false)
					.build())
			.newHandshaker(request);
		if (handshaker == null) {
			this.sessions.registry().release(reservation);
			WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(context.channel());
			return;
		}
		handshaker.handshake(context.channel(), request).addListener((ChannelFutureListener) (future) -> {
			if (!future.isSuccess()) {
				this.sessions.registry().release(reservation);
				context.close();
				return;
			}
			SessionConnection session = this.sessions.create(reservation, dialect, new NettyTransport(context.channel()),
					remote);
			if (session == null) {
				context.close();
				return;
			}
			context.pipeline().addLast(new WebSocketFrameAggregator(maxMessage), new NettyCryoHandler(session));
			context.pipeline().remove(this);
			session.start();
		});
	}

	private static void respond(ChannelHandlerContext context, HttpResponseStatus status, byte[] body) {
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				Unpooled.wrappedBuffer(body));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
			.set(HttpHeaderNames.CONTENT_LENGTH, body.length)
			.set(HttpHeaderNames.CONNECTION, "close");
		context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

}
