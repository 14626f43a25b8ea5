package dev.cryo.server.web;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;
import org.springframework.context.Lifecycle;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.context.ServletContextAware;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The handshake handler of the Cryo endpoint: Spring's default one, except that the container gets
 * a request whose query no longer carries the {@code authorization} parameter. The WebSocket
 * session's URI is built from that request, and both the container and Spring's debug logging
 * print it, so the bearer token must not be in it. The token has been checked by
 * {@link CryoHandshakeInterceptor} by then.
 */
public class CryoHandshakeHandler implements HandshakeHandler, Lifecycle, ServletContextAware {

	private final DefaultHandshakeHandler delegate = new DefaultHandshakeHandler();

	@Override
	public boolean doHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws HandshakeFailureException {
		ServerHttpRequest redacted = request;
		if (request instanceof ServletServerHttpRequest servletRequest) {
			redacted = new ServletServerHttpRequest(new WithoutAuthorization(servletRequest.getServletRequest()));
		}
		return this.delegate.doHandshake(redacted, response, wsHandler, attributes);
	}

	@Override
	public void setServletContext(ServletContext servletContext) {
		this.delegate.setServletContext(servletContext);
	}

	@Override
	public void start() {
		this.delegate.start();
	}

	@Override
	public void stop() {
		this.delegate.stop();
	}

	@Override
	public boolean isRunning() {
		return this.delegate.isRunning();
	}

	/** A request that hides the {@code authorization} query parameter. */
	private static final class WithoutAuthorization extends HttpServletRequestWrapper {

		WithoutAuthorization(HttpServletRequest request) {
			super(request);
		}

		@Override
		public @Nullable String getQueryString() {
			String query = super.getQueryString();
			if (query == null) {
				return null;
			}
			StringJoiner kept = new StringJoiner("&");
			for (String pair : query.split("&", -1)) {
				int equals = pair.indexOf('=');
				String name = (equals >= 0) ? pair.substring(0, equals) : pair;
				if (!CryoHandshakeInterceptor.AUTHORIZATION_PARAMETER.equals(name)) {
					kept.add(pair);
				}
			}
			return kept.toString();
		}

		@Override
		public @Nullable String getParameter(String name) {
			return isHidden(name) ? null : super.getParameter(name);
		}

		@Override
		public Map<String, String[]> getParameterMap() {
			Map<String, String[]> parameters = new LinkedHashMap<>(super.getParameterMap());
			parameters.remove(CryoHandshakeInterceptor.AUTHORIZATION_PARAMETER);
			return Collections.unmodifiableMap(parameters);
		}

		@Override
		public Enumeration<String> getParameterNames() {
			return Collections.enumeration(getParameterMap().keySet());
		}

		@Override
		public String @Nullable [] getParameterValues(String name) {
			return isHidden(name) ? null : super.getParameterValues(name);
		}

		private static boolean isHidden(String name) {
			return CryoHandshakeInterceptor.AUTHORIZATION_PARAMETER.equals(name);
		}

	}

}
