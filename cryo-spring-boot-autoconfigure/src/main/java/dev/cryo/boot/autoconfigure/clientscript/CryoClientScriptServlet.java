package dev.cryo.boot.autoconfigure.clientscript;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.cors.CorsConfiguration;

/**
 * Serves the files of the JavaScript client from memory: read once at startup (a few dozen
 * kilobytes), each with a strong ETag of its content and the Last-Modified of its resource, and
 * {@code Cache-Control: no-cache}, so browsers revalidate an address that does not change with
 * the version and get 304 while the file is the same. A page of another origin may import the
 * module if the Cryo endpoint would accept a connection from that origin
 * ({@code cryo.allowed-origins}, {@code cryo.allowed-origin-patterns}): module scripts are
 * fetched with CORS.
 */
final class CryoClientScriptServlet extends HttpServlet {

	private static final long serialVersionUID = 1L;

	private final transient Map<String, ScriptFile> files;

	private final transient CorsConfiguration origins;

	/**
	 * Creates the servlet.
	 * @param files the files it serves, by the name after the servlet's path
	 * @param allowedOrigins origins allowed to import the client besides the server's own
	 * @param allowedOriginPatterns patterns of such origins
	 */
	CryoClientScriptServlet(Map<String, ScriptFile> files, List<String> allowedOrigins,
			List<String> allowedOriginPatterns) {
		this.files = Map.copyOf(files);
		this.origins = new CorsConfiguration();
		this.origins.setAllowedOrigins(List.copyOf(allowedOrigins));
		this.origins.setAllowedOriginPatterns(List.copyOf(allowedOriginPatterns));
	}

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String pathInfo = request.getPathInfo();
		ScriptFile file = (pathInfo != null) ? this.files.get(pathInfo.substring(1)) : null;
		if (file == null) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
			return;
		}
		allowOrigin(request, response);
		response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noCache().getHeaderValue());
		if (new ServletWebRequest(request, response).checkNotModified(file.etag(), file.lastModified())) {
			return;
		}
		response.setContentType(file.contentType());
		response.setContentLength(file.content().length);
		response.getOutputStream().write(file.content());
	}

	private void allowOrigin(HttpServletRequest request, HttpServletResponse response) {
		// Cached responses differ by Origin, whether or not this one carries the header.
		response.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		String allowed = (origin != null) ? this.origins.checkOrigin(origin) : null;
		if (allowed != null) {
			response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
		}
	}

	/**
	 * One served file.
	 * @param content its bytes
	 * @param contentType its {@code Content-Type}
	 * @param etag a strong entity tag of the content
	 * @param lastModified when its resource was last modified, in epoch milliseconds, or
	 * {@code -1} if unknown
	 */
	record ScriptFile(byte[] content, String contentType, String etag, long lastModified) {

		/**
		 * Reads a resource into a served file.
		 * @param resource the resource
		 * @param contentType the file's content type
		 * @return the file
		 */
		static ScriptFile read(Resource resource, String contentType) {
			try (InputStream in = resource.getInputStream()) {
				byte[] content = in.readAllBytes();
				return new ScriptFile(content, contentType, etag(content), lastModified(resource));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read the Cryo client script " + resource, ex);
			}
		}

		private static String etag(byte[] content) {
			try {
				byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
				return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + "\"";
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException("Every Java platform has SHA-256", ex);
			}
		}

		private static long lastModified(Resource resource) {
			try {
				long millis = resource.lastModified();
				// HTTP dates have seconds: a sub-second part would never compare equal.
				return (millis > 0) ? millis / 1000 * 1000 : -1;
			}
			catch (IOException ex) {
				return -1;
			}
		}

	}

}
