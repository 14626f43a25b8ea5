package dev.cryo.boot.autoconfigure;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the dedicated Cryo port and the application's own port apart: on the Cryo connector
 * only the Cryo path is served, and on every other connector the Cryo path is not. Both
 * mismatches get 404, as if the resource did not exist there.
 */
final class CryoPortFilter extends OncePerRequestFilter {

	private final CryoConnector connector;

	private final String path;

	CryoPortFilter(CryoConnector connector, String path) {
		this.connector = connector;
		this.path = path;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean onCryoPort = request.getLocalPort() == this.connector.localPort();
		String requestPath = request.getRequestURI().substring(request.getContextPath().length());
		boolean cryoPath = this.path.equals(requestPath);
		if (onCryoPort != cryoPath) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
			return;
		}
		chain.doFilter(request, response);
	}

}
