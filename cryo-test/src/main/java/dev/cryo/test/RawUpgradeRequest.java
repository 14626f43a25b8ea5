package dev.cryo.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends a WebSocket upgrade request over a plain socket and reads the complete HTTP response, so
 * tests can check the exact status, headers and body of a refusal (cryo-v1.md §2.4). The path
 * and query go out byte for byte as given, so percent-encodings reach the server unchanged.
 */
public final class RawUpgradeRequest {

	private RawUpgradeRequest() {
	}

	/**
	 * Requests an upgrade of {@code pathAndQuery} (raw, already encoded) on localhost.
	 * @param port the server's port
	 * @param pathAndQuery the request target
	 * @param extraHeaders additional request headers, e.g. {@code Authorization}
	 * @return the response; for a 101 without a body
	 * @throws IOException when the connection fails
	 */
	public static Response send(int port, String pathAndQuery, Map<String, String> extraHeaders) throws IOException {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(bytes(port, pathAndQuery, extraHeaders));
			out.flush();
			return read(socket.getInputStream());
		}
	}

	/**
	 * Returns the bytes of an upgrade request of {@code pathAndQuery} (raw, already encoded) on
	 * localhost, for a test that keeps the socket itself (to reset it, say).
	 * @param port the server's port
	 * @param pathAndQuery the request target
	 * @param extraHeaders additional request headers
	 * @return the request, ISO-8859-1
	 */
	public static byte[] bytes(int port, String pathAndQuery, Map<String, String> extraHeaders) {
		StringBuilder request = new StringBuilder();
		request.append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n");
		request.append("Host: localhost:").append(port).append("\r\n");
		request.append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
		request.append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
		extraHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
		request.append("\r\n");
		return request.toString().getBytes(StandardCharsets.ISO_8859_1);
	}

	/**
	 * Reads one line of an HTTP response head, without its line end.
	 * @param in the response
	 * @return the line, empty at the end of the head or of the stream
	 * @throws IOException when reading fails
	 */
	public static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1 && b != '\n') {
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

	private static Response read(InputStream in) throws IOException {
		String statusLine = readLine(in);
		Map<String, String> headers = new LinkedHashMap<>();
		for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
			int colon = line.indexOf(':');
			headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
		}
		int status = Integer.parseInt(statusLine.split(" ")[1]);
		if (status == 101) {
			return new Response(status, headers, "");
		}
		String length = headers.get("content-length");
		byte[] body;
		if (length != null) {
			body = in.readNBytes(Integer.parseInt(length));
		}
		else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			body = readChunked(in);
		}
		else {
			body = in.readAllBytes();
		}
		return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
	}

	private static byte[] readChunked(InputStream in) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		while (true) {
			int size = Integer.parseInt(readLine(in).trim(), 16);
			if (size == 0) {
				readLine(in);
				return body.toByteArray();
			}
			body.writeBytes(in.readNBytes(size));
			readLine(in);
		}
	}

	/**
	 * Status, lower-cased header names, and body of the response.
	 *
	 * @param status the HTTP status
	 * @param headers the headers by lower-cased name
	 * @param body the body as UTF-8
	 */
	public record Response(int status, Map<String, String> headers, String body) {
	}

}
