package dev.cryo.server.netty;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLPeerUnverifiedException;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.server.observer.UpgradeRefusal;
import dev.cryo.server.support.CryoSessionFactory;
import dev.cryo.server.support.CryoSessionRegistry;
import dev.cryo.server.support.SessionConnection;
import dev.cryo.server.support.UpgradeGate;
import dev.cryo.server.web.OriginCheck;

/**
 * Answers the HTTP request of a new connection: 404 for any path but the Cryo endpoint's, 400
 * for a request on it that is no WebSocket upgrade, 403 with an empty body for a foreign origin
 * ({@link OriginCheck}, as on the servlet stack), then the server's {@link UpgradeGate} decides
 * (dialect, token, session id, reservation: cryo-v1.md §2.3) and a refusal gets its status and
 * the body of §2.4. An accepted upgrade completes the WebSocket handshake and hands the channel
 * to a {@link NettyCryoHandler} with a new session.
 *
 * <p>The gate may block on the authenticator, so it runs on the server's bounded upgrade
 * executor, never on the event loop; the channel reads nothing meanwhile, and the answer is
 * written from the event loop again. A full executor refuses with 503
 * {@link UpgradeRefusal#AUTHENTICATION_OVERLOADED}. A connection that has not sent its upgrade
 * request within the upgrade timeout is closed.
 */
final class NettyUpgradeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

	private static final Log logger = LogFactory.getLog(NettyUpgradeHandler.class);

	/** What Spring's handshake handler answers a request on the endpoint that is no WebSocket upgrade. */
	private static final byte[] NOT_AN_UPGRADE = "Can \"Upgrade\" only to \"WebSocket\"."
		.getBytes(StandardCharsets.UTF_8);

	private final NettyCryoServer.Shared shared;

	private final boolean secure;

	private @Nullable ScheduledFuture<?> upgradeTimer;

	/** Whether a request is being decided; the channel reads nothing more until it is answered. */
	private boolean deciding;

	NettyUpgradeHandler(NettyCryoServer.Shared shared, boolean secure) {
		this.shared = shared;
		this.secure = secure;
	}

	@Override
	public void channelActive(ChannelHandlerContext context) {
		long timeout = this.shared.upgradeTimeout().toNanos();
		this.upgradeTimer = context.executor().schedule(() -> {
			if (logger.isDebugEnabled()) {
				logger.debug("Closing connection " + context.channel().id() + ": no upgrade request within the timeout");
			}
			context.close();
		}, timeout, TimeUnit.NANOSECONDS);
		context.fireChannelActive();
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) {
		cancelUpgradeTimer();
		context.fireChannelInactive();
	}

	@Override
	protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
		if (this.deciding) {
			// A pipelined request behind an upgrade: no client of ours sends one.
			return;
		}
		if (!request.decoderResult().isSuccess()) {
			respond(context, HttpResponseStatus.BAD_REQUEST, new byte[0], null);
			return;
		}
		QueryStringDecoder uri = new QueryStringDecoder(request.uri());
		String path = uri.path();
		if (!this.shared.paths().contains(path)) {
			respond(context, HttpResponseStatus.NOT_FOUND, new byte[0], null);
			return;
		}
		if (!HttpMethod.GET.equals(request.method())
				|| !"websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
			respond(context, HttpResponseStatus.BAD_REQUEST, NOT_AN_UPGRADE, "text/plain; charset=utf-8");
			return;
		}
		HttpHeaders headers = headers(request);
		InetSocketAddress remote = remoteAddress(context.channel());
		// §2.5 first: a foreign page learns nothing else about the endpoint.
		if (!this.shared.origins()
			.allows(request.headers().get(HttpHeaderNames.ORIGIN),
					serverUri(this.secure, request.headers().get(HttpHeaderNames.HOST)), remote)) {
			respond(context, HttpResponseStatus.FORBIDDEN, new byte[0], null);
			return;
		}
		String rawQuery = uri.rawQuery().isEmpty() ? null : uri.rawQuery();
		List<String> offered = UpgradeGate
			.offeredSubprotocols(request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
		UpgradeGate.Attempt attempt = new UpgradeGate.Attempt(path, rawQuery, offered,
				request.headers().get(HttpHeaderNames.AUTHORIZATION), remote, headers, clientCertificates(context));
		decideElsewhere(context, request.retain(), attempt);
	}

	/** Runs the gate on the upgrade executor and continues on the event loop with its decision. */
	private void decideElsewhere(ChannelHandlerContext context, FullHttpRequest request, UpgradeGate.Attempt attempt) {
		this.deciding = true;
		// The request is in: from here the gate's authentication timeout bounds the wait.
		cancelUpgradeTimer();
		context.channel().config().setAutoRead(false);
		Executor executor = this.shared.upgradeExecutor();
		try {
			executor.execute(() -> {
				UpgradeGate.Decision decision = decide(attempt);
				try {
					context.executor().execute(() -> decided(context, request, attempt, decision));
				}
				catch (RejectedExecutionException ex) {
					// The event loop has shut down with the server: nobody will open the session.
					abandon(request, decision);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.shared.sessions().observer().upgradeRejected(UpgradeRefusal.AUTHENTICATION_OVERLOADED);
			decided(context, request, attempt, new UpgradeGate.Refused(UpgradeRefusal.AUTHENTICATION_OVERLOADED));
		}
	}

	private UpgradeGate.Decision decide(UpgradeGate.Attempt attempt) {
		try {
			return this.shared.gate().decide(attempt);
		}
		catch (RuntimeException ex) {
			// The gate does not throw for what a peer sends; this is a bug, and the upgrade is refused.
			logger.error("Cryo upgrade decision failed", ex);
			return new UpgradeGate.Refused(UpgradeRefusal.INVALID_TOKEN);
		}
	}

	private void abandon(FullHttpRequest request, UpgradeGate.Decision decision) {
		request.release();
		if (decision instanceof UpgradeGate.Accepted accepted) {
			this.shared.sessions().registry().release(accepted.reservation());
		}
	}

	/** The gate's answer, on the event loop. */
	private void decided(ChannelHandlerContext context, FullHttpRequest request, UpgradeGate.Attempt attempt,
			UpgradeGate.Decision decision) {
		if (!context.channel().isActive()) {
			abandon(request, decision);
			return;
		}
		try {
			if (decision instanceof UpgradeGate.Refused refused) {
				respond(context, HttpResponseStatus.valueOf(refused.refusal().status()),
						UpgradeGate.refusalBody(refused, attempt.remoteAddress()), "text/html; charset=utf-8");
				return;
			}
			handshake(context, request, attempt, (UpgradeGate.Accepted) decision);
		}
		finally {
			request.release();
		}
	}

	private void handshake(ChannelHandlerContext context, FullHttpRequest request, UpgradeGate.Attempt attempt,
			UpgradeGate.Accepted accepted) {
		CryoSessionFactory sessions = this.shared.sessions();
		CryoSessionRegistry.Reservation reservation = accepted.reservation();
		CryoDialect dialect = accepted.dialect();
		int maxMessageSize = sessions.receiveLimits().maxMessageSize(dialect.maxMessageLength());
		String subprotocol = dialect.selectSubprotocol(
				UpgradeGate.upgradeRequest(attempt.path(), attempt.rawQuery(), attempt.offeredSubprotocols()));
		WebSocketDecoderConfig decoderConfig = WebSocketDecoderConfig.newBuilder()
			.maxFramePayloadLength(maxMessageSize)
			.allowExtensions(false)
			// Violations are closed by the session, with the servlet transport's codes and reasons.
			.closeOnProtocolViolation(false)
			.build();
		String location = (this.secure ? "wss://" : "ws://") + request.headers().get(HttpHeaderNames.HOST, "localhost")
				+ attempt.path();
		WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location, subprotocol, decoderConfig)
			.newHandshaker(request);
		if (handshaker == null) {
			sessions.registry().release(reservation);
			WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(context.channel())
				.addListener(ChannelFutureListener.CLOSE);
			return;
		}
		Channel channel = context.channel();
		handshaker.handshake(channel, request).addListener((ChannelFutureListener) (future) -> {
			if (!future.isSuccess() || !channel.isActive()) {
				// Checked on the event loop: a channel active now reports its end to the handler below.
				sessions.registry().release(reservation);
				channel.close();
				return;
			}
			NettyTransport transport = new NettyTransport(channel, sessions.options().sendTimeout());
			SessionConnection session = sessions.create(reservation, dialect, transport, attempt.remoteAddress());
			if (session == null) {
				// The reservation expired while the handshake was written.
				transport.close(CloseCodes.SERVER_ERROR, "Session reservation expired.");
				return;
			}
			NettyMessageAssembler assembler = new NettyMessageAssembler(maxMessageSize, sessions.reassemblyBudget(),
					channel.alloc());
			// Installed before the first write: if the peer has already gone, that write fails and
			// the channel's end must find the session to report it.
			channel.pipeline()
				.addLast(NettyCryoServer.CRYO_HANDLER, new NettyCryoHandler(session, transport, assembler,
						sessions.observer(), this.shared.handlerExecutor(), sessions.reassemblyBudget(), channel));
			channel.pipeline().remove(this);
			session.start();
			channel.config().setAutoRead(true);
		});
	}

	private void cancelUpgradeTimer() {
		ScheduledFuture<?> timer = this.upgradeTimer;
		if (timer != null) {
			timer.cancel(false);
			this.upgradeTimer = null;
		}
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		if (logger.isDebugEnabled()) {
			logger.debug("Closing connection " + context.channel().id() + " before its upgrade", cause);
		}
		context.close();
	}

	private static HttpHeaders headers(FullHttpRequest request) {
		HttpHeaders headers = new HttpHeaders();
		for (Map.Entry<String, String> header : request.headers()) {
			headers.add(header.getKey(), header.getValue());
		}
		return headers;
	}

	/**
	 * The server as the client addressed it, which a same-origin page's {@code Origin} names: the
	 * connection's scheme and the {@code Host}. A missing {@code Host}, or one that is no
	 * authority, matches no origin.
	 */
	private static URI serverUri(boolean secure, @Nullable String host) {
		String scheme = secure ? "https" : "http";
		if (host != null && !host.isEmpty()) {
			try {
				URI parsed = new URI(scheme + "://" + host + "/");
				if (parsed.getHost() != null) {
					return parsed;
				}
			}
			catch (URISyntaxException ex) {
				// Falls through to the URI that matches nothing.
			}
		}
		return URI.create(scheme + "://unknown.invalid/");
	}

	private static @Nullable InetSocketAddress remoteAddress(Channel channel) {
		SocketAddress address = channel.remoteAddress();
		return (address instanceof InetSocketAddress inet) ? inet : null;
	}

	/** The chain a mutual-TLS handshake verified, the client's own first; empty without one. */
	private static List<X509Certificate> clientCertificates(ChannelHandlerContext context) {
		SslHandler ssl = context.pipeline().get(SslHandler.class);
		if (ssl == null) {
			return List.of();
		}
		try {
			List<X509Certificate> chain = new ArrayList<>();
			for (Certificate certificate : ssl.engine().getSession().getPeerCertificates()) {
				if (certificate instanceof X509Certificate x509) {
					chain.add(x509);
				}
			}
			return chain;
		}
		catch (SSLPeerUnverifiedException ex) {
			return List.of();
		}
	}

	/** Answers and closes the connection, as the servlet stack does for a refused upgrade (§2.4). */
	private static void respond(ChannelHandlerContext context, HttpResponseStatus status, byte[] body,
			@Nullable String contentType) {
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				Unpooled.wrappedBuffer(body));
		if (contentType != null) {
			response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
		}
		response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length).set(HttpHeaderNames.CONNECTION, "close");
		context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

}
