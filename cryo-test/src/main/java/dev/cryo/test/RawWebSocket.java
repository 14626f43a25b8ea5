package dev.cryo.test;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket, for tests about what travels in which TCP read: it sends
 * an upgrade request, reads the response head with ordinary {@code read} calls and remembers how
 * many bytes after the head came in the same read that completed it — what a client that attaches
 * its message listener only after the handshake would lose (cryo-v1.md §3 rule 2, camp.md §6).
 * After a 101 it reads and writes unfragmented binary messages.
 *
 * <pre class="code">
 * try (RawWebSocket socket = RawWebSocket.open(port, "/cryo?authorization=Bearer+secret&amp;x-cryo-sid=1", Map.of())) {
 *     assertThat(socket.status()).isEqualTo(101);
 *     assertThat(socket.bytesInTheReadOfTheHead()).isZero();
 *     byte[] endpointInfo = socket.readMessage();
 * }
 * </pre>
 */
public final class RawWebSocket implements AutoCloseable {

	private static final byte[] HEAD_END = { '\r', '\n', '\r', '\n' };

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private final int status;

	private final Map<String, String> headers;

	private final int bytesInTheReadOfTheHead;

	/** Bytes read past the head and not handed out yet. */
	private byte[] pending;

	private int pendingOffset;

	private RawWebSocket(Socket socket, int status, Map<String, String> headers, byte[] afterHead) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
		this.out = socket.getOutputStream();
		this.status = status;
		this.headers = headers;
		this.bytesInTheReadOfTheHead = afterHead.length;
		this.pending = afterHead;
	}

	/**
	 * Sends an upgrade request of {@code pathAndQuery} (raw, already encoded) on localhost and
	 * reads the response head.
	 * @param port the server's port
	 * @param pathAndQuery the request target
	 * @param extraHeaders additional request headers, e.g. {@code Sec-WebSocket-Protocol}
	 * @return the connection, upgraded when {@link #status()} is 101
	 * @throws IOException when the connection fails or ends before the head does
	 */
	public static RawWebSocket open(int port, String pathAndQuery, Map<String, String> extraHeaders)
			throws IOException {
		Socket socket = new Socket("localhost", port);
		try {
			socket.setSoTimeout(10_000);
			socket.setTcpNoDelay(true);
			OutputStream out = socket.getOutputStream();
			out.write(RawUpgradeRequest.bytes(port, pathAndQuery, extraHeaders));
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			int headEnd;
			// Whole reads, as a client's socket does them: the head ends inside the last one.
			while ((headEnd = indexOf(received.toByteArray(), HEAD_END)) < 0) {
				int read = in.read(buffer);
				if (read < 0) {
					throw new EOFException("Connection closed before the end of the response head");
				}
				received.write(buffer, 0, read);
			}
			byte[] all = received.toByteArray();
			String head = new String(all, 0, headEnd, StandardCharsets.ISO_8859_1);
			String[] lines = head.split("\r\n");
			int status = Integer.parseInt(lines[0].split(" ")[1]);
			Map<String, String> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).trim());
			}
			byte[] afterHead = new byte[all.length - headEnd - HEAD_END.length];
			System.arraycopy(all, headEnd + HEAD_END.length, afterHead, 0, afterHead.length);
			return new RawWebSocket(socket, status, headers, afterHead);
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * Returns the status of the response.
	 * @return 101 for an accepted upgrade
	 */
	public int status() {
		return this.status;
	}

	/**
	 * Returns the response headers by lower-cased name.
	 * @return the headers
	 */
	public Map<String, String> headers() {
		return this.headers;
	}

	/**
	 * Returns how many bytes followed the response head in the read that completed it.
	 * @return 0 when the first WebSocket frame came in a later read
	 */
	public int bytesInTheReadOfTheHead() {
		return this.bytesInTheReadOfTheHead;
	}

	/**
	 * Reads one unfragmented binary message from the server (which never masks).
	 * @return the message's payload
	 * @throws IOException when reading fails, or the next frame is not a whole binary message
	 */
	public byte[] readMessage() throws IOException {
		int first = readByte();
		int second = readByte();
		if (first != 0x82) {
			throw new IOException("Expected an unfragmented binary message, got opcode byte 0x"
					+ Integer.toHexString(first));
		}
		long length = second & 0x7F;
		if (length == 126) {
			length = ((long) readByte() << 8) | readByte();
		}
		else if (length == 127) {
			length = 0;
			for (int i = 0; i < 8; i++) {
				length = (length << 8) | readByte();
			}
		}
		byte[] payload = new byte[Math.toIntExact(length)];
		for (int i = 0; i < payload.length; i++) {
			payload[i] = (byte) readByte();
		}
		return payload;
	}

	/**
	 * Sends one binary message, masked as a client must.
	 * @param message the payload
	 * @throws IOException when writing fails
	 */
	public void sendBinary(byte[] message) throws IOException {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write(0x82);
		if (message.length < 126) {
			frame.write(0x80 | message.length);
		}
		else if (message.length <= 0xFFFF) {
			frame.write(0x80 | 126);
			frame.write(message.length >>> 8);
			frame.write(message.length & 0xFF);
		}
		else {
			frame.write(0x80 | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				frame.write((int) (((long) message.length >>> shift) & 0xFF));
			}
		}
		byte[] mask = new byte[4];
		ThreadLocalRandom.current().nextBytes(mask);
		frame.writeBytes(mask);
		for (int i = 0; i < message.length; i++) {
			frame.write(message[i] ^ mask[i & 3]);
		}
		this.out.write(frame.toByteArray());
		this.out.flush();
	}

	private int readByte() throws IOException {
		if (this.pendingOffset < this.pending.length) {
			return this.pending[this.pendingOffset++] & 0xFF;
		}
		int b = this.in.read();
		if (b < 0) {
			throw new EOFException("Connection closed");
		}
		return b;
	}

	private static int indexOf(byte[] data, byte[] pattern) {
		outer: for (int i = 0; i + pattern.length <= data.length; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (data[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
