package dev.cryo.core.engine;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.codec.WireCodec;
import dev.cryo.core.frame.FrameType;

/**
 * One encoded frame waiting in the send queue.
 *
 * @param type the frame type
 * @param message the encoded frame, read by the transport from position to limit
 * @param ack the frame's ack number, meaningful when {@code tracked}
 * @param tracked whether the ack tracker waits for this frame's ACK
 * @param dedupeKey the caller's key for the dedupe-latest policy, or {@code null} to key on
 * type and payload
 * @param codec the codec that encoded the message, which knows where its payload starts
 */
record OutboundFrame(FrameType type, ByteBuffer message, int ack, boolean tracked, @Nullable Object dedupeKey,
		WireCodec codec) {

	OutboundFrame(FrameType type, ByteBuffer message, int ack, boolean tracked, WireCodec codec) {
		this(type, message, ack, tracked, null, codec);
	}

	FrameClass frameClass() {
		return FrameClass.of(this.type);
	}

	int length() {
		return this.message.remaining();
	}

	/** The key under which dedupe-latest replaces queued frames: the caller's, or (type, payload). */
	Object effectiveDedupeKey() {
		if (this.dedupeKey != null) {
			return new CallerKey(this.type, this.dedupeKey);
		}
		// The payload only: the ack in the header differs per frame.
		return new PayloadKey(this.type, this.codec.payloadView(this.message));
	}

	private record CallerKey(FrameType type, Object key) {
	}

	private record PayloadKey(FrameType type, ByteBuffer payload) {
	}

}
