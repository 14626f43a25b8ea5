package dev.cryo.boot.autoconfigure;

import java.io.IOException;
import java.util.List;
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
 * Paths under a shared prefix (the JavaScript client's) and shared paths (yoctopus's WebSocket
 * endpoint of {@code cryo.endpoints.websocket.path}) are served on both.
 */
final class CryoPortFilter extends OncePerRequestFilter {

	private final CryoConnector connector;

	private final Set<String> paths;

	private final List<String> sharedPrefixes;

	private final Set<String> sharedPaths;

	/**
	 * Creates the filter.
	 * @param connector the dedicated connector
	 * @param paths the paths served only there
	 * @param sharedPrefixes prefixes (ending with {@code /}) of paths served on every connector
	 * @param sharedPaths paths served on every connector
	 */
	CryoPortFilter(CryoConnector connector, Set<String> paths, List<String> sharedPrefixes, Set<String> sharedPaths) {
		this.connector = connector;
		this.paths = Set.copyOf(paths);
		this.sharedPrefixes = List.copyOf(sharedPrefixes);
		this.sharedPaths = Set.copyOf(sharedPaths);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String requestPath = request.getRequestURI().substring(request.getContextPath().length());
		if (!this.sharedPaths.contains(requestPath) && this.sharedPrefixes.stream().noneMatch(requestPath::startsWith)) {
			boolean onCryoPort = request.getLocalPort() == this.connector.localPort();
			boolean cryoPath = this.paths.contains(requestPath);
			if (onCryoPort != cryoPath) {
				response.sendError(HttpServletResponse.SC_NOT_FOUND);
				return;
			}
		}
		chain.doFilter(request, response);
	}

}
