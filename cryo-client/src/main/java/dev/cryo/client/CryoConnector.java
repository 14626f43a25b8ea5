package dev.cryo.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.engine.CryoTransport;
import dev.cryo.core.engine.ProtocolSession;
import dev.cryo.core.frame.EndpointInfoFrame;

/**
 * Opens the WebSocket of one Cryo connection attempt: the upgrade request carries
 * {@code authorization=Bearer <token>} and the session id in the query (cryo-v1.md §2.1:
 * {@code x-cryo-sid}; camp.md §1: {@code x-camp-sid}, with the {@code camp} subprotocol
 * offered), and the opened connection is handed to a {@link ProtocolSession} that the caller creates.
 * Failures are turned into {@link CryoConnectException}s whose messages never contain the
 * token.
 *
 * <p>Used by {@link CryoClient} for every connection of a session and by servers that open
 * links to peer servers. It lives next to the exceptions it reports, so that this package
 * depends on no package of the client below it.
 */
public final class CryoConnector {

	/** The query parameter that carries the credentials. */
	public static final String AUTHORIZATION_PARAMETER = "authorization";

	/** The query parameter that carries the session id in Cryo v1. */
	public static final String SID_PARAMETER = "x-cryo-sid";

	private static final String REFUSAL_MARKER = "was refused. ";

	private final HttpClient httpClient;

	private final ScheduledExecutorService scheduler;

	private final Duration closeTimeout;

	/**
	 * Creates a connector.
	 * @param httpClient the client whose WebSocket builder opens the connections
	 * @param scheduler the timer that cuts off peers that do not answer a close
	 * @param closeTimeout how long a close waits for the peer's close frame
	 */
	public CryoConnector(HttpClient httpClient, ScheduledExecutorService scheduler, Duration closeTimeout) {
		this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
		this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
	}

	/**
	 * Opens a Cryo v1 connection and runs the Cryo handshake on it (cryo-v1.md §3, client side).
	 * See {@link #connect(URI, String, SessionId, Map, Duration, CryoClientDialect, Function)}.
	 * @param endpoint the server's Cryo endpoint, {@code ws:} or {@code wss:}
	 * @param token the bearer token
	 * @param sid the session id for this connection; numeric
	 * @param parameters further query parameters
	 * @param timeout the limit for everything from the TCP connect to the established session
	 * @param sessionFactory creates (but does not start) the session for the open connection
	 * @return completes with the session once it is established
	 */
	public CompletableFuture<ProtocolSession> connect(URI endpoint, String token, SessionId sid,
			Map<String, String> parameters, Duration timeout, Function<CryoTransport, ProtocolSession> sessionFactory) {
		return connect(endpoint, token, sid, parameters, timeout, CryoClientDialect.CRYO_V1, sessionFactory);
	}

	/**
	 * Opens a connection in a dialect and runs the handshake on it (cryo-v1.md §3, client side;
	 * camp.md §1 and §6): the upgrade carries the session id in the dialect's parameter and
	 * offers its subprotocol, and a server that does not answer an offered subprotocol is left
	 * before anything is sent.
	 * @param endpoint the server's Cryo endpoint, {@code ws:} or {@code wss:}
	 * @param token the bearer token
	 * @param sid the session id for this connection; numeric
	 * @param parameters further query parameters
	 * @param timeout the limit for everything from the TCP connect to the established session
	 * @param dialect the dialect: the upgrade's session id parameter and subprotocol; the
	 * session the factory creates must speak its {@linkplain CryoClientDialect#wireDialect()
	 * wire dialect}
	 * @param sessionFactory creates (but does not start) the session for the open connection;
	 * called once, before anything is read
	 * @return completes with the session once it is established: the server's ENDPOINT_INFO
	 * was accepted and ours was ACKed. Fails with a {@link CryoConnectException}: a
	 * {@link CryoHandshakeRefusedException} for a refused upgrade, a
	 * {@link CryoDialectMismatchException} when the offered subprotocol was not answered, a
	 * {@link CryoConnectTimeoutException}, a {@link CryoProtocolMismatchException}, or the
	 * base class when the server is unreachable or closes during the handshake. A connection
	 * that fails after the WebSocket opened is closed.
	 */
	public CompletableFuture<ProtocolSession> connect(URI endpoint, String token, SessionId sid,
			Map<String, String> parameters, Duration timeout, CryoClientDialect dialect,
			Function<CryoTransport, ProtocolSession> sessionFactory) {
		URI target = upgradeUri(endpoint, token, sid, parameters, dialect);
		URI shown = withoutQuery(endpoint);
		CompletableFuture<ProtocolSession> established = new CompletableFuture<>();
		JdkWebSocketTransport transport = new JdkWebSocketTransport((opened) -> {
			ProtocolSession session = sessionFactory.apply(opened);
			// Ours goes first (§3); the client waits for its ACK as well as for the server's
			// ENDPOINT_INFO, so a transaction it starts at once is safe even with the reference
			// server (§3 item 5).
			CompletableFuture<Void> acknowledged = session.start();
			CompletableFuture.allOf(acknowledged, session.readyFuture()).whenComplete((result, failure) -> {
				if (failure == null) {
					established.complete(session);
				}
				else if (established.completeExceptionally(handshakeFailure(shown, session, failure))) {
					session.closeNow(CloseCodes.NORMAL, "Handshake failed.");
				}
			});
			return session;
		}, this.scheduler, this.closeTimeout, dialect.subprotocol());
		transport.opened.whenComplete((session, failure) -> {
			if (failure != null) {
				established.completeExceptionally(translate(shown, timeout, failure));
			}
		});
		WebSocket.Builder builder = this.httpClient.newWebSocketBuilder().connectTimeout(timeout);
		String subprotocol = dialect.subprotocol();
		if (subprotocol != null) {
			builder.subprotocols(subprotocol);
		}
		try {
			builder.buildAsync(target, transport).whenComplete((webSocket, failure) -> {
				if (failure != null) {
					transport.opened.completeExceptionally(failure);
				}
			});
		}
		catch (RuntimeException ex) {
			transport.opened.completeExceptionally(ex);
		}
		ScheduledFuture<?> deadline = this.scheduler.schedule(() -> {
			if (established.completeExceptionally(new CryoConnectTimeoutException(shown, timeout, null))) {
				ProtocolSession session = transport.opened.getNow(null);
				if (session != null) {
					session.closeNow(CloseCodes.NORMAL, "Connect timeout.");
				}
			}
		}, timeout.toNanos(), TimeUnit.NANOSECONDS);
		established.whenComplete((session, failure) -> deadline.cancel(false));
		// A WebSocket that opens after the deadline is closed at once.
		transport.opened.thenAccept((session) -> {
			if (established.isCompletedExceptionally()) {
				session.closeNow(CloseCodes.NORMAL, "Connect timeout.");
			}
		});
		return established;
	}

	private static CryoConnectException handshakeFailure(URI endpoint, ProtocolSession session, Throwable failure) {
		long version = session.peerVersion();
		if (version >= 0 && version != EndpointInfoFrame.PROTOCOL_VERSION) {
			return new CryoProtocolMismatchException(endpoint, version);
		}
		Throwable cause = unwrap(failure);
		return new CryoConnectException(endpoint, "the Cryo handshake failed: " + cause.getMessage(), cause);
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	/**
	 * Builds the Cryo v1 upgrade URI; see
	 * {@link #upgradeUri(URI, String, SessionId, Map, CryoClientDialect)}.
	 * @param endpoint the endpoint
	 * @param token the bearer token
	 * @param sid the session id, numeric: Cryo v1 sends it as an unsigned decimal
	 * @param parameters further query parameters; they may not use the reserved names
	 * @return the URI to upgrade
	 * @throws IllegalArgumentException if the sid is a UUID or a parameter uses a reserved name
	 */
	public static URI upgradeUri(URI endpoint, String token, SessionId sid, Map<String, String> parameters) {
		return upgradeUri(endpoint, token, sid, parameters, CryoClientDialect.CRYO_V1);
	}

	/**
	 * Builds the upgrade URI: the endpoint's own query, then the given parameters, then the
	 * credentials and the session id in the dialect's parameter, all form-encoded.
	 * @param endpoint the endpoint
	 * @param token the bearer token
	 * @param sid the session id, numeric: both dialects send it as an unsigned decimal
	 * @param parameters further query parameters; they may not be {@code authorization} nor
	 * the session id parameter of any dialect ({@code x-cryo-sid}, {@code x-camp-sid},
	 * {@code x-CAMP-sid}), since a server picks the dialect by the latter (camp.md §1)
	 * @param dialect the dialect, whose parameter carries the session id
	 * @return the URI to upgrade
	 * @throws IllegalArgumentException if the sid is a UUID or a parameter uses a reserved name
	 */
	public static URI upgradeUri(URI endpoint, String token, SessionId sid, Map<String, String> parameters,
			CryoClientDialect dialect) {
		if (!sid.isNumeric()) {
			throw new IllegalArgumentException("The " + dialect.name() + " client takes numeric session ids only, not "
					+ sid);
		}
		StringBuilder query = new StringBuilder();
		String existing = endpoint.getRawQuery();
		if (existing != null && !existing.isEmpty()) {
			query.append(existing);
		}
		parameters.forEach((name, value) -> {
			if (isReserved(name)) {
				throw new IllegalArgumentException("The query parameter '" + name + "' is set by the client");
			}
			appendParameter(query, name, value);
		});
		appendParameter(query, AUTHORIZATION_PARAMETER, "Bearer " + token);
		appendParameter(query, dialect.sessionIdParameter(), sid.toString());
		String path = (endpoint.getRawPath() != null) ? endpoint.getRawPath() : "";
		try {
			return new URI(endpoint.getScheme() + "://" + endpoint.getRawAuthority() + path + "?" + query);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("Invalid Cryo endpoint " + withoutQuery(endpoint), ex);
		}
	}

	/**
	 * Returns whether a query parameter is set by the client itself: the credentials and the
	 * session id parameters of every dialect.
	 * @param name the parameter name
	 * @return whether an application may not set it
	 */
	static boolean isReserved(String name) {
		return AUTHORIZATION_PARAMETER.equals(name) || CryoClientDialect.SESSION_ID_PARAMETERS.contains(name);
	}

	private static void appendParameter(StringBuilder query, String name, String value) {
		if (query.length() > 0) {
			query.append('&');
		}
		query.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
			.append('=')
			.append(URLEncoder.encode(value, StandardCharsets.UTF_8));
	}

	/**
	 * Returns the endpoint without its query and fragment, fit for messages and logs.
	 * @param endpoint the endpoint
	 * @return the endpoint without query
	 */
	public static URI withoutQuery(URI endpoint) {
		try {
			return new URI(endpoint.getScheme(), endpoint.getAuthority(), endpoint.getPath(), null, null);
		}
		catch (URISyntaxException ex) {
			return URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority());
		}
	}

	private static CryoConnectException translate(URI endpoint, Duration timeout, Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof CryoConnectException connectException) {
			return connectException;
		}
		if (cause instanceof JdkWebSocketTransport.SubprotocolNotAnsweredException notAnswered) {
			return new CryoDialectMismatchException(endpoint, notAnswered.offered(), notAnswered.answered());
		}
		if (cause instanceof WebSocketHandshakeException refusal) {
			return new CryoHandshakeRefusedException(endpoint, refusal.getResponse().statusCode(),
					serverMessage(refusal.getResponse().body()));
		}
		if (cause instanceof HttpTimeoutException) {
			return new CryoConnectTimeoutException(endpoint, timeout, cause);
		}
		String detail = cause.getMessage();
		return new CryoConnectException(endpoint,
				cause.getClass().getSimpleName() + ((detail != null) ? ": " + detail : ""), cause);
	}

	/**
	 * Pulls the human-readable message out of a refusal body. The body is informational
	 * (cryo-v1.md §2.4), so this only serves the exception message.
	 */
	static String serverMessage(@Nullable Object body) {
		String text;
		if (body instanceof String string) {
			text = string;
		}
		else if (body instanceof byte[] bytes) {
			text = new String(bytes, StandardCharsets.UTF_8);
		}
		else {
			return "";
		}
		String plain = text.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
		int marker = plain.indexOf(REFUSAL_MARKER);
		String message = (marker >= 0) ? plain.substring(marker + REFUSAL_MARKER.length()).trim() : plain;
		return (message.length() > 200) ? message.substring(0, 200) + "…" : message;
	}

}
