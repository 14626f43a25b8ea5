package dev.cryo.core.dialect;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * A per-session layer between the transport and the codec that may rewrite every message, the
 * way an encryption layer does. Inbound messages pass through it before they are decoded;
 * outbound ones after they leave the send queue, in the order they are written.
 *
 * <p>A layer may have a handshake of its own (CALE, legacy-v0.md §7.1): it starts it in
 * {@link #start}, consumes the peer's handshake messages in {@link #inbound}, queues its own with
 * {@link TransformContext#send}, and reports the result with {@link TransformContext#established}
 * or {@link TransformContext#fail}. The session's dialect then
 * {@linkplain SessionPolicy#awaitsPeerOpening() waits} for it to open, under the opening deadline.
 *
 * <p>{@link #inbound} is called from one thread at a time and {@link #outbound} from one thread
 * at a time, but not necessarily the same thread for both.
 */
public interface MessageTransform {

	/**
	 * Called once when the session starts, before anything else is sent: a layer with a handshake
	 * of its own begins it here. Does nothing by default.
	 * @param context what the layer may do with its session, for the session's whole life
	 */
	default void start(TransformContext context) {
	}

	/**
	 * Rewrites a received message before it is decoded.
	 * @param message the message as received; read during the call only
	 * @return the message to decode, or {@code null} when the layer consumed it (its own handshake)
	 */
	@Nullable ByteBuffer inbound(ByteBuffer message);

	/**
	 * Rewrites an encoded message before it is written.
	 * @param message the encoded frame, or a message the layer queued itself, owned by the caller
	 * until the write completes
	 * @return the message to write
	 * @throws MessageTransformException when the message cannot be transformed and the session
	 * must end with the exception's close code instead
	 */
	ByteBuffer outbound(ByteBuffer message);

}
