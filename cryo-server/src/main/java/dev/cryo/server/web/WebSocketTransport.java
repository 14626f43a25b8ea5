package dev.cryo.server.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

import dev.cryo.core.engine.CryoTransport;

/**
 * {@link CryoTransport} over a Spring {@link WebSocketSession}. On a Jakarta WebSocket container
 * (Tomcat, Jetty, Undertow) sends go through the native session's async remote endpoint, so no
 * thread waits for a slow peer; on anything else they fall back to Spring's blocking send.
 */
final class WebSocketTransport implements CryoTransport {

	private static final Log logger = LogFactory.getLog(WebSocketTransport.class);

	/** Tomcat's timeout for the blocking send of the close frame; its default of 20 s would stall our timer. */
	private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	/**
	 * Tomcat's timeout for the close frame it sends in reply to a close with any code but 1000.
	 * Every close of the Cryo dialects (4000, 4001, 4010, ...) counts as abnormal there, and its
	 * default of 50 ms is shorter than the one sleep Tomcat takes while an earlier write is still
	 * completing: a peer that closed right after it received a frame would then lose the reply and
	 * see 1006. The same bound as for our own close frames.
	 */
	private static final String TOMCAT_ABNORMAL_CLOSE_SEND_TIMEOUT = "org.apache.tomcat.websocket.ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT";

	private static final long CLOSE_SEND_TIMEOUT_MILLIS = 2000;

	/**
	 * The close send timeout once a write to the peer is known to be stuck: as short as Tomcat
	 * takes (its timeouts are whole milliseconds, and zero would mean none).
	 */
	private static final long STALLED_CLOSE_SEND_TIMEOUT_MILLIS = 1;

	private final WebSocketSession session;

	private final @Nullable Session nativeSession;

	/** Sends handed to the container whose completion has not run yet. */
	private final AtomicInteger sendsInFlight = new AtomicInteger();

	/**
	 * Creates the transport.
	 * @param session the WebSocket session
	 * @param sendTimeout how long one message may wait for the peer before the container fails
	 * the send and closes the connection; zero for no limit
	 */
	WebSocketTransport(WebSocketSession session, Duration sendTimeout) {
		this.session = session;
		this.nativeSession = nativeSession(session);
		if (this.nativeSession != null) {
			setCloseSendTimeout(this.nativeSession, CLOSE_SEND_TIMEOUT_MILLIS);
			if (!sendTimeout.isZero()) {
				// The container's own deadline: a peer that accepts no bytes for this long is closed.
				this.nativeSession.getAsyncRemote().setSendTimeout(sendTimeout.toMillis());
			}
		}
	}

	/** How long Tomcat may wait to send the close frame, for our closes and its replies to the peer's alike. */
	private static void setCloseSendTimeout(Session session, long millis) {
		session.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, millis);
		session.getUserProperties().put(TOMCAT_ABNORMAL_CLOSE_SEND_TIMEOUT, millis);
	}

	private static @Nullable Session nativeSession(WebSocketSession session) {
		if (session instanceof NativeWebSocketSession nativeSession) {
			try {
				return nativeSession.getNativeSession(Session.class);
			}
			catch (NoClassDefFoundError ex) {
				return null;
			}
		}
		return null;
	}

	@Override
	public void send(ByteBuffer message, SendCallback callback) {
		Session target = this.nativeSession;
		if (target != null) {
			this.sendsInFlight.incrementAndGet();
			try {
				target.getAsyncRemote().sendBinary(message, (result) -> {
					this.sendsInFlight.decrementAndGet();
					callback.completed(result.isOK() ? null : result.getException());
				});
			}
			catch (RuntimeException ex) {
				this.sendsInFlight.decrementAndGet();
				throw ex;
			}
			return;
		}
		try {
			this.session.sendMessage(new BinaryMessage(message));
			callback.completed(null);
		}
		catch (IOException | RuntimeException ex) {
			callback.completed(ex);
		}
	}

	@Override
	public void close(int code, String reason) {
		if (!this.session.isOpen()) {
			return;
		}
		Session target = this.nativeSession;
		if (target != null && this.sendsInFlight.get() > 0) {
			// A session closes with a write still in flight only when the peer stopped reading (its
			// send timeout or close timeout ran out). Tomcat would hold the calling thread, often
			// the server's one timer thread, for the whole close send timeout waiting for that
			// write before the close frame, which could not go out behind it anyway; so the
			// connection is closed at once, and the peer, which reads nothing, sees it end.
			setCloseSendTimeout(target, STALLED_CLOSE_SEND_TIMEOUT_MILLIS);
		}
		try {
			this.session.close(new CloseStatus(code, reason));
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Closing WebSocket session " + this.session.getId() + " failed", ex);
		}
	}

}
