package dev.cryo.endpoint.wire;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.util.Assert;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.WebUtils;

import dev.cryo.core.LogText;

/**
 * Refuses upgrades from browser pages whose origin a {@link YoctopusOriginPolicy} does not allow,
 * with 403 and an empty body, before any other check. A request without {@code Origin} and a
 * same-origin request are always allowed. A policy that throws refuses.
 */
public final class YoctopusOriginInterceptor implements HandshakeInterceptor {

	private static final Log logger = LogFactory.getLog(YoctopusOriginInterceptor.class);

	private final YoctopusOriginPolicy policy;

	/**
	 * Creates the interceptor.
	 * @param policy decides which origins are allowed
	 */
	public YoctopusOriginInterceptor(YoctopusOriginPolicy policy) {
		Assert.notNull(policy, "'policy' must not be null");
		this.policy = policy;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		String origin = request.getHeaders().getOrigin();
		if (origin == null || isSameOrigin(request) || allows(origin)) {
			return true;
		}
		response.setStatusCode(HttpStatus.FORBIDDEN);
		if (logger.isDebugEnabled()) {
			logger.debug("Refused a yoctopus upgrade from origin \"" + LogText.escape(origin, 200) + "\" with 403");
		}
		return false;
	}

	private boolean allows(String origin) {
		try {
			return this.policy.allows(origin);
		}
		catch (RuntimeException ex) {
			logger.warn("YoctopusOriginPolicy threw " + ex.getClass().getName() + "; refusing the upgrade");
			return false;
		}
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

}
