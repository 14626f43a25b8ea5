package dev.cryo.server.web;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpRequest;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.WebUtils;

import dev.cryo.core.LogText;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.observer.UpgradeRefusal;

/**
 * The Origin rule of cryo-v1.md §2.5, whatever web stack carries the upgrade: a request without
 * {@code Origin} and a same-origin request are always allowed; any other origin must be one of
 * the allowed origins ({@code *} allows all) or match one of the allowed origin patterns (for
 * example {@code https://*.example.com} or {@code http://localhost:[*]}), with the semantics of
 * Spring's {@link CorsConfiguration#checkOrigin(String)}. Used by {@link CryoOriginInterceptor}
 * on the servlet stack and by the Netty transport, so that both decide alike.
 *
 * <p>A refusal is reported to the observer as {@link UpgradeRefusal#ORIGIN}, and the first
 * refusal of each origin within ten minutes is logged as a warning that names the origin
 * (escaped) and {@code cryo.allowed-origins}. The warnings are bounded: a few dozen origins per
 * window, whatever {@code Origin} values clients send.
 */
public final class OriginCheck {

	private static final Log logger = LogFactory.getLog(OriginCheck.class);

	private final CorsConfiguration allowed = new CorsConfiguration();

	private final CryoServerObserver observer;

	private final OriginWarnings warnings;

	/**
	 * Creates a check that allows the same origin and the given ones.
	 * @param allowedOrigins origins allowed besides the server's own, such as
	 * {@code https://app.example.com}; {@code *} allows every origin
	 * @param allowedOriginPatterns patterns of allowed origins, as
	 * {@link CorsConfiguration#setAllowedOriginPatterns(List)} reads them
	 * @param observer told about each refused upgrade (metrics)
	 */
	public OriginCheck(Collection<String> allowedOrigins, Collection<String> allowedOriginPatterns,
			CryoServerObserver observer) {
		this(allowedOrigins, allowedOriginPatterns, observer, new OriginWarnings());
	}

	OriginCheck(Collection<String> allowedOrigins, Collection<String> allowedOriginPatterns,
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
	public List<String> allowedOrigins() {
		List<String> origins = this.allowed.getAllowedOrigins();
		return (origins != null) ? List.copyOf(origins) : List.of();
	}

	/**
	 * Returns the patterns of allowed origins.
	 * @return the allowed origin patterns, possibly empty
	 */
	public List<String> allowedOriginPatterns() {
		List<String> patterns = this.allowed.getAllowedOriginPatterns();
		return (patterns != null) ? List.copyOf(patterns) : List.of();
	}

	/**
	 * Decides whether an upgrade request on a servlet stack may proceed, and reports and logs a
	 * refusal. On a servlet request the servlet's scheme, server name and port are what a
	 * same-origin request's {@code Origin} is compared with, otherwise the request's URI
	 * ({@link WebUtils#isSameOrigin(HttpRequest)}).
	 * @param request the upgrade request
	 * @param remoteAddress the client's address, for the warning
	 * @return whether the request is allowed; on {@code false} the caller answers 403 with an
	 * empty body
	 */
	public boolean allows(HttpRequest request, @Nullable InetSocketAddress remoteAddress) {
		String origin = request.getHeaders().getOrigin();
		return origin == null || allows(origin, isSameOrigin(request), remoteAddress);
	}

	/**
	 * Decides whether an upgrade request may proceed, on a stack without servlets, and reports
	 * and logs a refusal.
	 * @param origin the request's {@code Origin}, or {@code null} when it has none
	 * @param server the server as the client addressed it: the connection's scheme
	 * ({@code http} or {@code https}) and the request's {@code Host}; its path is ignored
	 * @param remoteAddress the client's address, for the warning
	 * @return whether the request is allowed; on {@code false} the caller answers 403 with an
	 * empty body
	 */
	public boolean allows(@Nullable String origin, URI server, @Nullable InetSocketAddress remoteAddress) {
		return origin == null || allows(origin, isSameOrigin(origin, server), remoteAddress);
	}

	private boolean allows(String origin, boolean sameOrigin, @Nullable InetSocketAddress remoteAddress) {
		if (sameOrigin || this.allowed.checkOrigin(origin) != null) {
			return true;
		}
		this.observer.upgradeRejected(UpgradeRefusal.ORIGIN);
		String shown = LogText.escape(origin);
		if (this.warnings.shouldWarn(shown)) {
			logger.warn("Refused a Cryo upgrade from origin \"" + shown + "\" (" + describe(remoteAddress)
					+ ") with 403: a browser page may connect only from the server's own origin or one allowed by "
					+ "cryo.allowed-origins (or cryo.allowed-origin-patterns). Further refusals of this origin are "
					+ "not logged for " + this.warnings.window().toMinutes() + " minutes.");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Refused a Cryo upgrade from origin \"" + shown + "\" with 403");
		}
		return false;
	}

	private static boolean isSameOrigin(HttpRequest request) {
		try {
			return WebUtils.isSameOrigin(request);
		}
		catch (IllegalArgumentException ex) {
			// An Origin that is not a URL ("null" from a sandboxed page, or garbage) is no same origin.
			return false;
		}
	}

	/**
	 * The comparison {@link WebUtils#isSameOrigin(HttpRequest)} makes, for a server given by its
	 * URI: same scheme, host and port, a missing port being the scheme's default. Spring's
	 * method cannot be used there, as it tests for a servlet request, whose class needs the
	 * servlet API.
	 */
	private static boolean isSameOrigin(String origin, URI server) {
		try {
			UriComponents originUrl = UriComponentsBuilder.fromUriString(origin).build();
			String scheme = server.getScheme();
			return scheme != null && scheme.equals(originUrl.getScheme()) && server.getHost() != null
					&& server.getHost().equals(originUrl.getHost())
					&& port(scheme, server.getPort()) == port(originUrl.getScheme(), originUrl.getPort());
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static int port(@Nullable String scheme, int port) {
		if (port == -1) {
			if ("http".equals(scheme) || "ws".equals(scheme)) {
				return 80;
			}
			if ("https".equals(scheme) || "wss".equals(scheme)) {
				return 443;
			}
		}
		return port;
	}

	private static String describe(@Nullable InetSocketAddress address) {
		return (address != null) ? "remote " + address.getHostString() : "remote unknown";
	}

}
