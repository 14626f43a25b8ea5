package dev.cryo.core.engine;

import java.nio.ByteBuffer;

import dev.cryo.core.codec.WireCodec;
import dev.cryo.core.frame.FrameType;

/**
 * A transport that reports every message it is handed to a {@link SessionObserver} before it
 * passes it on. Only used when an observer is installed, so a session without metrics writes
 * straight to its transport.
 */
final class ObservedTransport implements CryoTransport {

	private final CryoTransport delegate;

	private final SessionObserver observer;

	/** Reads the type of each message without decoding it. */
	private final WireCodec codec;

	ObservedTransport(CryoTransport delegate, SessionObserver observer, WireCodec codec) {
		this.delegate = delegate;
		this.observer = observer;
		this.codec = codec;
	}

	static CryoTransport of(CryoTransport transport, SessionObserver observer, WireCodec codec) {
		return (observer == SessionObserver.NOOP) ? transport : new ObservedTransport(transport, observer, codec);
	}

	@Override
	public void send(ByteBuffer message, SendCallback callback) {
		// Counted on hand-over rather than in the callback: no capturing lambda per frame.
		FrameType type = this.codec.peekType(message);
		if (type != null) {
			this.observer.frameSent(type, message.remaining());
		}
		this.delegate.send(message, callback);
	}

	@Override
	public void close(int code, String reason) {
		this.delegate.close(code, reason);
	}

}
