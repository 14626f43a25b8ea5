package dev.cryo.core.engine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.frame.Frame;

/**
 * A transport that can stall like a peer that stopped reading: while stalled, the message in
 * flight is not completed; {@link #resume()} completes it and everything after it inline.
 */
final class StallableTransport implements CryoTransport {

	private final List<Frame> written = new ArrayList<>();

	private boolean stalled;

	private SendCallback pending;

	private int closeCode = -1;

	@Override
	public synchronized void send(ByteBuffer message, SendCallback callback) {
		byte[] copy = new byte[message.remaining()];
		message.duplicate().get(copy);
		this.written.add(FrameCodec.decode(copy));
		if (this.stalled) {
			this.pending = callback;
			return;
		}
		callback.completed(null);
	}

	@Override
	public synchronized void close(int code, String reason) {
		if (this.closeCode == -1) {
			this.closeCode = code;
		}
	}

	synchronized void stall() {
		this.stalled = true;
	}

	void resume() {
		SendCallback callback;
		synchronized (this) {
			this.stalled = false;
			callback = this.pending;
			this.pending = null;
		}
		if (callback != null) {
			callback.completed(null);
		}
	}

	synchronized List<Frame> written() {
		return new ArrayList<>(this.written);
	}

	synchronized int closeCode() {
		return this.closeCode;
	}

}
