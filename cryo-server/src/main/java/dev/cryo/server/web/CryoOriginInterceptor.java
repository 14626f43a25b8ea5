package dev.cryo.server.web;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import dev.cryo.server.observer.CryoServerObserver;

/**
 * Refuses upgrades from browser pages of foreign origins (cryo-v1.md §2.5) with 403 and an empty
 * body, before any other check, as {@link OriginCheck} decides. The rules are those of Spring's
 * {@link org.springframework.web.socket.server.support.OriginHandshakeInterceptor}: a request
 * without {@code Origin} and a same-origin request are always allowed; any other origin must be
 * one of the allowed origins ({@code *} allows all) or match one of the allowed origin patterns
 * (for example {@code https://*.example.com} or {@code http://localhost:[*]}).
 *
 * <p>Unlike Spring's, a refusal is not silent: it is reported to the observer as
 * {@link dev.cryo.server.observer.UpgradeRefusal#ORIGIN}, and the first refusal of each origin within ten minutes is
 * logged as a warning that names the origin (escaped) and {@code cryo.allowed-origins}, so that
 * whoever wonders why a browser page cannot connect finds the answer in the server's log. The
 * warnings are bounded: a few dozen origins per window, whatever {@code Origin} values clients
 * send.
 */
public class CryoOriginInterceptor implements HandshakeInterceptor {

	private final OriginCheck check;

	/**
	 * Creates an interceptor that allows the same origin only, and reports refusals to nobody.
	 */
	public CryoOriginInterceptor() {
		this(List.of(), List.of(), CryoServerObserver.NOOP);
	}

	/**
	 * Creates an interceptor that allows the same origin and the given ones.
	 * @param allowedOrigins origins allowed besides the server's own, such as
	 * {@code https://app.example.com}; {@code *} allows every origin
	 * @param allowedOriginPatterns patterns of allowed origins, as
	 * {@link org.springframework.web.cors.CorsConfiguration#setAllowedOriginPatterns(List)} reads them
	 * @param observer told about each refused upgrade (metrics)
	 */
	public CryoOriginInterceptor(Collection<String> allowedOrigins, Collection<String> allowedOriginPatterns,
			CryoServerObserver observer) {
		this(allowedOrigins, allowedOriginPatterns, observer, new OriginWarnings());
	}

	CryoOriginInterceptor(Collection<String> allowedOrigins, Collection<String> allowedOriginPatterns,
			CryoServerObserver observer, OriginWarnings warnings) {
		this.check = new OriginCheck(allowedOrigins, allowedOriginPatterns, observer, warnings);
	}

	/**
	 * Returns the origins allowed besides the server's own.
	 * @return the allowed origins, possibly empty
	 */
	public List<String> getAllowedOrigins() {
		return this.check.allowedOrigins();
	}

	/**
	 * Returns the patterns of allowed origins.
	 * @return the allowed origin patterns, possibly empty
	 */
	public List<String> getAllowedOriginPatterns() {
		return this.check.allowedOriginPatterns();
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		if (this.check.allows(request, request.getRemoteAddress())) {
			return true;
		}
		// §2.5: 403 and an empty body. The reason goes to the log, where the server's operator reads it.
		response.setStatusCode(HttpStatus.FORBIDDEN);
		return false;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

}
