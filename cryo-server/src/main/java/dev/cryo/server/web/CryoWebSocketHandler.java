package dev.cryo.server.web;

import java.nio.ByteBuffer;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.util.Assert;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.BinaryWebSocketHandler;

import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.server.support.CryoSessionFactory;
import dev.cryo.server.support.CryoSessionRegistry;
import dev.cryo.server.support.ReassemblyShare;
import dev.cryo.server.support.SessionConnection;

/**
 * The WebSocket handler of the Cryo endpoint. It owns the container callbacks and nothing else:
 * it opens a session for each accepted upgrade, in the dialect the handshake chose, reassembles
 * binary messages and hands them to the session, and reports the end of the connection.
 *
 * <p>It accepts partial messages, so the container needs only its small default receive buffer
 * per connection. Messages are reassembled here within the server's
 * {@linkplain dev.cryo.server.ReceiveLimits receive limits}: one larger than the limit (at most
 * the dialect's {@linkplain dev.cryo.core.codec.WireCodec#maxMessageLength() maximum}) closes the
 * connection with 1009 (cryo-v1.md §9), one that does not fit into what is left of the server's
 * reassembly budget with 1013. Text messages are ignored (§1.3).
 *
 * <p>It announces the subprotocols of all the server's dialects, so that the WebSocket stack can
 * answer the one a client offered.
 */
public class CryoWebSocketHandler extends BinaryWebSocketHandler implements SubProtocolCapable {

	/** The handshake attribute that carries the reserved session id. */
	public static final String RESERVATION_ATTRIBUTE = CryoWebSocketHandler.class.getName() + ".reservation";

	/** The handshake attribute that carries the {@link CryoDialect} the upgrade chose. */
	public static final String DIALECT_ATTRIBUTE = CryoWebSocketHandler.class.getName() + ".dialect";

	/** The close reason (with 1009) for a message over the limit. */
	public static final String MESSAGE_TOO_BIG_REASON = ReassemblyShare.Refusal.TOO_BIG.reason();

	/** The close reason (with 1013) for a message that did not fit into the reassembly budget. */
	public static final String TRY_AGAIN_LATER_REASON = ReassemblyShare.Refusal.NO_ROOM.reason();

	private static final String CONNECTION_ATTRIBUTE = CryoWebSocketHandler.class.getName() + ".connection";

	private static final Log logger = LogFactory.getLog(CryoWebSocketHandler.class);

	private final CryoSessionFactory sessionFactory;

	/**
	 * Creates the handler.
	 * @param sessionFactory opens a session for each accepted upgrade
	 */
	public CryoWebSocketHandler(CryoSessionFactory sessionFactory) {
		Assert.notNull(sessionFactory, "'sessionFactory' must not be null");
		this.sessionFactory = sessionFactory;
	}

	@Override
	public List<String> getSubProtocols() {
		return this.sessionFactory.dialects().subprotocols();
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession webSocketSession) throws Exception {
		Object reservation = webSocketSession.getAttributes().get(RESERVATION_ATTRIBUTE);
		if (!(reservation instanceof CryoSessionRegistry.Reservation held)) {
			logger.error("Cryo WebSocket opened without a reserved session id; is the handshake interceptor installed?");
			webSocketSession.close(new CloseStatus(CloseCodes.SERVER_ERROR, "Internal server error."));
			return;
		}
		CryoDialect dialect = dialect(webSocketSession);
		SessionConnection session = this.sessionFactory.create(held, dialect,
				new WebSocketTransport(webSocketSession, this.sessionFactory.options().sendTimeout()),
				webSocketSession.getRemoteAddress());
		if (session == null) {
			webSocketSession.close(new CloseStatus(CloseCodes.SERVER_ERROR, "Session reservation expired."));
			return;
		}
		int maxMessageSize = this.sessionFactory.receiveLimits().maxMessageSize(dialect.maxMessageLength());
		// Stored before the first write: when the peer has already reset the connection, that
		// write fails and the container reports the close at once, and the close must find the
		// session or it is never reported closed.
		webSocketSession.getAttributes()
			.put(CONNECTION_ATTRIBUTE, new Connection(session,
					new MessageAssembler(maxMessageSize, this.sessionFactory.reassemblyBudget())));
		session.start();
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession webSocketSession, BinaryMessage message) {
		Connection connection = connection(webSocketSession);
		if (connection == null) {
			return;
		}
		MessageAssembler assembler = connection.assembler();
		ByteBuffer complete = assembler.append(message.getPayload(), message.isLast());
		if (complete != null) {
			try {
				connection.session().receive(complete, assembler.joined());
			}
			finally {
				// Handlers run on this thread: once they returned, the message leaves the budget.
				assembler.delivered();
			}
			return;
		}
		ReassemblyShare.Refusal refusal = assembler.takeRefusal();
		if (refusal != null) {
			refuse(connection.session(), refusal);
		}
	}

	private void refuse(SessionConnection session, ReassemblyShare.Refusal refusal) {
		this.sessionFactory.observer().limitExceeded(refusal.limit());
		session.closeNow(refusal.closeCode(), refusal.reason());
	}

	@Override
	protected void handleTextMessage(WebSocketSession webSocketSession, TextMessage message) {
		// Cryo never uses text messages (cryo-v1.md §1.3): ignore them instead of closing.
		if (message.isLast() && logger.isDebugEnabled()) {
			logger.debug("Ignored a text message on Cryo WebSocket session " + webSocketSession.getId());
		}
	}

	@Override
	protected void handlePongMessage(WebSocketSession webSocketSession, PongMessage message) {
		// WebSocket-level pongs carry no Cryo meaning; liveness is the Cryo PING_PONG's job.
	}

	@Override
	public void handleTransportError(WebSocketSession webSocketSession, Throwable exception) {
		if (logger.isDebugEnabled()) {
			logger.debug("Transport error on Cryo WebSocket session " + webSocketSession.getId(), exception);
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession webSocketSession, CloseStatus status) {
		Connection connection = connection(webSocketSession);
		if (connection != null) {
			connection.assembler().close();
			String reason = status.getReason();
			connection.session().transportClosed(status.getCode(), (reason != null) ? reason : "");
		}
		else {
			Object reservation = webSocketSession.getAttributes().get(RESERVATION_ATTRIBUTE);
			if (reservation instanceof CryoSessionRegistry.Reservation held) {
				this.sessionFactory.registry().release(held);
			}
		}
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	/** The dialect the handshake chose; v1 when the upgrade went through another interceptor. */
	private CryoDialect dialect(WebSocketSession webSocketSession) {
		Object chosen = webSocketSession.getAttributes().get(DIALECT_ATTRIBUTE);
		return (chosen instanceof CryoDialect dialect) ? dialect : this.sessionFactory.dialects().fallback();
	}

	private static @Nullable Connection connection(WebSocketSession webSocketSession) {
		return (Connection) webSocketSession.getAttributes().get(CONNECTION_ATTRIBUTE);
	}

	/** The per-connection state: its session and its message reassembly. */
	private record Connection(SessionConnection session, MessageAssembler assembler) {
	}

}
