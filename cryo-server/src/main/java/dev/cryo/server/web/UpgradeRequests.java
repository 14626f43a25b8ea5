package dev.cryo.server.web;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.util.UrlPathHelper;

import dev.cryo.core.dialect.UpgradeRequest;
import dev.cryo.server.support.UpgradeGate;

/**
 * Builds the transport-neutral {@link UpgradeRequest} that dialects are recognised by from an
 * HTTP upgrade request.
 */
final class UpgradeRequests {

	static final String SEC_WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol";

	private UpgradeRequests() {
	}

	/**
	 * Returns the dialects' view of a request, as {@link UpgradeGate#upgradeRequest} builds it.
	 * @param request the upgrade request
	 * @return the view
	 */
	static UpgradeRequest of(ServerHttpRequest request) {
		return UpgradeGate.upgradeRequest(path(request), rawQuery(request), offeredSubprotocols(request));
	}

	/**
	 * Returns the offered subprotocols in the client's order.
	 * @param request the request
	 * @return the subprotocols
	 */
	static List<String> offeredSubprotocols(ServerHttpRequest request) {
		return UpgradeGate.offeredSubprotocols(request.getHeaders().getOrEmpty(SEC_WEBSOCKET_PROTOCOL));
	}

	/**
	 * Returns the path of a request within the application, as the endpoint's mappings (and
	 * {@code cryo.dialects.legacy.cale-paths}) name it: without the servlet context path.
	 * @param request the request
	 * @return the path
	 */
	static String path(ServerHttpRequest request) {
		if (request instanceof ServletServerHttpRequest servletRequest) {
			return UrlPathHelper.defaultInstance.getPathWithinApplication(servletRequest.getServletRequest());
		}
		String path = request.getURI().getPath();
		return (path != null) ? path : "";
	}

	/**
	 * Returns the undecoded query of a request; from the servlet request where there is one, as
	 * the URI Spring builds may already have re-encoded it.
	 * @param request the request
	 * @return the raw query, or {@code null} when it has none
	 */
	static @Nullable String rawQuery(ServerHttpRequest request) {
		if (request instanceof ServletServerHttpRequest servletRequest) {
			return servletRequest.getServletRequest().getQueryString();
		}
		return request.getURI().getRawQuery();
	}

}
