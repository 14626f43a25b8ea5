package dev.cryo.endpoint.wire;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.util.Assert;
import org.springframework.util.MultiValueMap;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.HandshakeDetails;
import dev.cryo.server.observer.UpgradeRefusal;
import dev.cryo.server.support.UpgradeGate;

/**
 * Authenticates upgrades of yoctopus's WebSocket endpoint with the application's
 * {@link CryoAuthenticator}, the same one that authenticates Cryo sessions, reading the token as
 * Cryo does: the {@code authorization} query parameter, else the {@code Authorization} header,
 * either of the form {@code Bearer <token>}. The authenticator is asked with the dialect
 * {@value #DIALECT} and waited for at most the timeout. A refusal, a failure or the timeout
 * answers 401 (503 when the authenticator's pool is full) with the body Cryo's refusals have.
 *
 * <p>Without a token the upgrade goes on anonymously, unless authentication is required, which
 * answers 401 {@code No auth data supplied.} An authenticated principal and its attributes are put
 * into the handshake attributes ({@link #PRINCIPAL_ATTRIBUTE},
 * {@link #AUTHENTICATION_ATTRIBUTES_ATTRIBUTE}), where {@link YoctopusWebSocketHandler} reads them.
 * The token is never logged.
 */
public final class YoctopusHandshakeInterceptor implements HandshakeInterceptor {

	/** The handshake attribute that holds the authenticated {@link java.security.Principal}. */
	public static final String PRINCIPAL_ATTRIBUTE = YoctopusHandshakeInterceptor.class.getName() + ".principal";

	/** The handshake attribute that holds the authenticator's attributes of the principal. */
	public static final String AUTHENTICATION_ATTRIBUTES_ATTRIBUTE = YoctopusHandshakeInterceptor.class.getName()
			+ ".authenticationAttributes";

	/** The dialect name the authenticator is told ({@link HandshakeDetails#dialect()}). */
	public static final String DIALECT = "yoctopus";

	private static final String AUTHORIZATION_PARAMETER = "authorization";

	private static final String BEARER_PREFIX = "Bearer ";

	private static final Log logger = LogFactory.getLog(YoctopusHandshakeInterceptor.class);

	private final CryoAuthenticator authenticator;

	private final long timeoutNanos;

	private final boolean requireAuthentication;

	/**
	 * Creates the interceptor.
	 * @param authenticator decides who connects
	 * @param timeout how long an upgrade waits for the authenticator before it is refused with 401
	 * @param requireAuthentication whether an upgrade without a token is refused rather than let in
	 * anonymously
	 */
	public YoctopusHandshakeInterceptor(CryoAuthenticator authenticator, Duration timeout,
			boolean requireAuthentication) {
		Assert.notNull(authenticator, "'authenticator' must not be null");
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		this.authenticator = authenticator;
		this.timeoutNanos = timeout.toNanos();
		this.requireAuthentication = requireAuthentication;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws IOException {
		if (!"websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())) {
			// Not an upgrade: the WebSocket stack answers it as it always does.
			return true;
		}
		Map<String, List<String>> parameters = queryParameters(request);
		List<String> values = parameters.remove(AUTHORIZATION_PARAMETER);
		String authorization = (values != null && !values.isEmpty()) ? values.get(0) : null;
		if (authorization == null || authorization.isEmpty()) {
			authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		}
		if (authorization == null || authorization.isEmpty()) {
			return !this.requireAuthentication || refuse(request, response, UpgradeRefusal.NO_AUTH_DATA, null);
		}
		if (!authorization.startsWith(BEARER_PREFIX)) {
			return refuse(request, response, UpgradeRefusal.INCORRECT_AUTH_TYPE, null);
		}
		String token = authorization.substring(BEARER_PREFIX.length());
		if (token.isEmpty()) {
			return refuse(request, response, UpgradeRefusal.INVALID_TOKEN, null);
		}
		HandshakeDetails details = new HandshakeDetails(token, parameters, request.getHeaders(),
				request.getRemoteAddress(), DIALECT, request.getURI().getRawPath());
		CryoAuthentication authentication;
		try {
			authentication = await(details);
		}
		catch (Refusal refusal) {
			return refuse(request, response, refusal.refusal, null);
		}
		if (authentication instanceof CryoAuthentication.Authenticated authenticated) {
			attributes.put(PRINCIPAL_ATTRIBUTE, authenticated.principal());
			attributes.put(AUTHENTICATION_ATTRIBUTES_ATTRIBUTE, authenticated.attributes());
			return true;
		}
		return refuse(request, response, UpgradeRefusal.INVALID_TOKEN,
				((CryoAuthentication.Refused) authentication).message());
	}

	/** Asks the authenticator and waits at most the timeout, so a container thread is never held longer. */
	private CryoAuthentication await(HandshakeDetails details) throws Refusal {
		CompletableFuture<CryoAuthentication> future = null;
		try {
			CompletionStage<CryoAuthentication> stage = this.authenticator.authenticate(details);
			if (stage == null) {
				throw failed("returned no stage");
			}
			future = stage.toCompletableFuture();
			CryoAuthentication authentication = future.get(this.timeoutNanos, TimeUnit.NANOSECONDS);
			if (authentication == null) {
				throw failed("completed with no outcome");
			}
			return authentication;
		}
		catch (TimeoutException ex) {
			// Nobody waits for the answer any more; a pool may skip the work if it has not started.
			future.cancel(false);
			throw new Refusal(UpgradeRefusal.AUTHENTICATION_TIMEOUT);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new Refusal(UpgradeRefusal.AUTHENTICATION_TIMEOUT);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RejectedExecutionException) {
				throw new Refusal(UpgradeRefusal.AUTHENTICATION_OVERLOADED);
			}
			throw failed("failed with " + ((ex.getCause() != null) ? ex.getCause() : ex).getClass().getName());
		}
		catch (CancellationException ex) {
			throw failed("was cancelled");
		}
		catch (RuntimeException ex) {
			throw failed("threw " + ex.getClass().getName());
		}
	}

	private static Refusal failed(String what) {
		// An exception's text may contain the token, so only its type is logged.
		logger.warn("Cryo authenticator " + what + "; refusing the yoctopus upgrade");
		return new Refusal(UpgradeRefusal.INVALID_TOKEN);
	}

	/** The decoded query parameters in request order ({@code +} is a space, as in a form). */
	private static Map<String, List<String>> queryParameters(ServerHttpRequest request) {
		MultiValueMap<String, String> raw = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams();
		Map<String, List<String>> decoded = new LinkedHashMap<>();
		raw.forEach((name, values) -> {
			List<String> list = decoded.computeIfAbsent(decode(name), (key) -> new ArrayList<>());
			for (String value : values) {
				list.add((value != null) ? decode(value) : "");
			}
		});
		return decoded;
	}

	private static String decode(String raw) {
		try {
			return URLDecoder.decode(raw, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			// A malformed escape is kept as it came rather than refusing the whole request.
			return raw;
		}
	}

	private boolean refuse(ServerHttpRequest request, ServerHttpResponse response, UpgradeRefusal refusal,
			@Nullable String message) throws IOException {
		UpgradeGate.Refused refused = (message != null) ? new UpgradeGate.Refused(refusal, message)
				: new UpgradeGate.Refused(refusal);
		byte[] body = UpgradeGate.refusalBody(refused, request.getRemoteAddress());
		response.setStatusCode(HttpStatus.valueOf(refusal.status()));
		HttpHeaders headers = response.getHeaders();
		headers.set(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8");
		headers.setContentLength(body.length);
		headers.set(HttpHeaders.CONNECTION, "close");
		response.getBody().write(body);
		response.flush();
		if (logger.isDebugEnabled()) {
			logger.debug("Refused a yoctopus upgrade with " + refusal.status() + ": " + refusal.message());
		}
		return false;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

	/** Why an authentication ended in a refusal of Cryo's kinds. */
	private static final class Refusal extends Exception {

		private static final long serialVersionUID = 1L;

		private final transient UpgradeRefusal refusal;

		Refusal(UpgradeRefusal refusal) {
			super(refusal.message(), null, false, false);
			this.refusal = refusal;
		}

	}

}
