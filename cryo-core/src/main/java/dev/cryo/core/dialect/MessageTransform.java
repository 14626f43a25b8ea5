package dev.cryo.core.dialect;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * A per-session layer between the transport and the codec that may rewrite every message, the
 * way an encryption layer does. Inbound messages pass through it before they are decoded;
 * outbound ones after they leave the send queue, in the order they are written.
 *
 * <p>Both methods of one session are each called from one thread at a time, but not
 * necessarily the same thread for both.
 */
public interface MessageTransform {

	/**
	 * Rewrites a received message before it is decoded.
	 * @param message the message as received; read during the call only
	 * @return the message to decode, or {@code null} when the layer consumed it (its own handshake)
	 */
	@Nullable ByteBuffer inbound(ByteBuffer message);

	/**
	 * Rewrites an encoded message before it is written.
	 * @param message the encoded frame, owned by the caller until the write completes
	 * @return the message to write
	 */
	ByteBuffer outbound(ByteBuffer message);

}
