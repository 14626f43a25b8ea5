package dev.cryo.core.engine;

import java.nio.ByteBuffer;

import dev.cryo.core.dialect.MessageTransform;

/**
 * A transport that passes every outbound message through the dialect's
 * {@link MessageTransform} on its way to the connection. It sits behind the send queue, so
 * messages are transformed in the order they are written, whatever the queue reordered.
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
		this.delegate.send(this.transform.outbound(message), callback);
	}

	@Override
	public void close(int code, String reason) {
		this.delegate.close(code, reason);
	}

}
