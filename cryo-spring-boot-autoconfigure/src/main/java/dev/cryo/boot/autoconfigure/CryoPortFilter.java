package dev.cryo.boot.autoconfigure;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the dedicated Cryo port and the application's own port apart: on the Cryo connector
 * only the Cryo paths (the endpoint's path and its legacy CALE paths) are served, and on every
 * other connector they are not. Both mismatches get 404, as if the resource did not exist there.
 */
final class CryoPortFilter extends OncePerRequestFilter {

	private final CryoConnector connector;

	private final Set<String> paths;

	CryoPortFilter(CryoConnector connector, Set<String> paths) {
		this.connector = connector;
		this.paths = Set.copyOf(paths);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean onCryoPort = request.getLocalPort() == this.connector.localPort();
		String requestPath = request.getRequestURI().substring(request.getContextPath().length());
		boolean cryoPath = this.paths.contains(requestPath);
		if (onCryoPort != cryoPath) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
			return;
		}
		chain.doFilter(request, response);
	}

}
