package dev.cryo.core.dialect;

import java.nio.ByteBuffer;

import dev.cryo.core.SessionId;

/**
 * What a {@link MessageTransform} with a handshake of its own may do with its session: number and
 * queue its own messages, say when the handshake is complete, and end the session when it fails.
 * Implemented by the engine, once per session.
 */
public interface TransformContext {

	/**
	 * Returns the session id.
	 * @return the id of the session
	 */
	SessionId sid();

	/**
	 * Draws the next number of the session's ack counter, for a message nobody acknowledges (the
	 * legacy SERVER_HELLO takes 0, legacy-v0.md §10.5).
	 * @return the number
	 */
	int nextNumber();

	/**
	 * Queues a message of the layer's own, complete and encoded. It keeps its place among the
	 * session's other protected frames, is written as a write of its own like every message, and
	 * passes {@link MessageTransform#outbound} on its way, which must recognise it and leave it
	 * as it is. A message queued before the session's first write is held back with the session's
	 * first frame (cryo-v1.md §3 rule 2).
	 * @param message the message; not copied, must not change afterwards
	 */
	void send(ByteBuffer message);

	/**
	 * The layer's handshake is complete: the session opens (once) and the application is told.
	 * Only for a dialect whose sessions {@linkplain SessionPolicy#awaitsPeerOpening() wait} to open.
	 */
	void established();

	/**
	 * Ends the session at once, without a goodbye and without flushing what is queued: the
	 * layer's handshake failed, or a message cannot be processed.
	 * @param code the close code
	 * @param reason the close reason, truncated to 123 bytes
	 */
	void fail(int code, String reason);

}
