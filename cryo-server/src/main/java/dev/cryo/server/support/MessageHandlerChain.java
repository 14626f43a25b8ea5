package dev.cryo.server.support;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.cryo.server.CryoSession;
import dev.cryo.server.handler.CryoMessageHandler;

/**
 * The inbound message handlers of a server in order, with the fallback last: the first handler
 * that claims a message is the last to see it. A handler that throws is logged and treated as
 * not having claimed the message.
 */
final class MessageHandlerChain {

	private static final Log logger = LogFactory.getLog(MessageHandlerChain.class);

	/** The application's handlers, then the fallback; an array keeps the per-message loop lean. */
	private final CryoMessageHandler[] handlers;

	MessageHandlerChain(List<? extends CryoMessageHandler> handlers, CryoMessageHandler fallback) {
		List<CryoMessageHandler> all = new ArrayList<>(handlers);
		all.add(fallback);
		this.handlers = all.toArray(new CryoMessageHandler[0]);
	}

	void handleUtf8(CryoSession session, String text) {
		for (CryoMessageHandler handler : this.handlers) {
			try {
				if (handler.handleUtf8(session, text)) {
					return;
				}
			}
			catch (RuntimeException ex) {
				failed(handler, "handleUtf8", session, ex);
			}
		}
	}

	void handleBinary(CryoSession session, ByteBuffer payload) {
		for (CryoMessageHandler handler : this.handlers) {
			try {
				// Each handler gets its own view: one that reads the bytes must not move another's position.
				if (handler.handleBinary(session, payload.asReadOnlyBuffer())) {
					return;
				}
			}
			catch (RuntimeException ex) {
				failed(handler, "handleBinary", session, ex);
			}
		}
	}

	private static void failed(CryoMessageHandler handler, String method, CryoSession session, RuntimeException ex) {
		logger.warn("Cryo message handler " + handler.getClass().getName() + " failed in " + method + " for session "
				+ session.idString() + "; offering the message to the next handler", ex);
	}

}
