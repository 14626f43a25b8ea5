package dev.cryo.client;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A WebSocket server of a few lines for the client's tests: it accepts one connection at a
 * time on the test's thread, shows the upgrade request as it arrived, answers it with the
 * subprotocol the test chooses (or none), and then reads and writes whole binary messages and
 * close frames byte for byte. It implements just enough of RFC 6455 for the JDK client.
 */
final class RawWebSocketServer implements AutoCloseable {

	private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private final ServerSocket socket;

	RawWebSocketServer() throws IOException {
		this.socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
	}

	URI endpoint() {
		return URI.create("ws://localhost:" + this.socket.getLocalPort() + "/cryo");
	}

	/**
	 * Accepts the next connection and reads its upgrade request.
	 * @param timeout how long to wait for it
	 * @return the connection, not answered yet
	 */
	Connection accept(Duration timeout) throws IOException {
		this.socket.setSoTimeout((int) timeout.toMillis());
		Socket accepted = this.socket.accept();
		accepted.setSoTimeout((int) timeout.toMillis());
		accepted.setTcpNoDelay(true);
		return new Connection(accepted);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/** One accepted connection. */
	static final class Connection implements AutoCloseable {

		private final Socket socket;

		private final DataInputStream in;

		private final OutputStream out;

		private final String target;

		private final Map<String, String> headers = new LinkedHashMap<>();

		Connection(Socket socket) throws IOException {
			this.socket = socket;
			this.in = new DataInputStream(socket.getInputStream());
			this.out = socket.getOutputStream();
			String requestLine = readLine(this.in);
			this.target = requestLine.split(" ")[1];
			String line;
			while (!(line = readLine(this.in)).isEmpty()) {
				int colon = line.indexOf(':');
				this.headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
			}
		}

		/** The request target: path and raw query. */
		String target() {
			return this.target;
		}

		/** The raw query of the upgrade request. */
		String rawQuery() {
			int question = this.target.indexOf('?');
			return (question >= 0) ? this.target.substring(question + 1) : "";
		}

		/** The names of the query parameters, in order, exactly as spelled. */
		List<String> parameterNames() {
			List<String> names = new ArrayList<>();
			for (String pair : rawQuery().split("&")) {
				int equals = pair.indexOf('=');
				names.add((equals >= 0) ? pair.substring(0, equals) : pair);
			}
			return names;
		}

		/** A query parameter's raw value. */
		@Nullable String parameter(String name) {
			for (String pair : rawQuery().split("&")) {
				int equals = pair.indexOf('=');
				if (equals >= 0 && pair.substring(0, equals).equals(name)) {
					return pair.substring(equals + 1);
				}
			}
			return null;
		}

		/** A request header, by its name in lower case. */
		@Nullable String header(String name) {
			return this.headers.get(name);
		}

		/**
		 * Answers the upgrade with 101.
		 * @param subprotocol the {@code Sec-WebSocket-Protocol} to answer, or {@code null} for none
		 */
		void accept(@Nullable String subprotocol) throws IOException {
			String key = this.headers.get("sec-websocket-key");
			StringBuilder response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n")
				.append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
				.append("Sec-WebSocket-Accept: ").append(acceptKey(key)).append("\r\n");
			if (subprotocol != null) {
				response.append("Sec-WebSocket-Protocol: ").append(subprotocol).append("\r\n");
			}
			response.append("\r\n");
			this.out.write(response.toString().getBytes(StandardCharsets.US_ASCII));
			this.out.flush();
		}

		/** Refuses the upgrade with 401 and closes. */
		void refuse(String message) throws IOException {
			byte[] body = ("<html><body><p>Upgrade request was refused. " + message + "</p></body></html>")
				.getBytes(StandardCharsets.UTF_8);
			String head = "HTTP/1.1 401 Unauthorized\r\nContent-Type: text/html\r\nContent-Length: " + body.length
					+ "\r\nConnection: close\r\n\r\n";
			this.out.write(head.getBytes(StandardCharsets.US_ASCII));
			this.out.write(body);
			this.out.flush();
			this.socket.close();
		}

		/** Writes one binary message as one unmasked frame. */
		void sendBinary(ByteBuffer message) throws IOException {
			byte[] payload = new byte[message.remaining()];
			message.duplicate().get(payload);
			writeFrame(0x2, payload);
		}

		/** Writes a close frame. */
		void sendClose(int code, String reason) throws IOException {
			byte[] text = reason.getBytes(StandardCharsets.UTF_8);
			ByteBuffer payload = ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text);
			writeFrame(0x8, payload.array());
		}

		private void writeFrame(int opcode, byte[] payload) throws IOException {
			ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
			frame.write(0x80 | opcode);
			if (payload.length < 126) {
				frame.write(payload.length);
			}
			else if (payload.length < 65536) {
				frame.write(126);
				frame.write(payload.length >>> 8);
				frame.write(payload.length);
			}
			else {
				frame.write(127);
				frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
			}
			frame.writeBytes(payload);
			synchronized (this.out) {
				this.out.write(frame.toByteArray());
				this.out.flush();
			}
		}

		/**
		 * Reads the next whole message; pings are answered and skipped.
		 * @return the message
		 * @throws SocketTimeoutException when nothing arrives within the accept timeout
		 */
		Message read() throws IOException {
			ByteArrayOutputStream assembled = new ByteArrayOutputStream();
			int messageOpcode = -1;
			while (true) {
				int first = this.in.readUnsignedByte();
				int second = this.in.readUnsignedByte();
				boolean fin = (first & 0x80) != 0;
				int opcode = first & 0x0F;
				long length = second & 0x7F;
				if (length == 126) {
					length = this.in.readUnsignedShort();
				}
				else if (length == 127) {
					length = this.in.readLong();
				}
				byte[] mask = new byte[4];
				if ((second & 0x80) != 0) {
					this.in.readFully(mask);
				}
				byte[] payload = new byte[Math.toIntExact(length)];
				this.in.readFully(payload);
				for (int i = 0; i < payload.length; i++) {
					payload[i] ^= mask[i % 4];
				}
				if (opcode == 0x9) {
					writeFrame(0xA, payload);
					continue;
				}
				if (opcode == 0xA) {
					continue;
				}
				if (opcode == 0x8) {
					return new Message(opcode, payload);
				}
				if (opcode != 0) {
					messageOpcode = opcode;
				}
				assembled.writeBytes(payload);
				if (fin) {
					return new Message(messageOpcode, assembled.toByteArray());
				}
			}
		}

		/** Reads messages until a binary one arrives. */
		ByteBuffer readBinary() throws IOException {
			while (true) {
				Message message = read();
				if (message.isClose()) {
					throw new EOFException("Closed by the client: " + message.closeCode() + " " + message.closeReason());
				}
				if (message.opcode() == 0x2) {
					return ByteBuffer.wrap(message.payload());
				}
			}
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

		private static String readLine(InputStream in) throws IOException {
			StringBuilder line = new StringBuilder();
			int b;
			while ((b = in.read()) != -1) {
				if (b == '\n') {
					break;
				}
				if (b != '\r') {
					line.append((char) b);
				}
			}
			if (b == -1 && line.length() == 0) {
				throw new EOFException("The client closed before its upgrade request was complete");
			}
			return line.toString();
		}

		private static String acceptKey(@Nullable String key) {
			try {
				byte[] digest = MessageDigest.getInstance("SHA-1")
					.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
				return Base64.getEncoder().encodeToString(digest);
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	/** A WebSocket message or close frame as it arrived, unmasked. */
	record Message(int opcode, byte[] payload) {

		boolean isClose() {
			return this.opcode == 0x8;
		}

		int closeCode() {
			return (this.payload.length >= 2) ? ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF) : 1005;
		}

		String closeReason() {
			return (this.payload.length > 2) ? new String(this.payload, 2, this.payload.length - 2, StandardCharsets.UTF_8)
					: "";
		}

	}

}
