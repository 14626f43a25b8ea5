package dev.cryo.server.support;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.util.HtmlUtils;

import dev.cryo.core.LogText;
import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.UpgradeChecks;
import dev.cryo.core.dialect.UpgradeRequest;
import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.HandshakeDetails;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.observer.UpgradeRefusal;

/**
 * Decides whether a Cryo upgrade may happen (cryo-v1.md §2.3, camp.md §1 [PROJECT], legacy-v0.md
 * §10.1), whatever web stack carries it: a transport hands over what it read from the request
 * ({@link Attempt}) and writes the answer the {@link Decision} names. The dialect is chosen
 * first, from the request alone: the first of the server's dialects that recognises it. Then the
 * checks of §2.3 run in their order with that dialect's session id parameters: bearer token from
 * the {@code authorization} query parameter (or the {@code Authorization} header), the session
 * id from the first of the dialect's parameters that has a value, parsed by the dialect, then the
 * {@link CryoAuthenticator}, then an atomic reservation of the sid in the one registry every dialect
 * shares. The legacy generation keeps its 2.x server's order and wording instead
 * ({@link UpgradeChecks#LEGACY_V0}): a value without {@code Bearer } is "No auth data supplied.",
 * and the sid is reserved before the token is authenticated (and released again if it is
 * refused). A full or stopping server refuses with 503. Every refusal is reported to the observer;
 * the token is never logged.
 *
 * <p>The gate waits for the authenticator's stage at most the authentication timeout, then
 * refuses with 401 {@link UpgradeRefusal#AUTHENTICATION_TIMEOUT} and cancels the stage; a stage
 * that fails with {@link RejectedExecutionException} (a full pool) refuses with 503
 * {@link UpgradeRefusal#AUTHENTICATION_OVERLOADED}. An accepted upgrade's principal travels with
 * its reservation to the session.
 */
public final class UpgradeGate {

	/** The query parameter that carries the bearer token (§2.1). */
	public static final String AUTHORIZATION_PARAMETER = "authorization";

	/** How long an upgrade waits for its authenticator when no timeout is given. */
	public static final Duration DEFAULT_AUTHENTICATION_TIMEOUT = Duration.ofSeconds(10);

	private static final String BEARER_PREFIX = "Bearer ";

	private static final Log logger = LogFactory.getLog(UpgradeGate.class);

	private final CryoAuthenticator authenticator;

	private final long authenticationTimeoutNanos;

	private final CryoSessionRegistry registry;

	private final CryoServerObserver observer;

	private final CryoDialects dialects;

	/**
	 * Creates a gate whose validator runs in a {@link PooledAuthenticator} of default
	 * size, with the {@linkplain #DEFAULT_AUTHENTICATION_TIMEOUT default timeout}.
	 * @param tokenValidator decides whether a bearer token is valid
	 * @param registry where session ids are reserved
	 * @param observer told about each refused upgrade (metrics)
	 * @param dialects the server's dialects, asked in order
	 */
	public UpgradeGate(TokenValidator tokenValidator, CryoSessionRegistry registry, CryoServerObserver observer,
			CryoDialects dialects) {
		this(PooledAuthenticator.of(tokenValidator), DEFAULT_AUTHENTICATION_TIMEOUT, registry, observer,
				dialects);
	}

	/**
	 * Creates the gate.
	 * @param authenticator decides who opens the session, or refuses the upgrade
	 * @param authenticationTimeout how long an upgrade waits for the authenticator
	 * @param registry where session ids are reserved
	 * @param observer told about each refused upgrade (metrics)
	 * @param dialects the server's dialects, asked in order
	 */
	public UpgradeGate(CryoAuthenticator authenticator, Duration authenticationTimeout, CryoSessionRegistry registry,
			CryoServerObserver observer, CryoDialects dialects) {
		Assert.notNull(authenticator, "'authenticator' must not be null");
		Assert.isTrue(authenticationTimeout != null && !authenticationTimeout.isNegative()
				&& !authenticationTimeout.isZero(), "'authenticationTimeout' must be positive");
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(observer, "'observer' must not be null");
		Assert.notNull(dialects, "'dialects' must not be null");
		this.authenticator = authenticator;
		this.authenticationTimeoutNanos = authenticationTimeout.toNanos();
		this.registry = registry;
		this.observer = observer;
		this.dialects = dialects;
	}

	/**
	 * Returns the dialects' view of a request: its path, the offered subprotocols, and the query
	 * parameters decoded as the published clients encode them, without the {@code authorization}
	 * parameter, so no dialect ever holds the bearer token.
	 * @param path the request path within the application
	 * @param rawQuery the undecoded query, without {@code ?}
	 * @param offeredSubprotocols the values of {@code Sec-WebSocket-Protocol}, in the client's order
	 * @return the view
	 */
	public static UpgradeRequest upgradeRequest(String path, @Nullable String rawQuery, List<String> offeredSubprotocols) {
		Map<String, List<String>> parameters = QueryParameters.all(rawQuery);
		parameters.remove(AUTHORIZATION_PARAMETER);
		return new UpgradeRequest(path, offeredSubprotocols, parameters);
	}

	/**
	 * Returns the subprotocols a client offered, in its order: one {@code Sec-WebSocket-Protocol}
	 * header may list several values, and a client may send the header more than once.
	 * @param headerValues the values of every {@code Sec-WebSocket-Protocol} header
	 * @return the subprotocols, trimmed, without empty ones
	 */
	public static List<String> offeredSubprotocols(List<String> headerValues) {
		List<String> offered = new ArrayList<>();
		for (String value : headerValues) {
			for (String subprotocol : value.split(",")) {
				String trimmed = subprotocol.trim();
				if (!trimmed.isEmpty()) {
					offered.add(trimmed);
				}
			}
		}
		return offered;
	}

	/**
	 * Decides an upgrade. Never throws for anything a peer sends.
	 * @param attempt what the transport read from the request
	 * @return the reservation and dialect of an accepted upgrade, or the refusal to answer with
	 */
	public Decision decide(Attempt attempt) {
		if (!this.registry.isAccepting()) {
			return refuse(attempt, UpgradeRefusal.SHUTTING_DOWN);
		}
		// The request alone decides the dialect, before any check reads a parameter of one
		// (camp.md §1 rules 1-2): a CAMP client's sid is never looked for in x-cryo-sid.
		UpgradeRequest request = upgradeRequest(attempt.path(), attempt.rawQuery(), attempt.offeredSubprotocols());
		CryoDialect dialect = this.dialects.select(request);
		UpgradeChecks checks = dialect.upgradeChecks();
		String authorization = QueryParameters.first(attempt.rawQuery(), AUTHORIZATION_PARAMETER);
		if (authorization == null || authorization.isEmpty()) {
			authorization = attempt.authorizationHeader();
		}
		// Without a token, a client certificate that mutual TLS verified authenticates the session.
		boolean noToken = authorization == null || authorization.isEmpty();
		CryoAuthentication.@Nullable Authenticated identity = (noToken && !attempt.clientCertificates().isEmpty())
				? certificateIdentity(attempt.clientCertificates().get(0)) : null;
		String token = "";
		if (identity == null) {
			if (noToken) {
				return refuse(attempt, UpgradeRefusal.NO_AUTH_DATA);
			}
			if (!authorization.startsWith(BEARER_PREFIX)) {
				// The legacy 2.x server names both problems alike (legacy-v0.md §10.1 rule 4.2).
				return refuse(attempt,
						checks.nonBearerIsMissing() ? UpgradeRefusal.NO_AUTH_DATA : UpgradeRefusal.INCORRECT_AUTH_TYPE);
			}
			token = authorization.substring(BEARER_PREFIX.length());
			if (token.isEmpty() && !checks.duplicateBeforeToken()) {
				return refuse(attempt, UpgradeRefusal.INVALID_TOKEN);
			}
		}
		String sidValue = sessionIdValue(attempt.rawQuery(), dialect);
		if (sidValue == null) {
			return refuse(attempt, UpgradeRefusal.NO_SID);
		}
		Optional<SessionId> sid = dialect.parseSessionId(sidValue);
		if (sid.isEmpty()) {
			return refuse(attempt, UpgradeRefusal.INVALID_SID);
		}
		// Cryo v1 and CAMP check the token before the sid, so unauthenticated callers cannot probe
		// live numeric ids; the legacy generation reserves the sid first, as its 2.x server does
		// (legacy-v0.md §10.1 rule 4), which reveals nothing because UUIDs cannot be guessed.
		boolean byToken = identity == null;
		if (byToken && !checks.duplicateBeforeToken()) {
			Authentication authentication = authenticate(attempt, request, dialect, token);
			if (authentication.refused() != null) {
				return authentication.refused();
			}
			identity = authentication.identity();
		}
		CryoSessionRegistry.Reservation reservation;
		try {
			reservation = this.registry.reserve(sid.get());
		}
		catch (ReservationRefusedException ex) {
			return refuse(attempt, (ex.reason() == ReservationRefusedException.Reason.AT_CAPACITY)
					? UpgradeRefusal.TOO_MANY_SESSIONS : UpgradeRefusal.SHUTTING_DOWN);
		}
		if (reservation == null) {
			if (byToken) {
				probeHolder(attempt, request, dialect, sid.get(), token, identity);
			}
			return refuse(attempt, UpgradeRefusal.DUPLICATE_SID);
		}
		if (byToken && checks.duplicateBeforeToken()) {
			Authentication authentication = token.isEmpty()
					? new Authentication(null, refuse(attempt, UpgradeRefusal.INVALID_TOKEN))
					: authenticate(attempt, request, dialect, token);
			if (authentication.refused() != null) {
				// The sid was held only while the token was checked.
				this.registry.release(reservation);
				return authentication.refused();
			}
			identity = authentication.identity();
		}
		reservation.authenticated(identity);
		return new Accepted(reservation, dialect);
	}

	/**
	 * The identity a client certificate gives: its subject as the principal, the certificate as
	 * an attribute. Only certificates the TLS handshake verified reach the gate.
	 */
	private static CryoAuthentication.Authenticated certificateIdentity(X509Certificate certificate) {
		return new CryoAuthentication.Authenticated(certificate.getSubjectX500Principal(),
				Map.of(CryoAuthentication.CLIENT_CERTIFICATE_ATTRIBUTE, certificate));
	}

	/**
	 * Returns the body of a refusal (cryo-v1.md §2.4), to be sent as {@code text/html; charset=utf-8}
	 * with {@code Connection: close}.
	 * @param refusal the refusal
	 * @param remoteAddress the client's address as the transport knows it
	 * @return the body
	 */
	public static byte[] refusalBody(UpgradeRefusal refusal, @Nullable InetSocketAddress remoteAddress) {
		return refusalBody(new Refused(refusal), remoteAddress);
	}

	/**
	 * Returns the body of a refusal (cryo-v1.md §2.4) with its own message, e.g. an
	 * authenticator's, to be sent as {@code text/html; charset=utf-8} with {@code Connection: close}.
	 * @param refused the refusal
	 * @param remoteAddress the client's address as the transport knows it
	 * @return the body
	 */
	public static byte[] refusalBody(Refused refused, @Nullable InetSocketAddress remoteAddress) {
		UpgradeRefusal refusal = refused.refusal();
		return ("<html><body><h1>" + refusal.status() + " " + refusal.statusText() + "</h1><p>Upgrade request for "
				+ describe(remoteAddress) + " was refused. " + refused.message() + "</p></body></html>")
			.getBytes(StandardCharsets.UTF_8);
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
	private void probeHolder(Attempt attempt, UpgradeRequest request, CryoDialect dialect, SessionId sid,
			String token, CryoAuthentication.@Nullable Authenticated identity) {
		Duration probe = dialect.reconnectProbe();
		if (probe.isZero() || token.isEmpty()) {
			return;
		}
		// Dialects that check the token after the sid have not authenticated yet; a refusal here is
		// not counted, since the upgrade is refused as a duplicate anyway.
		boolean authenticated = (identity != null) || (dialect.upgradeChecks().duplicateBeforeToken()
				&& await(attempt, request, dialect, token).identity() != null);
		if (authenticated && this.registry.probe(sid, probe)) {
			logger.debug("Cryo session " + sid + " was asked for again; it must answer a ping within " + probe);
		}
	}

	/** Asks the authenticator and reports a refusal to the observer. */
	private Authentication authenticate(Attempt attempt, UpgradeRequest request, CryoDialect dialect, String token) {
		Authentication authentication = await(attempt, request, dialect, token);
		Refused refused = authentication.refused();
		if (refused != null) {
			refuse(attempt, refused.refusal());
		}
		return authentication;
	}

	/**
	 * Asks the authenticator and waits for its answer at most the timeout, so that the upgrade's
	 * thread (a container thread) is never held longer.
	 */
	private Authentication await(Attempt attempt, UpgradeRequest request, CryoDialect dialect, String token) {
		HandshakeDetails details = new HandshakeDetails(token, request.queryParameters(), attempt.headers(),
				attempt.remoteAddress(), dialect.name(), attempt.path());
		CompletableFuture<CryoAuthentication> future = null;
		try {
			CompletionStage<CryoAuthentication> stage = this.authenticator.authenticate(details);
			if (stage == null) {
				return failed("returned no stage");
			}
			future = stage.toCompletableFuture();
			CryoAuthentication authentication = future.get(this.authenticationTimeoutNanos, TimeUnit.NANOSECONDS);
			if (authentication instanceof CryoAuthentication.Authenticated authenticated) {
				return new Authentication(authenticated, null);
			}
			if (authentication instanceof CryoAuthentication.Refused refused) {
				return new Authentication(null, new Refused(UpgradeRefusal.INVALID_TOKEN, refused.message()));
			}
			return failed("completed with no outcome");
		}
		catch (TimeoutException ex) {
			// Nobody waits for the answer any more; a pool may skip the work if it has not started.
			future.cancel(false);
			return new Authentication(null, new Refused(UpgradeRefusal.AUTHENTICATION_TIMEOUT));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Authentication(null, new Refused(UpgradeRefusal.AUTHENTICATION_TIMEOUT));
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RejectedExecutionException) {
				return new Authentication(null, new Refused(UpgradeRefusal.AUTHENTICATION_OVERLOADED));
			}
			return failed("failed with " + ((ex.getCause() != null) ? ex.getCause() : ex).getClass().getName());
		}
		catch (CancellationException ex) {
			return failed("was cancelled");
		}
		catch (RuntimeException ex) {
			return failed("threw " + ex.getClass().getName());
		}
	}

	private static Authentication failed(String what) {
		// An exception's text may contain the token, so only its type is logged.
		logger.warn("Cryo authenticator " + what + "; refusing the upgrade");
		return new Authentication(null, new Refused(UpgradeRefusal.INVALID_TOKEN));
	}

	private Refused refuse(Attempt attempt, UpgradeRefusal refusal) {
		this.observer.upgradeRejected(refusal);
		if (logger.isDebugEnabled()) {
			logger.debug("Refused Cryo upgrade from " + describe(attempt.remoteAddress()) + ": " + refusal.message());
		}
		return new Refused(refusal);
	}

	/**
	 * What the authenticator said: an identity, or the refusal to answer with (not yet reported).
	 */
	private record Authentication(CryoAuthentication.@Nullable Authenticated identity, @Nullable Refused refused) {

	}

	private static String describe(@Nullable InetSocketAddress address) {
		if (address == null) {
			return "unknown";
		}
		return address.getHostString() + ":" + address.getPort();
	}

	/**
	 * What a transport read from an upgrade request.
	 *
	 * @param path the request path within the application
	 * @param rawQuery the undecoded query, without {@code ?}, or {@code null} when there is none
	 * @param offeredSubprotocols the values of {@code Sec-WebSocket-Protocol}, in the client's order
	 * @param authorizationHeader the {@code Authorization} header, used when the query has no token
	 * @param remoteAddress the client's address, for logs and refusal bodies
	 * @param headers the request headers, shown to the authenticator
	 * @param clientCertificates the certificate chain the client presented in a TLS handshake
	 * that verified it (mutual TLS), the client's own first; empty without one
	 */
	public record Attempt(String path, @Nullable String rawQuery, List<String> offeredSubprotocols,
			@Nullable String authorizationHeader, @Nullable InetSocketAddress remoteAddress, HttpHeaders headers,
			List<X509Certificate> clientCertificates) {

		public Attempt {
			Assert.notNull(path, "'path' must not be null");
			Assert.notNull(headers, "'headers' must not be null");
			offeredSubprotocols = List.copyOf(offeredSubprotocols);
			clientCertificates = List.copyOf(clientCertificates);
		}

		/**
		 * Creates an attempt without a client certificate.
		 * @param path the request path within the application
		 * @param rawQuery the undecoded query, without {@code ?}, or {@code null} when there is none
		 * @param offeredSubprotocols the values of {@code Sec-WebSocket-Protocol}, in the client's order
		 * @param authorizationHeader the {@code Authorization} header, used when the query has no token
		 * @param remoteAddress the client's address, for logs and refusal bodies
		 * @param headers the request headers, shown to the authenticator
		 */
		public Attempt(String path, @Nullable String rawQuery, List<String> offeredSubprotocols,
				@Nullable String authorizationHeader, @Nullable InetSocketAddress remoteAddress, HttpHeaders headers) {
			this(path, rawQuery, offeredSubprotocols, authorizationHeader, remoteAddress, headers, List.of());
		}

		/**
		 * Creates an attempt whose only known header is {@code Authorization}.
		 * @param path the request path within the application
		 * @param rawQuery the undecoded query, without {@code ?}, or {@code null} when there is none
		 * @param offeredSubprotocols the values of {@code Sec-WebSocket-Protocol}, in the client's order
		 * @param authorizationHeader the {@code Authorization} header, used when the query has no token
		 * @param remoteAddress the client's address, for logs and refusal bodies
		 */
		public Attempt(String path, @Nullable String rawQuery, List<String> offeredSubprotocols,
				@Nullable String authorizationHeader, @Nullable InetSocketAddress remoteAddress) {
			this(path, rawQuery, offeredSubprotocols, authorizationHeader, remoteAddress,
					headersOf(authorizationHeader));
		}

		private static HttpHeaders headersOf(@Nullable String authorizationHeader) {
			HttpHeaders headers = new HttpHeaders();
			if (authorizationHeader != null) {
				headers.set(HttpHeaders.AUTHORIZATION, authorizationHeader);
			}
			return headers;
		}

	}

	/** The outcome of {@link #decide}. */
	public sealed interface Decision permits Accepted, Refused {

	}

	/**
	 * The upgrade may happen: the session id is reserved for it, and the connection speaks the
	 * dialect. The transport must create the session or release the reservation.
	 *
	 * @param reservation the reserved session id
	 * @param dialect the dialect (in the variant that serves the request)
	 */
	public record Accepted(CryoSessionRegistry.Reservation reservation, CryoDialect dialect) implements Decision {

	}

	/**
	 * The upgrade is refused; the transport answers with the refusal's status and
	 * {@link #refusalBody(Refused, InetSocketAddress)}, and creates nothing.
	 *
	 * @param refusal the refusal
	 * @param message the message of the body: the refusal's own, or an authenticator's, which is
	 * escaped for HTML and a log line and cut to {@value CryoAuthentication.Refused#MAX_MESSAGE_LENGTH}
	 * characters here
	 */
	public record Refused(UpgradeRefusal refusal, String message) implements Decision {

		public Refused {
			Assert.notNull(refusal, "'refusal' must not be null");
			// An authenticator's message may echo what the client sent: escaped, bounded, one line.
			message = StringUtils.hasText(message)
					? HtmlUtils.htmlEscape(LogText.escape(message, CryoAuthentication.Refused.MAX_MESSAGE_LENGTH))
					: refusal.message();
		}

		/**
		 * Creates a refusal with its own message.
		 * @param refusal the refusal
		 */
		public Refused(UpgradeRefusal refusal) {
			this(refusal, refusal.message());
		}

	}

}
