package dev.cryo.server.handler;

import java.nio.ByteBuffer;

import dev.cryo.server.CryoSession;

/**
 * Handles the UTF-8 and binary messages a session receives, after the extension chain let them
 * through. A server asks its handlers in order; the first that claims a message (returns
 * {@code true}) is the last to see it, and publishing it as an application event is the fallback
 * for messages nobody claimed ({@link EventPublishingMessageHandler}). A handler replies through
 * the session it is given.
 *
 * <p>Claiming is not vetoing: an extension that returns {@code false} drops a message before any
 * handler sees it, a handler that claims one has handled it. A handler that throws is logged and
 * the message goes on to the next handler as if it had not been claimed.
 *
 * <p>Handlers run on the session's thread, in arrival order, so a slow handler slows its own
 * session only. Every method has a default that claims nothing. In a Boot application every
 * {@code CryoMessageHandler} bean is used, ordered by {@code @Order} or
 * {@link org.springframework.core.Ordered}.
 */
public interface CryoMessageHandler {

	/**
	 * Offers a UTF-8 message.
	 * @param session the session that received it
	 * @param text the message
	 * @return {@code true} if this handler handled it, so that no later handler sees it
	 */
	default boolean handleUtf8(CryoSession session, String text) {
		return false;
	}

	/**
	 * Offers a binary message.
	 * @param session the session that received it
	 * @param payload a read-only view of the message; the bytes are the message's own and nobody
	 * changes them afterwards, so the view may be kept without a copy
	 * @return {@code true} if this handler handled it, so that no later handler sees it
	 */
	default boolean handleBinary(CryoSession session, ByteBuffer payload) {
		return false;
	}

}
