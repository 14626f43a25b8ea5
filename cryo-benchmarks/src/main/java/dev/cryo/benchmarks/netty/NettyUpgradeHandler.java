package dev.cryo.benchmarks.netty;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.UpgradeRequest;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.support.CryoSessionFactory;
import dev.cryo.server.support.CryoSessionRegistry;
import dev.cryo.server.support.SessionConnection;

/**
 * Answers the HTTP upgrade of a Cryo connection on the Netty prototype: chooses the dialect from
 * the request as the Tomcat endpoint does, checks the bearer token, reserves the session id,
 * completes the WebSocket handshake and hands the channel to a {@link NettyCryoHandler} with a
 * new session. Refusals are 401 with a short text; the prototype has no Origin check.
 */
final class NettyUpgradeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

	private static final String BEARER = "Bearer ";

	private final CryoSessionFactory sessions;

	private final TokenValidator tokens;

	private final Set<String> paths;

	NettyUpgradeHandler(CryoSessionFactory sessions, TokenValidator tokens, Set<String> paths) {
		this.sessions = sessions;
		this.tokens = tokens;
		this.paths = paths;
	}

	@Override
	protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
		QueryStringDecoder uri = new QueryStringDecoder(request.uri());
		if (!this.paths.contains(uri.path())
				|| !"websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
			refuse(context, HttpResponseStatus.NOT_FOUND, "Not found.");
			return;
		}
		Map<String, List<String>> parameters = new HashMap<>(uri.parameters());
		List<String> authorizations = parameters.remove("authorization");
		String authorization = (authorizations != null && !authorizations.isEmpty()) ? authorizations.get(0)
				: request.headers().get(HttpHeaderNames.AUTHORIZATION);
		List<String> offered = new ArrayList<>();
		for (String value : request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
			for (String subprotocol : value.split(",")) {
				if (!subprotocol.isBlank()) {
					offered.add(subprotocol.trim());
				}
			}
		}
		UpgradeRequest upgrade = new UpgradeRequest(uri.path(), offered, parameters);
		CryoDialect dialect = this.sessions.dialects().select(upgrade);
		if (authorization == null || !authorization.startsWith(BEARER)
				|| !this.tokens.isValid(authorization.substring(BEARER.length()))) {
			refuse(context, HttpResponseStatus.UNAUTHORIZED, "Invalid bearer token in authorization query.");
			return;
		}
		Optional<SessionId> sid = sessionId(dialect, upgrade);
		if (sid.isEmpty()) {
			refuse(context, HttpResponseStatus.UNAUTHORIZED, "Invalid SID supplied.");
			return;
		}
		CryoSessionRegistry.Reservation reservation = this.sessions.registry().reserve(sid.get());
		if (reservation == null) {
			refuse(context, HttpResponseStatus.UNAUTHORIZED, "The session already exists.");
			return;
		}
		int maxMessage = this.sessions.receiveLimits().maxMessageSize(dialect.maxMessageLength());
		String subprotocol = dialect.selectSubprotocol(upgrade);
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
					(InetSocketAddress) context.channel().remoteAddress());
			if (session == null) {
				context.close();
				return;
			}
			context.pipeline().addLast(new WebSocketFrameAggregator(maxMessage), new NettyCryoHandler(session));
			context.pipeline().remove(this);
			session.start();
		});
	}

	private static Optional<SessionId> sessionId(CryoDialect dialect, UpgradeRequest upgrade) {
		for (String parameter : dialect.sessionIdParameters()) {
			String value = upgrade.queryParameter(parameter);
			if (value != null && !value.isEmpty()) {
				return dialect.parseSessionId(value);
			}
		}
		return Optional.empty();
	}

	private static void refuse(ChannelHandlerContext context, HttpResponseStatus status, String message) {
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				Unpooled.copiedBuffer(message, StandardCharsets.UTF_8));
		response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
		context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

}
