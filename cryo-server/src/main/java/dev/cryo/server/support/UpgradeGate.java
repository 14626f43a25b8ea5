package dev.cryo.server.support;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.UpgradeChecks;
import dev.cryo.core.dialect.UpgradeRequest;
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
 * token validator, then an atomic reservation of the sid in the one registry every dialect
 * shares. The legacy generation keeps its 2.x server's order and wording instead
 * ({@link UpgradeChecks#LEGACY_V0}): a value without {@code Bearer } is "No auth data supplied.",
 * and the sid is reserved before the token is validated (and released again if the token is
 * refused). A full or stopping server refuses with 503. Every refusal is reported to the observer;
 * the token is never logged.
 */
public final class UpgradeGate {

	/** The query parameter that carries the bearer token (§2.1). */
	public static final String AUTHORIZATION_PARAMETER = "authorization";

	private static final String BEARER_PREFIX = "Bearer ";

	private static final Log logger = LogFactory.getLog(UpgradeGate.class);

	private final TokenValidator tokenValidator;

	private final CryoSessionRegistry registry;

	private final CryoServerObserver observer;

	private final CryoDialects dialects;

	/**
	 * Creates the gate.
	 * @param tokenValidator decides whether a bearer token is valid
	 * @param registry where session ids are reserved
	 * @param observer told about each refused upgrade (metrics)
	 * @param dialects the server's dialects, asked in order
	 */
	public UpgradeGate(TokenValidator tokenValidator, CryoSessionRegistry registry, CryoServerObserver observer,
			CryoDialects dialects) {
		Assert.notNull(tokenValidator, "'tokenValidator' must not be null");
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(observer, "'observer' must not be null");
		Assert.notNull(dialects, "'dialects' must not be null");
		this.tokenValidator = tokenValidator;
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
		CryoDialect dialect = this.dialects
			.select(upgradeRequest(attempt.path(), attempt.rawQuery(), attempt.offeredSubprotocols()));
		UpgradeChecks checks = dialect.upgradeChecks();
		String authorization = QueryParameters.first(attempt.rawQuery(), AUTHORIZATION_PARAMETER);
		if (authorization == null || authorization.isEmpty()) {
			authorization = attempt.authorizationHeader();
		}
		if (authorization == null || authorization.isEmpty()) {
			return refuse(attempt, UpgradeRefusal.NO_AUTH_DATA);
		}
		if (!authorization.startsWith(BEARER_PREFIX)) {
			// The legacy 2.x server names both problems alike (legacy-v0.md §10.1 rule 4.2).
			return refuse(attempt,
					checks.nonBearerIsMissing() ? UpgradeRefusal.NO_AUTH_DATA : UpgradeRefusal.INCORRECT_AUTH_TYPE);
		}
		String token = authorization.substring(BEARER_PREFIX.length());
		if (token.isEmpty() && !checks.duplicateBeforeToken()) {
			return refuse(attempt, UpgradeRefusal.INVALID_TOKEN);
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
		if (!checks.duplicateBeforeToken() && !isValid(token)) {
			return refuse(attempt, UpgradeRefusal.INVALID_TOKEN);
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
			probeHolder(dialect, sid.get(), token);
			return refuse(attempt, UpgradeRefusal.DUPLICATE_SID);
		}
		if (checks.duplicateBeforeToken() && (token.isEmpty() || !isValid(token))) {
			// The sid was held only while the token was checked.
			this.registry.release(reservation);
			return refuse(attempt, UpgradeRefusal.INVALID_TOKEN);
		}
		return new Accepted(reservation, dialect);
	}

	/**
	 * Returns the body of a refusal (cryo-v1.md §2.4), to be sent as {@code text/html; charset=utf-8}
	 * with {@code Connection: close}.
	 * @param refusal the refusal
	 * @param remoteAddress the client's address as the transport knows it
	 * @return the body
	 */
	public static byte[] refusalBody(UpgradeRefusal refusal, @Nullable InetSocketAddress remoteAddress) {
		return ("<html><body><h1>" + refusal.status() + " " + refusal.statusText() + "</h1><p>Upgrade request for "
				+ describe(remoteAddress) + " was refused. " + refusal.message() + "</p></body></html>")
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

	private Refused refuse(Attempt attempt, UpgradeRefusal refusal) {
		this.observer.upgradeRejected(refusal);
		if (logger.isDebugEnabled()) {
			logger.debug("Refused Cryo upgrade from " + describe(attempt.remoteAddress()) + ": " + refusal.message());
		}
		return new Refused(refusal);
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
	 */
	public record Attempt(String path, @Nullable String rawQuery, List<String> offeredSubprotocols,
			@Nullable String authorizationHeader, @Nullable InetSocketAddress remoteAddress) {

		public Attempt {
			Assert.notNull(path, "'path' must not be null");
			offeredSubprotocols = List.copyOf(offeredSubprotocols);
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
	 * {@link #refusalBody}, and creates nothing.
	 *
	 * @param refusal the refusal
	 */
	public record Refused(UpgradeRefusal refusal) implements Decision {

	}

}
