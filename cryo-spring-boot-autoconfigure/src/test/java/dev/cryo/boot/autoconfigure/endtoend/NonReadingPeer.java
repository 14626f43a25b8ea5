package dev.cryo.boot.autoconfigure.endtoend;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.Utf8DataFrame;

/**
 * A Cryo peer on a plain socket that sends and does not read: after the upgrade's response it
 * leaves everything the server sends in its (small) receive buffer, so TCP soon stops the
 * server's writes while the peer keeps writing small UTF8DATA frames. What a flooder does. A test
 * may let it {@linkplain #readUntilClose() read} in the end.
 */
final class NonReadingPeer implements AutoCloseable {

	/** The peer's receive buffer: small, so that the server's writes stall after a few frames. */
	private static final int RECEIVE_BUFFER = 4096;

	private final Socket socket;

	private final OutputStream out;

	private final SessionId sid;

	private int ack;

	private NonReadingPeer(Socket socket, SessionId sid) throws IOException {
		this.socket = socket;
		this.out = socket.getOutputStream();
		this.sid = sid;
	}

	/**
	 * Upgrades a connection to {@code /cryo} with the given token and sends ENDPOINT_INFO.
	 * @param port the server's port
	 * @param token the bearer token
	 * @param sid the session id
	 * @return the peer, upgraded
	 * @throws IOException when the connection or the upgrade fails
	 */
	static NonReadingPeer connect(int port, String token, SessionId sid) throws IOException {
		Socket socket = new Socket();
		// Before connect, so that the window the peer announces stays this small.
		socket.setReceiveBufferSize(RECEIVE_BUFFER);
		socket.connect(new InetSocketAddress("localhost", port), 10_000);
		socket.setSoTimeout(10_000);
		String query = "authorization=" + URLEncoder.encode("Bearer " + token, StandardCharsets.UTF_8) + "&x-cryo-sid="
				+ sid;
		String request = "GET /cryo?" + query + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n"
				+ "Upgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
		socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
		String status = readResponseHead(socket.getInputStream());
		if (!status.startsWith("HTTP/1.1 101")) {
			socket.close();
			throw new IOException("Upgrade refused: " + status);
		}
		NonReadingPeer peer = new NonReadingPeer(socket, sid);
		peer.write(FrameCodec.encode(new EndpointInfoFrame(sid, 0, EndpointInfoFrame.PROTOCOL_VERSION,
				EndpointInfoFrame.FEATURE_TRANSACTIONS)));
		return peer;
	}

	/** Reads the response up to its blank line, one byte at a time, so nothing after it is read. */
	private static String readResponseHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		while (matched < end.length) {
			int next = in.read();
			if (next < 0) {
				throw new IOException("Connection closed during the upgrade");
			}
			head.write(next);
			matched = (next == end[matched]) ? matched + 1 : ((next == '\r') ? 1 : 0);
		}
		String text = head.toString(StandardCharsets.ISO_8859_1);
		return text.substring(0, text.indexOf("\r\n"));
	}

	/**
	 * Writes {@code count} small UTF8DATA frames in one go; blocks while TCP pushes back.
	 * @param count how many frames
	 * @throws IOException when the server closed the connection
	 */
	void flood(int count) throws IOException {
		ByteArrayOutputStream batch = new ByteArrayOutputStream(count * 32);
		for (int i = 0; i < count; i++) {
			ByteBuffer frame = FrameCodec.encode(Utf8DataFrame.of(this.sid, ++this.ack, "x"));
			appendWebSocketFrame(batch, 0x82, frame);
		}
		batch.writeTo(this.out);
		this.out.flush();
	}

	/**
	 * Writes one binary message; blocks while TCP pushes back.
	 * @param message the message, any length
	 * @throws IOException when the server closed the connection
	 */
	void write(ByteBuffer message) throws IOException {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		appendWebSocketFrame(frame, 0x82, message);
		frame.writeTo(this.out);
		this.out.flush();
	}

	/**
	 * Writes a close frame.
	 * @param code the close code
	 * @param reason the reason, at most 123 bytes of UTF-8
	 * @throws IOException when the server closed the connection
	 */
	void closeWith(int code, String reason) throws IOException {
		byte[] text = reason.getBytes(StandardCharsets.UTF_8);
		ByteBuffer payload = ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text).flip();
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		appendWebSocketFrame(frame, 0x88, payload);
		frame.writeTo(this.out);
		this.out.flush();
	}

	/**
	 * Reads everything the server sent, frame by frame, up to its close frame.
	 * @return the code of the server's close frame, or {@code -1} if the connection ended
	 * without one (mid-frame or between frames)
	 * @throws IOException when reading fails (a reset, or nothing for 10 s)
	 */
	int readUntilClose() throws IOException {
		DataInputStream in = new DataInputStream(this.socket.getInputStream());
		try {
			while (true) {
				int first = in.readUnsignedByte();
				int second = in.readUnsignedByte();
				long length = second & 0x7F;
				if (length == 126) {
					length = in.readUnsignedShort();
				}
				else if (length == 127) {
					length = in.readLong();
				}
				if ((first & 0x0F) == 0x8) {
					return (length >= 2) ? in.readUnsignedShort() : 1005;
				}
				in.skipNBytes(length);
			}
		}
		catch (EOFException ex) {
			return -1;
		}
	}

	/** One final WebSocket frame, masked with a zero key (so the payload goes as it is). */
	private static void appendWebSocketFrame(ByteArrayOutputStream out, int firstByte, ByteBuffer message) {
		int length = message.remaining();
		out.write(firstByte);
		if (length < 126) {
			out.write(0x80 | length);
		}
		else if (length <= 0xFFFF) {
			out.write(0x80 | 126);
			out.write(length >>> 8);
			out.write(length & 0xFF);
		}
		else {
			out.write(0x80 | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				out.write((int) ((long) length >>> shift) & 0xFF);
			}
		}
		out.write(0);
		out.write(0);
		out.write(0);
		out.write(0);
		byte[] bytes = new byte[length];
		message.duplicate().get(bytes);
		out.write(bytes, 0, length);
	}

	/**
	 * Returns how many UTF8DATA frames the peer has sent.
	 * @return the frames sent
	 */
	int sent() {
		return this.ack;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
