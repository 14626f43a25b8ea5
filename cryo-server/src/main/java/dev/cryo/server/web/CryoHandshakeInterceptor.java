package dev.cryo.server.web;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.UpgradeChecks;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.observer.UpgradeRefusal;
import dev.cryo.server.support.CryoDialects;
import dev.cryo.server.support.CryoSessionRegistry;
import dev.cryo.server.support.ReservationRefusedException;

/**
 * Authenticates a Cryo upgrade before it happens (cryo-v1.md §2.3, camp.md §1 [PROJECT]). The
 * dialect is chosen first, from the upgrade request alone: the first of the server's dialects
 * that recognises it (CAMP by its subprotocol or sid parameter, Cryo v1 for everything else).
 * Then the checks of §2.3 run in their order with that dialect's session id parameters: bearer
 * token from the {@code authorization} query parameter (or the {@code Authorization} header),
 * the session id from the first of the dialect's parameters that has a value ({@code x-cryo-sid}
 * in Cryo v1; {@code x-camp-sid}, then {@code x-CAMP-sid} in CAMP), parsed by the dialect, then
 * the token validator, then an atomic reservation of the sid in the one registry every dialect
 * shares. The legacy generation keeps its 2.x server's order and wording instead
 * ({@link UpgradeChecks#LEGACY_V0}, legacy-v0.md §10.1 rule 4): a value without {@code Bearer }
 * is "No auth data supplied.", and the sid is reserved before the token is validated (and released
 * again if the token is refused). Every refusal is a 401 with the body of §2.4 and no session is created. The token is
 * never logged. When the server is full ({@code cryo.max-sessions}) or shutting down, the
 * upgrade is refused with 503 and a body of the same shape. The Origin check of §2.5 is a
 * separate interceptor that runs before this one.
 *
 * <p>Requests that are not WebSocket upgrades are let through untouched, so that the WebSocket
 * stack rejects them as it always does (typically with 400).
 */
public class CryoHandshakeInterceptor implements HandshakeInterceptor {

	static final String AUTHORIZATION_PARAMETER = "authorization";

	private static final String BEARER_PREFIX = "Bearer ";

	private static final Log logger = LogFactory.getLog(CryoHandshakeInterceptor.class);

	private final TokenValidator tokenValidator;

	private final CryoSessionRegistry registry;

	private final CryoServerObserver observer;

	private final CryoDialects dialects;

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
		Assert.notNull(tokenValidator, "'tokenValidator' must not be null");
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(observer, "'observer' must not be null");
		Assert.notNull(dialects, "'dialects' must not be null");
		this.tokenValidator = tokenValidator;
		this.registry = registry;
		this.observer = observer;
		this.dialects = dialects;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws Exception {
		if (!"websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())) {
			return true;
		}
		if (!this.registry.isAccepting()) {
			return refuse(request, response, UpgradeRefusal.SHUTTING_DOWN);
		}
		// The request alone decides the dialect, before any check reads a parameter of one
		// (camp.md §1 rules 1-2): a CAMP client's sid is never looked for in x-cryo-sid.
		CryoDialect dialect = this.dialects.select(UpgradeRequests.of(request));
		UpgradeChecks checks = dialect.upgradeChecks();
		String rawQuery = UpgradeRequests.rawQuery(request);
		String authorization = QueryParameters.first(rawQuery, AUTHORIZATION_PARAMETER);
		if (authorization == null || authorization.isEmpty()) {
			authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		}
		if (authorization == null || authorization.isEmpty()) {
			return refuse(request, response, UpgradeRefusal.NO_AUTH_DATA);
		}
		if (!authorization.startsWith(BEARER_PREFIX)) {
			// The legacy 2.x server names both problems alike (legacy-v0.md §10.1 rule 4.2).
			return refuse(request, response,
					checks.nonBearerIsMissing() ? UpgradeRefusal.NO_AUTH_DATA : UpgradeRefusal.INCORRECT_AUTH_TYPE);
		}
		String token = authorization.substring(BEARER_PREFIX.length());
		if (token.isEmpty() && !checks.duplicateBeforeToken()) {
			return refuse(request, response, UpgradeRefusal.INVALID_TOKEN);
		}
		String sidValue = sessionIdValue(rawQuery, dialect);
		if (sidValue == null) {
			return refuse(request, response, UpgradeRefusal.NO_SID);
		}
		Optional<SessionId> sid = dialect.parseSessionId(sidValue);
		if (sid.isEmpty()) {
			return refuse(request, response, UpgradeRefusal.INVALID_SID);
		}
		// Cryo v1 and CAMP check the token before the sid, so unauthenticated callers cannot probe
		// live numeric ids; the legacy generation reserves the sid first, as its 2.x server does
		// (legacy-v0.md §10.1 rule 4), which reveals nothing because UUIDs cannot be guessed.
		if (!checks.duplicateBeforeToken() && !isValid(token)) {
			return refuse(request, response, UpgradeRefusal.INVALID_TOKEN);
		}
		CryoSessionRegistry.Reservation reservation;
		try {
			reservation = this.registry.reserve(sid.get());
		}
		catch (ReservationRefusedException ex) {
			return refuse(request, response,
					(ex.reason() == ReservationRefusedException.Reason.AT_CAPACITY) ? UpgradeRefusal.TOO_MANY_SESSIONS
							: UpgradeRefusal.SHUTTING_DOWN);
		}
		if (reservation == null) {
			probeHolder(dialect, sid.get(), token);
			return refuse(request, response, UpgradeRefusal.DUPLICATE_SID);
		}
		if (checks.duplicateBeforeToken() && (token.isEmpty() || !isValid(token))) {
			// The sid was held only while the token was checked.
			this.registry.release(reservation);
			return refuse(request, response, UpgradeRefusal.INVALID_TOKEN);
		}
		attributes.put(CryoWebSocketHandler.RESERVATION_ATTRIBUTE, reservation);
		attributes.put(CryoWebSocketHandler.DIALECT_ATTRIBUTE, dialect);
		if (request instanceof ServletServerHttpRequest servletRequest) {
			// afterHandshake sees the request, not the attribute map.
			servletRequest.getServletRequest().setAttribute(CryoWebSocketHandler.RESERVATION_ATTRIBUTE, reservation);
		}
		return true;
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

	/**
	 * Returns the session id as the dialect carries it: the value of the first of its parameters
	 * that has one. An empty parameter counts as missing (§2.3 step 4), so a CAMP client that
	 * sends {@code x-camp-sid=} next to a filled {@code x-CAMP-sid} is read from the latter.
	 */
	private static @Nullable String sessionIdValue(@Nullable String rawQuery, CryoDialect dialect) {
		for (String parameter : dialect.sessionIdParameters()) {
			String value = QueryParameters.first(rawQuery, parameter);
			if (value != null && !value.isEmpty()) {
				return value;
			}
		}
		return null;
	}

	/**
	 * An authenticated client asks for a sid that a live session holds: if the dialect says so,
	 * that session must answer a ping soon or is closed as dead, so a client that reconnects with
	 * its old sid (cryo-client-browser, legacy-v0.md §10.7) gets in at its next attempt. Only an
	 * authenticated request may cause the ping.
	 */
	private void probeHolder(CryoDialect dialect, SessionId sid, String token) {
		Duration probe = dialect.reconnectProbe();
		if (!probe.isZero() && !token.isEmpty() && isValid(token) && this.registry.probe(sid, probe)) {
			logger.debug("Cryo session " + sid + " was asked for again; it must answer a ping within " + probe);
		}
	}

	private boolean isValid(String token) {
		try {
			return this.tokenValidator.isValid(token);
		}
		catch (RuntimeException ex) {
			// The exception text may contain the token, so only its type is logged.
			logger.warn("Cryo token validator threw " + ex.getClass().getName() + "; refusing the upgrade");
			return false;
		}
	}

	private static boolean upgraded(ServerHttpResponse response) {
		if (response instanceof ServletServerHttpResponse servletResponse) {
			return servletResponse.getServletResponse().getStatus() == HttpStatus.SWITCHING_PROTOCOLS.value();
		}
		return true;
	}

	private boolean refuse(ServerHttpRequest request, ServerHttpResponse response, UpgradeRefusal refusal)
			throws java.io.IOException {
		this.observer.upgradeRejected(refusal);
		String remote = describe(request.getRemoteAddress());
		if (logger.isDebugEnabled()) {
			logger.debug("Refused Cryo upgrade from " + remote + ": " + refusal.message());
		}
		byte[] body = ("<html><body><h1>" + refusal.status() + " " + refusal.statusText()
				+ "</h1><p>Upgrade request for " + remote + " was refused. " + refusal.message() + "</p></body></html>")
			.getBytes(StandardCharsets.UTF_8);
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

	private static String describe(@Nullable InetSocketAddress address) {
		if (address == null) {
			return "unknown";
		}
		return address.getHostString() + ":" + address.getPort();
	}

}
