package dev.cryo.server.web;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
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

import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.server.support.UpgradeGate;

/**
 * The handshake handler of the Cryo endpoint: Spring's default one, except that the container gets
 * a request whose query no longer carries the {@code authorization} parameter. The WebSocket
 * session's URI is built from that request, and both the container and Spring's debug logging
 * print it, so the bearer token must not be in it. The token has been checked by
 * {@link CryoHandshakeInterceptor} by then.
 *
 * <p>The container also sees only the subprotocol of the dialect the interceptor chose, if that
 * dialect answers with one. Spring answers the first offered subprotocol that the handler
 * supports, and the handler supports those of every dialect, so a client that offers two
 * dialects' subprotocols would otherwise get the one it listed first rather than the one of the
 * dialect that serves it.
 *
 * <p>Unless compression is enabled, the container sees no {@code Sec-WebSocket-Extensions}
 * header either, so it declines permessage-deflate, which browsers and the {@code ws} library
 * always offer (cryo-v1.md §1 item 8): with context takeover each session would keep a zlib
 * deflater and inflater, far more native memory than the rest of an idle session. Hiding the
 * offer is the only way to decline it: Tomcat negotiates extensions from the request's header
 * and its own installed extensions, not from the list Spring's handshake handler filters.
 */
public class CryoHandshakeHandler implements HandshakeHandler, Lifecycle, ServletContextAware {

	private static final String SEC_WEBSOCKET_EXTENSIONS = "Sec-WebSocket-Extensions";

	private final DefaultHandshakeHandler delegate = new DefaultHandshakeHandler();

	private final boolean compression;

	/**
	 * Creates a handler that declines permessage-deflate.
	 */
	public CryoHandshakeHandler() {
		this(false);
	}

	/**
	 * Creates a handler.
	 * @param compression whether the container may accept permessage-deflate when a client
	 * offers it
	 */
	public CryoHandshakeHandler(boolean compression) {
		this.compression = compression;
	}

	@Override
	public boolean doHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws HandshakeFailureException {
		ServerHttpRequest redacted = request;
		if (request instanceof ServletServerHttpRequest servletRequest) {
			HttpServletRequest servlet = new WithoutAuthorization(servletRequest.getServletRequest());
			if (attributes.get(CryoWebSocketHandler.DIALECT_ATTRIBUTE) instanceof CryoDialect dialect) {
				String subprotocol = dialect.selectSubprotocol(UpgradeRequests.of(request));
				servlet = new ReplacedHeader(servlet, UpgradeRequests.SEC_WEBSOCKET_PROTOCOL,
						(subprotocol != null) ? List.of(subprotocol) : List.of());
			}
			if (!this.compression) {
				servlet = new ReplacedHeader(servlet, SEC_WEBSOCKET_EXTENSIONS, List.of());
			}
			redacted = new ServletServerHttpRequest(servlet);
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
				if (!UpgradeGate.AUTHORIZATION_PARAMETER.equals(name)) {
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
			parameters.remove(UpgradeGate.AUTHORIZATION_PARAMETER);
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
			return UpgradeGate.AUTHORIZATION_PARAMETER.equals(name);
		}

	}

	/** A request that shows other values, or none, for one header. */
	private static final class ReplacedHeader extends HttpServletRequestWrapper {

		private final String name;

		private final List<String> values;

		ReplacedHeader(HttpServletRequest request, String name, List<String> values) {
			super(request);
			this.name = name;
			this.values = values;
		}

		@Override
		public @Nullable String getHeader(String name) {
			if (!isReplaced(name)) {
				return super.getHeader(name);
			}
			return this.values.isEmpty() ? null : this.values.get(0);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return isReplaced(name) ? Collections.enumeration(this.values) : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			List<String> names = Collections.list(super.getHeaderNames());
			names.removeIf(this::isReplaced);
			if (!this.values.isEmpty()) {
				names.add(this.name);
			}
			return Collections.enumeration(names);
		}

		private boolean isReplaced(String name) {
			return this.name.equalsIgnoreCase(name);
		}

	}

}
