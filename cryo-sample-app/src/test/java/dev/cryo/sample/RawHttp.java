package dev.cryo.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Performs a WebSocket upgrade request over a plain {@link Socket} so that the exact HTTP
 * response (status line, headers, body bytes, and whether the server closes the TCP connection)
 * can be checked against cryo-v1.md §2.4. The request path and query are sent byte for byte as
 * given, so percent-encodings and '+' reach the server unchanged.
 */
final class RawHttp {

	private RawHttp() {
	}

	record Response(String statusLine, int status, Map<String, List<String>> headers, byte[] bodyBytes,
			boolean closedByServer) {

		/** The single value of a header (names are case-insensitive), or null. */
		String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			if (values == null || values.isEmpty()) {
				return null;
			}
			if (values.size() > 1) {
				throw new AssertionError("header " + name + " appears " + values.size() + " times: " + values);
			}
			return values.get(0);
		}

		String body() {
			return new String(this.bodyBytes, StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return this.statusLine + " " + this.headers + " " + body();
		}

	}

	static Response upgrade(int port, String pathAndQuery, Map<String, String> extraHeaders) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(5000);
			StringBuilder request = new StringBuilder();
			request.append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n");
			request.append("Host: 127.0.0.1:").append(port).append("\r\n");
			request.append("Upgrade: websocket\r\n");
			request.append("Connection: Upgrade\r\n");
			request.append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
			request.append("Sec-WebSocket-Version: 13\r\n");
			extraHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
			request.append("\r\n");
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
			out.flush();

			InputStream in = socket.getInputStream();
			String head = readHead(in);
			String[] lines = head.split("\r\n");
			String statusLine = lines[0];
			String[] statusParts = statusLine.split(" ", 3);
			int status = Integer.parseInt(statusParts[1]);
			Map<String, List<String>> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
				String value = lines[i].substring(colon + 1).trim();
				headers.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
			}
			if (status == 101) {
				return new Response(statusLine, status, headers, new byte[0], false);
			}
			byte[] body;
			List<String> contentLength = headers.get("content-length");
			if (contentLength != null) {
				body = in.readNBytes(Integer.parseInt(contentLength.get(0)));
			}
			else {
				body = readToEnd(in);
			}
			return new Response(statusLine, status, headers, body, serverClosed(socket, in));
		}
		catch (IOException ex) {
			throw new AssertionError("raw upgrade request failed", ex);
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] terminator = { '\r', '\n', '\r', '\n' };
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("connection closed inside the response head: "
						+ head.toString(StandardCharsets.ISO_8859_1));
			}
			head.write(b);
			matched = (b == terminator[matched]) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		String text = head.toString(StandardCharsets.ISO_8859_1);
		return text.substring(0, text.length() - 4);
	}

	private static byte[] readToEnd(InputStream in) throws IOException {
		try {
			return in.readAllBytes();
		}
		catch (SocketTimeoutException ex) {
			throw new IOException("response without Content-Length did not end", ex);
		}
	}

	/** Whether the server closes the TCP connection after the response (within 3 s). */
	private static boolean serverClosed(Socket socket, InputStream in) throws IOException {
		socket.setSoTimeout(3000);
		try {
			return in.read() < 0;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (SocketException ex) {
			return true; // reset by the server
		}
	}

}
