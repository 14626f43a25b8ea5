package dev.cryo.server.netty;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;

/**
 * An upgrade request as Spring's {@link HttpRequest}, for the shared Origin rule: its URI is the
 * server as the client addressed it ({@code Host}, without the path, which no origin has), with
 * the scheme of the connection, which is what a same-origin page's {@code Origin} names.
 */
final class UpgradeHttpRequest implements HttpRequest {

	/** Stands for a {@code Host} that is missing or no authority: no origin is the same as it. */
	private static final String UNKNOWN_HOST = "unknown.invalid";

	private final URI uri;

	private final HttpHeaders headers;

	private final Map<String, Object> attributes = new HashMap<>();

	UpgradeHttpRequest(boolean secure, @Nullable String host, HttpHeaders headers) {
		this.uri = uri(secure ? "https" : "http", host);
		this.headers = headers;
	}

	private static URI uri(String scheme, @Nullable String host) {
		try {
			URI parsed = new URI(scheme + "://" + ((host != null && !host.isEmpty()) ? host : UNKNOWN_HOST) + "/");
			if (parsed.getHost() != null) {
				return parsed;
			}
		}
		catch (URISyntaxException ex) {
			// Falls through: a Host that is no authority matches no Origin.
		}
		return URI.create(scheme + "://" + UNKNOWN_HOST + "/");
	}

	@Override
	public HttpMethod getMethod() {
		return HttpMethod.GET;
	}

	@Override
	public URI getURI() {
		return this.uri;
	}

	@Override
	public Map<String, Object> getAttributes() {
		return this.attributes;
	}

	@Override
	public HttpHeaders getHeaders() {
		return this.headers;
	}

}
