package dev.cryo.server.web;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.WebUtils;

import dev.cryo.core.LogText;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.observer.UpgradeRefusal;

/**
 * Refuses upgrades from browser pages of foreign origins (cryo-v1.md §2.5) with 403 and an empty
 * body, before any other check. The rules are those of Spring's
 * {@link org.springframework.web.socket.server.support.OriginHandshakeInterceptor}: a request
 * without {@code Origin} and a same-origin request are always allowed; any other origin must be
 * one of the allowed origins ({@code *} allows all) or match one of the allowed origin patterns
 * (for example {@code https://*.example.com} or {@code http://localhost:[*]}).
 *
 * <p>Unlike Spring's, a refusal is not silent: it is reported to the observer as
 * {@link UpgradeRefusal#ORIGIN}, and the first refusal of each origin within ten minutes is
 * logged as a warning that names the origin (escaped) and {@code cryo.allowed-origins}, so that
 * whoever wonders why a browser page cannot connect finds the answer in the server's log. The
 * warnings are bounded: a few dozen origins per window, whatever {@code Origin} values clients
 * send.
 */
public class CryoOriginInterceptor implements HandshakeInterceptor {

	private static final Log logger = LogFactory.getLog(CryoOriginInterceptor.class);

	private final CorsConfiguration allowed = new CorsConfiguration();

	private final CryoServerObserver observer;

	private final OriginWarnings warnings;

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
	 * {@link CorsConfiguration#setAllowedOriginPatterns(List)} reads them
	 * @param observer told about each refused upgrade (metrics)
	 */
	public CryoOriginInterceptor(Collection<String> allowedOrigins, Collection<String> allowedOriginPatterns,
			CryoServerObserver observer) {
		this(allowedOrigins, allowedOriginPatterns, observer, new OriginWarnings());
	}

	CryoOriginInterceptor(Collection<String> allowedOrigins, Collection<String> allowedOriginPatterns,
			CryoServerObserver observer, OriginWarnings warnings) {
		this.allowed.setAllowedOrigins(new ArrayList<>(allowedOrigins));
		this.allowed.setAllowedOriginPatterns(new ArrayList<>(allowedOriginPatterns));
		this.observer = observer;
		this.warnings = warnings;
	}

	/**
	 * Returns the origins allowed besides the server's own.
	 * @return the allowed origins, possibly empty
	 */
	public List<String> getAllowedOrigins() {
		List<String> origins = this.allowed.getAllowedOrigins();
		return (origins != null) ? List.copyOf(origins) : List.of();
	}

	/**
	 * Returns the patterns of allowed origins.
	 * @return the allowed origin patterns, possibly empty
	 */
	public List<String> getAllowedOriginPatterns() {
		List<String> patterns = this.allowed.getAllowedOriginPatterns();
		return (patterns != null) ? List.copyOf(patterns) : List.of();
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		String origin = request.getHeaders().getOrigin();
		if (origin == null || isSameOrigin(request) || this.allowed.checkOrigin(origin) != null) {
			return true;
		}
		// §2.5: 403 and an empty body. The reason goes to the log, where the server's operator reads it.
		response.setStatusCode(HttpStatus.FORBIDDEN);
		this.observer.upgradeRejected(UpgradeRefusal.ORIGIN);
		String shown = LogText.escape(origin);
		if (this.warnings.shouldWarn(shown)) {
			logger.warn("Refused a Cryo upgrade from origin \"" + shown + "\" (" + describe(request.getRemoteAddress())
					+ ") with 403: a browser page may connect only from the server's own origin or one allowed by "
					+ "cryo.allowed-origins (or cryo.allowed-origin-patterns). Further refusals of this origin are "
					+ "not logged for " + this.warnings.window().toMinutes() + " minutes.");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Refused a Cryo upgrade from origin \"" + shown + "\" with 403");
		}
		return false;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

	private static boolean isSameOrigin(ServerHttpRequest request) {
		try {
			return WebUtils.isSameOrigin(request);
		}
		catch (IllegalArgumentException ex) {
			// An Origin that is not a URL ("null" from a sandboxed page, or garbage) is no same origin.
			return false;
		}
	}

	private static String describe(@Nullable InetSocketAddress address) {
		return (address != null) ? "remote " + address.getHostString() : "remote unknown";
	}

}
