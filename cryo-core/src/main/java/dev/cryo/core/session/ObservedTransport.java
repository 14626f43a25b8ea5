package dev.cryo.core.session;

import java.nio.ByteBuffer;

import dev.cryo.core.frame.FrameType;

/**
 * A transport that reports every message it is handed to a {@link SessionObserver} before it
 * passes it on. Only used when an observer is installed, so a session without metrics writes
 * straight to its transport.
 */
final class ObservedTransport implements CryoTransport {

	/** The type byte follows the 8-byte sid in every frame header (cryo-v1.md §4.1). */
	private static final int TYPE_OFFSET = 8;

	private final CryoTransport delegate;

	private final SessionObserver observer;

	ObservedTransport(CryoTransport delegate, SessionObserver observer) {
		this.delegate = delegate;
		this.observer = observer;
	}

	static CryoTransport of(CryoTransport transport, SessionObserver observer) {
		return (observer == SessionObserver.NOOP) ? transport : new ObservedTransport(transport, observer);
	}

	@Override
	public void send(ByteBuffer message, SendCallback callback) {
		// Counted on hand-over rather than in the callback: no capturing lambda per frame.
		FrameType type = FrameType.fromCode(message.get(message.position() + TYPE_OFFSET));
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
