package dev.cryo.benchmarks.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * The transport floor Cryo is compared with: a plain Spring WebSocket handler on the same Tomcat
 * that echoes each binary message part as it arrives (no reassembly, no framing, no ACKs). Two
 * text commands drive the raw half of the stream benchmark: {@code upload <bytes>} makes it count
 * that many binary bytes instead of echoing them and answer {@code done <bytes>};
 * {@code download <bytes> <chunk>} makes it send that many bytes as binary messages of
 * {@code chunk} bytes, from the same source as the Cryo download.
 */
public class RawEchoHandler extends AbstractWebSocketHandler {

	private static final String UPLOAD_REMAINING = "upload-remaining";

	private final AtomicInteger openSessions = new AtomicInteger();

	/**
	 * Returns the number of open raw sessions.
	 * @return the session count
	 */
	public int openSessions() {
		return this.openSessions.get();
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		this.openSessions.incrementAndGet();
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		this.openSessions.decrementAndGet();
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws IOException {
		Long remaining = (Long) session.getAttributes().get(UPLOAD_REMAINING);
		if (remaining == null) {
			session.sendMessage(new BinaryMessage(message.getPayload(), message.isLast()));
			return;
		}
		long left = remaining - message.getPayloadLength();
		if (left > 0) {
			session.getAttributes().put(UPLOAD_REMAINING, left);
			return;
		}
		session.getAttributes().remove(UPLOAD_REMAINING);
		session.sendMessage(new TextMessage("done"));
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
		String[] command = message.getPayload().split(" ");
		if (command[0].equals("upload")) {
			session.getAttributes().put(UPLOAD_REMAINING, Long.parseLong(command[1]));
		}
		else if (command[0].equals("download")) {
			download(session, Long.parseLong(command[1]), Integer.parseInt(command[2]));
		}
		else {
			// The floor of the endpoints scenario: a text echo.
			session.sendMessage(new TextMessage(message.getPayload()));
		}
	}

	private void download(WebSocketSession session, long size, int chunk) throws IOException {
		try (RepeatingInputStream source = new RepeatingInputStream(size)) {
			byte[] buffer = new byte[chunk];
			int read;
			while ((read = source.readNBytes(buffer, 0, chunk)) > 0) {
				// A fresh buffer per message, as the Cryo path allocates one frame per chunk.
				session.sendMessage(new BinaryMessage(ByteBuffer.wrap(buffer.clone(), 0, read), true));
			}
		}
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

}
