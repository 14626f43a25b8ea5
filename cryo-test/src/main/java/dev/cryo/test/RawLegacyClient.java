package dev.cryo.test;

import java.time.Duration;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.cryo.test.RawCryoClient.Close;
import dev.cryo.test.RawLegacyFrames.Parsed;

/**
 * A legacy-generation client for tests, built from legacy-v0.md rather than from the server's
 * codec: it connects as the published clients do ({@code authorization=Bearer+<token>} and the
 * UUID in {@code x-cryo-sid}, no subprotocol, §2), sends whatever bytes the test builds with
 * {@link RawLegacyFrames}, and hands back every binary message it receives, parsed by the byte
 * table of §3 only. It answers nothing by itself.
 */
public final class RawLegacyClient implements AutoCloseable {

	private final LegacySocket socket;

	private RawLegacyClient(LegacySocket socket) {
		this.socket = socket;
	}

	/**
	 * Connects to {@code ws://localhost:port/path?authorization=Bearer+token&x-cryo-sid=sid}.
	 * @param port the server's port
	 * @param path the endpoint's path
	 * @param token the bearer token
	 * @param sid the sid exactly as sent (any case)
	 * @return the client, connected
	 */
	public static RawLegacyClient connect(int port, String path, String token, String sid) {
		return new RawLegacyClient(LegacySocket.connect(port, path, token, sid, (message) -> {
		}));
	}

	/**
	 * Returns the sid the client puts in its frames.
	 * @return the UUID
	 */
	public UUID sid() {
		return this.socket.sid();
	}

	/**
	 * Sends one binary message and waits until it is handed to the socket.
	 * @param message the bytes
	 * @return this client
	 */
	public RawLegacyClient send(byte[] message) {
		this.socket.send(message);
		return this;
	}

	/**
	 * Returns the next message from the server.
	 * @return the message
	 * @throws AssertionError if none arrives within 5 seconds
	 */
	public Parsed next() {
		return next(LegacySocket.DEFAULT_WAIT);
	}

	/**
	 * Returns the next message from the server.
	 * @param wait how long to wait
	 * @return the message
	 * @throws AssertionError if none arrives in time
	 */
	public Parsed next(Duration wait) {
		return RawLegacyFrames.parse(this.socket.next(wait));
	}

	/**
	 * Returns the next message from the server, or {@code null} if none arrives in time.
	 * @param wait how long to wait
	 * @return the message or {@code null}
	 */
	public @Nullable Parsed poll(Duration wait) {
		byte[] message = this.socket.poll(wait);
		return (message != null) ? RawLegacyFrames.parse(message) : null;
	}

	/**
	 * Waits for the server's close.
	 * @param wait how long to wait
	 * @return the close code and reason
	 */
	public Close awaitClose(Duration wait) {
		return this.socket.awaitClose(wait);
	}

	/**
	 * Sends a close frame, e.g. 4010 as a published client with CALE off does on a SERVER_HELLO
	 * (legacy-v0.md §7.5), and leaves the connection open for the server's answer
	 * ({@link #awaitClose(Duration)}). {@code java.net.http} refuses some codes, among them 1002.
	 * @param code the close code
	 * @param reason the reason
	 * @return this client
	 */
	public RawLegacyClient closeWith(int code, String reason) {
		this.socket.closeWith(code, reason);
		return this;
	}

	/**
	 * Closes the WebSocket as cryo-client-node's {@code Close()} does: 4000 {@code Client finished.}
	 */
	@Override
	public void close() {
		this.socket.close();
	}

}
