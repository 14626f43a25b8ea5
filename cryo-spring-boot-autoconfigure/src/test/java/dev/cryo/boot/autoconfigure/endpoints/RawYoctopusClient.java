package dev.cryo.boot.autoconfigure.endpoints;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.cryo.test.RawUpgradeRequest;

/**
 * A WebSocket client on a plain socket that never answers pings (every Java WebSocket client
 * answers them by itself): it upgrades, reads frames as they come and sends masked text frames.
 */
final class RawYoctopusClient implements AutoCloseable {

	static final int TEXT = 0x1;

	static final int CLOSE = 0x8;

	static final int PING = 0x9;

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private RawYoctopusClient(Socket socket) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
		this.out = socket.getOutputStream();
	}

	/**
	 * Upgrades a connection.
	 * @param port the server's port
	 * @param pathAndQuery the request target
	 * @return the client, upgraded
	 * @throws IOException when the connection fails or the upgrade is refused
	 */
	static RawYoctopusClient connect(int port, String pathAndQuery) throws IOException {
		Socket socket = new Socket("localhost", port);
		socket.setSoTimeout(10_000);
		socket.getOutputStream().write(RawUpgradeRequest.bytes(port, pathAndQuery, Map.of()));
		String status = RawUpgradeRequest.readLine(socket.getInputStream());
		while (!RawUpgradeRequest.readLine(socket.getInputStream()).isEmpty()) {
			// The rest of the head.
		}
		if (!status.startsWith("HTTP/1.1 101")) {
			socket.close();
			throw new IOException("Upgrade refused: " + status);
		}
		return new RawYoctopusClient(socket);
	}

	/**
	 * Reads the next frame.
	 * @return the frame
	 * @throws IOException when reading fails or the connection ended
	 */
	Frame read() throws IOException {
		int first = readByte();
		int length = readByte() & 0x7F;
		if (length == 126) {
			length = (readByte() << 8) | readByte();
		}
		else if (length == 127) {
			throw new IOException("Frame too long for this client");
		}
		byte[] payload = this.in.readNBytes(length);
		if (payload.length < length) {
			throw new EOFException("Connection closed inside a frame");
		}
		return new Frame(first & 0x0F, payload);
	}

	private int readByte() throws IOException {
		int b = this.in.read();
		if (b < 0) {
			throw new EOFException("Connection closed");
		}
		return b;
	}

	/**
	 * Sends a text message in one masked frame.
	 * @param text the message, shorter than 64 KiB
	 * @throws IOException when writing fails
	 */
	void sendText(String text) throws IOException {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write(0x80 | TEXT);
		if (payload.length < 126) {
			frame.write(0x80 | payload.length);
		}
		else {
			frame.write(0x80 | 126);
			frame.write(payload.length >>> 8);
			frame.write(payload.length & 0xFF);
		}
		byte[] mask = { 1, 2, 3, 4 };
		frame.writeBytes(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i & 3]);
		}
		this.out.write(frame.toByteArray());
		this.out.flush();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * One frame from the server (which never masks).
	 *
	 * @param opcode the opcode
	 * @param payload the payload
	 */
	record Frame(int opcode, byte[] payload) {

		/** The close code of a close frame. */
		int closeCode() {
			return ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF);
		}

		/** The reason of a close frame. */
		String closeReason() {
			return new String(this.payload, 2, this.payload.length - 2, StandardCharsets.UTF_8);
		}

		String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

	}

}
