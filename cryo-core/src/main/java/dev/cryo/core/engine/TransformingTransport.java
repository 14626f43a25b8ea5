package dev.cryo.core.engine;

import java.nio.ByteBuffer;

import dev.cryo.core.dialect.MessageTransform;
import dev.cryo.core.dialect.MessageTransformException;

/**
 * A transport that passes every outbound message through the dialect's
 * {@link MessageTransform} on its way to the connection. It sits behind the send queue, so
 * messages are transformed in the order they are written, whatever the queue reordered. A
 * message the layer cannot transform fails its write with the layer's
 * {@link MessageTransformException}, which ends the session with the layer's close code.
 */
final class TransformingTransport implements CryoTransport {

	private final CryoTransport delegate;

	private final MessageTransform transform;

	TransformingTransport(CryoTransport delegate, MessageTransform transform) {
		this.delegate = delegate;
		this.transform = transform;
	}

	@Override
	public void send(ByteBuffer message, SendCallback callback) {
		ByteBuffer transformed;
		try {
			transformed = this.transform.outbound(message);
		}
		catch (MessageTransformException ex) {
			callback.completed(ex);
			return;
		}
		this.delegate.send(transformed, callback);
	}

	@Override
	public void close(int code, String reason) {
		this.delegate.close(code, reason);
	}

}
