package dev.cryo.server;

import java.nio.ByteBuffer;

/**
 * A named set of hooks around the messages of every session. Every hook has a no-op default.
 *
 * <p>{@code beforeSend…} hooks run on the sending thread before a frame is queued;
 * {@code onReceive…} hooks run on the session's thread after the frame was ACKed and before the
 * message handlers and the application event see it. A hook may replace the value through its
 * {@link Box}, and returning {@code false} drops the frame: an outgoing frame is not sent (its
 * future fails with {@link CryoSendVetoedException}), an incoming one reaches no message handler
 * and no listener. Dropping is a veto, not a way to say "handled": a component that consumes
 * messages is a {@code CryoMessageHandler}. A hook that throws is
 * logged with the extension's name and the chain continues as if it had returned {@code true}.
 *
 * <p>Extension beans are discovered and ordered by {@link org.springframework.core.annotation.Order @Order}
 * or {@link org.springframework.core.Ordered}; names must be unique. They can also be registered
 * and unregistered at runtime through {@link CryoServer}.
 */
public interface CryoExtension {

	/**
	 * Returns the unique name of this extension, used in logs and for lookup.
	 * @return the name
	 */
	String name();

	/**
	 * Called when the extension joins a server.
	 * @param server the server
	 */
	default void onRegister(CryoServer server) {
	}

	/**
	 * Called when the extension leaves a server (unregistered, or the server shuts down).
	 * @param server the server
	 */
	default void onUnregister(CryoServer server) {
	}

	/**
	 * Sees an outgoing UTF-8 message.
	 * @param session the session
	 * @param text the message, replaceable
	 * @return {@code false} to drop the message
	 */
	default boolean beforeSendUtf8(CryoSession session, Box<String> text) {
		return true;
	}

	/**
	 * Sees an incoming UTF-8 message.
	 * @param session the session
	 * @param text the message, replaceable
	 * @return {@code false} to keep the application from seeing it
	 */
	default boolean onReceiveUtf8(CryoSession session, Box<String> text) {
		return true;
	}

	/**
	 * Sees an outgoing binary message.
	 * @param session the session
	 * @param payload a read-only view of the bytes, replaceable
	 * @return {@code false} to drop the message
	 */
	default boolean beforeSendBinary(CryoSession session, Box<ByteBuffer> payload) {
		return true;
	}

	/**
	 * Sees an incoming binary message. The bytes are the message's own: nobody changes them
	 * afterwards, and the message handlers and the event keep them without a copy. A
	 * replacement is handed over the same way: put no buffer into the box that is changed later.
	 * @param session the session
	 * @param payload a read-only view of the bytes, replaceable
	 * @return {@code false} to keep the application from seeing it
	 */
	default boolean onReceiveBinary(CryoSession session, Box<ByteBuffer> payload) {
		return true;
	}

	/**
	 * Sees an outgoing ERROR frame.
	 * @param session the session
	 * @param message the text, replaceable
	 * @return {@code false} to drop the frame
	 */
	default boolean beforeSendError(CryoSession session, Box<String> message) {
		return true;
	}

	/**
	 * Sees an incoming ERROR frame.
	 * @param session the session
	 * @param message the text, replaceable
	 * @return {@code false} to keep the application from seeing it
	 */
	default boolean onReceiveError(CryoSession session, Box<String> message) {
		return true;
	}

}
