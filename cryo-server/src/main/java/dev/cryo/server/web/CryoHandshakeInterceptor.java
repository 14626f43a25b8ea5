package dev.cryo.server.web;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.util.Assert;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.observer.UpgradeRefusal;
import dev.cryo.server.support.CryoDialects;
import dev.cryo.server.support.CryoSessionRegistry;
import dev.cryo.server.support.UpgradeGate;

/**
 * Authenticates a Cryo upgrade on a Spring WebSocket stack before it happens: reads the request
 * into an {@link UpgradeGate.Attempt}, lets the server's {@link UpgradeGate} decide (dialect,
 * token, session id, reservation, in the order of cryo-v1.md §2.3 or of the dialect), and either
 * hands the reservation and dialect to {@link CryoWebSocketHandler} through the handshake
 * attributes or answers the refusal with its status and the body of §2.4. The Origin check of
 * §2.5 is a separate interceptor that runs before this one.
 *
 * <p>Requests that are not WebSocket upgrades are let through untouched, so that the WebSocket
 * stack rejects them as it always does (typically with 400).
 */
public class CryoHandshakeInterceptor implements HandshakeInterceptor {

	/** Where servlet containers put the certificate chain a TLS handshake verified (the Servlet specification's name). */
	private static final String SERVLET_CERTIFICATES_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	private final CryoSessionRegistry registry;

	private final UpgradeGate gate;

	/**
	 * Creates an interceptor that reports refusals to nobody.
	 * @param tokenValidator decides whether a bearer token is valid
	 * @param registry where session ids are reserved
	 */
	public CryoHandshakeInterceptor(TokenValidator tokenValidator, CryoSessionRegistry registry) {
		this(tokenValidator, registry, CryoServerObserver.NOOP);
	}

	/**
	 * Creates an interceptor that reports every refusal to an observer.
	 * @param tokenValidator decides whether a bearer token is valid
	 * @param registry where session ids are reserved
	 * @param observer told about each refused upgrade (metrics)
	 */
	public CryoHandshakeInterceptor(TokenValidator tokenValidator, CryoSessionRegistry registry,
			CryoServerObserver observer) {
		this(tokenValidator, registry, observer, CryoDialects.v1Only());
	}

	/**
	 * Creates an interceptor that chooses the dialect of each accepted upgrade.
	 * @param tokenValidator decides whether a bearer token is valid
	 * @param registry where session ids are reserved
	 * @param observer told about each refused upgrade (metrics)
	 * @param dialects the server's dialects, asked in order
	 */
	public CryoHandshakeInterceptor(TokenValidator tokenValidator, CryoSessionRegistry registry,
			CryoServerObserver observer, CryoDialects dialects) {
		Assert.notNull(registry, "'registry' must not be null");
		this.registry = registry;
		this.gate = new UpgradeGate(tokenValidator, registry, observer, dialects);
	}

	/**
	 * Creates an interceptor that authenticates with an authenticator.
	 * @param authenticator decides who opens the session, or refuses the upgrade
	 * @param authenticationTimeout how long an upgrade waits for the authenticator before it is
	 * refused with 401
	 * @param registry where session ids are reserved
	 * @param observer told about each refused upgrade (metrics)
	 * @param dialects the server's dialects, asked in order
	 */
	public CryoHandshakeInterceptor(CryoAuthenticator authenticator, Duration authenticationTimeout,
			CryoSessionRegistry registry, CryoServerObserver observer, CryoDialects dialects) {
		Assert.notNull(registry, "'registry' must not be null");
		this.registry = registry;
		this.gate = new UpgradeGate(authenticator, authenticationTimeout, registry, observer, dialects);
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws Exception {
		if (!"websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())) {
			return true;
		}
		UpgradeGate.Decision decision = this.gate.decide(new UpgradeGate.Attempt(UpgradeRequests.path(request),
				UpgradeRequests.rawQuery(request), UpgradeRequests.offeredSubprotocols(request),
				request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION), request.getRemoteAddress(),
				request.getHeaders(), clientCertificates(request)));
		if (decision instanceof UpgradeGate.Refused refused) {
			return refuse(request, response, refused);
		}
		UpgradeGate.Accepted accepted = (UpgradeGate.Accepted) decision;
		attributes.put(CryoWebSocketHandler.RESERVATION_ATTRIBUTE, accepted.reservation());
		attributes.put(CryoWebSocketHandler.DIALECT_ATTRIBUTE, accepted.dialect());
		if (request instanceof ServletServerHttpRequest servletRequest) {
			// afterHandshake sees the request, not the attribute map.
			servletRequest.getServletRequest()
				.setAttribute(CryoWebSocketHandler.RESERVATION_ATTRIBUTE, accepted.reservation());
		}
		return true;
	}

	/** The chain a mutual-TLS handshake verified, as the servlet container hands it over. */
	private static List<X509Certificate> clientCertificates(ServerHttpRequest request) {
		if (request instanceof ServletServerHttpRequest servletRequest
				&& servletRequest.getServletRequest().getAttribute(SERVLET_CERTIFICATES_ATTRIBUTE)
						instanceof X509Certificate[] chain) {
			return List.of(chain);
		}
		return List.of();
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
		// A handshake that failed after the reservation (bad WebSocket headers, container refusal)
		// never opens a session; release the sid right away instead of waiting for the purge.
		if (!upgraded(response) && request instanceof ServletServerHttpRequest servletRequest) {
			Object reservation = servletRequest.getServletRequest()
				.getAttribute(CryoWebSocketHandler.RESERVATION_ATTRIBUTE);
			if (reservation instanceof CryoSessionRegistry.Reservation held) {
				this.registry.release(held);
			}
		}
	}

	private static boolean upgraded(ServerHttpResponse response) {
		if (response instanceof ServletServerHttpResponse servletResponse) {
			return servletResponse.getServletResponse().getStatus() == HttpStatus.SWITCHING_PROTOCOLS.value();
		}
		return true;
	}

	private boolean refuse(ServerHttpRequest request, ServerHttpResponse response, UpgradeGate.Refused refused)
			throws java.io.IOException {
		UpgradeRefusal refusal = refused.refusal();
		byte[] body = UpgradeGate.refusalBody(refused, request.getRemoteAddress());
		response.setStatusCode(HttpStatus.valueOf(refusal.status()));
		HttpHeaders headers = response.getHeaders();
		// The exact header of cryo-v1.md §2.4 (MediaType would print "text/html;charset=UTF-8").
		headers.set(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8");
		headers.setContentLength(body.length);
		headers.set(HttpHeaders.CONNECTION, "close");
		response.getBody().write(body);
		response.flush();
		return false;
	}

}
