package dev.cryo.server;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;

/**
 * What an upgrade request tells a {@link CryoAuthenticator}: the bearer token, the query
 * parameters (without {@code authorization}), the request headers, the client's address, the
 * dialect the request was recognised as and the request path. The token is never logged, and
 * {@link #toString()} leaves it and the headers out.
 *
 * @param token the bearer token, everything after {@code Bearer } in the {@code authorization}
 * query parameter or the {@code Authorization} header; the checks of cryo-v1.md §2.3 refuse a
 * request without one before any authenticator is asked, so it is {@code null} only for
 * transports that let such requests through
 * @param queryParameters the decoded query parameters in request order, without
 * {@code authorization}; immutable
 * @param headers the request headers, read-only, names compared without regard to case
 * @param remoteAddress the client's address, {@code null} if the transport does not know it
 * @param dialect the name of the dialect the session will speak, e.g. {@code cryo-v1}
 * @param path the request path within the application
 */
public record HandshakeDetails(@Nullable String token, Map<String, List<String>> queryParameters,
		HttpHeaders headers, @Nullable InetSocketAddress remoteAddress, String dialect, String path) {

	public HandshakeDetails {
		Assert.notNull(queryParameters, "'queryParameters' must not be null");
		Assert.notNull(headers, "'headers' must not be null");
		Assert.notNull(dialect, "'dialect' must not be null");
		Assert.notNull(path, "'path' must not be null");
		Map<String, List<String>> copy = new LinkedHashMap<>();
		queryParameters.forEach((name, values) -> copy.put(name, List.copyOf(values)));
		queryParameters = Collections.unmodifiableMap(copy);
		headers = HttpHeaders.readOnlyHttpHeaders(headers);
	}

	/**
	 * Returns the first value of a query parameter.
	 * @param name the parameter name, compared exactly
	 * @return the value, or {@code null} when the request has none
	 */
	public @Nullable String queryParameter(String name) {
		List<String> values = this.queryParameters.get(name);
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

	@Override
	public String toString() {
		// No token and no headers: either may carry a secret.
		return "HandshakeDetails[path=" + this.path + ", dialect=" + this.dialect + ", remoteAddress="
				+ this.remoteAddress + ", queryParameters=" + this.queryParameters.keySet() + "]";
	}

}
