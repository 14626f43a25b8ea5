package dev.cryo.core.engine;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.codec.WireCodec;
import dev.cryo.core.frame.FrameType;

/**
 * One encoded frame waiting in the send queue, or a message of the dialect's message layer (a
 * CALE handshake message), which has no frame type and is queued as a protected frame.
 *
 * @param type the frame type, or {@code null} for a message of the layer
 * @param frameClass how the queue treats the message
 * @param message the encoded frame, read by the transport from position to limit
 * @param ack the frame's ack number, meaningful when {@code tracked}
 * @param tracked whether the ack tracker waits for this frame's ACK
 * @param dedupeKey the caller's key for the dedupe-latest policy, or {@code null} to key on
 * type and payload
 * @param codec the codec that encoded the message, which knows where its payload starts
 * @param written run once the transport called back for the message (written or failed), when
 * the buffer may be used again; {@code null} for none. Not run for a message that is dropped
 * or discarded with the session: its buffer is simply left to the garbage collector.
 */
record OutboundFrame(@Nullable FrameType type, FrameClass frameClass, ByteBuffer message, int ack, boolean tracked,
		@Nullable Object dedupeKey, WireCodec codec, @Nullable Runnable written) {

	OutboundFrame(FrameType type, ByteBuffer message, int ack, boolean tracked, @Nullable Object dedupeKey,
			WireCodec codec) {
		this(type, FrameClass.of(type), message, ack, tracked, dedupeKey, codec, null);
	}

	OutboundFrame(FrameType type, ByteBuffer message, int ack, boolean tracked, WireCodec codec) {
		this(type, message, ack, tracked, null, codec);
	}

	/**
	 * A message of the dialect's layer: protected, so it keeps its place and is never dropped,
	 * and untracked.
	 */
	static OutboundFrame layerMessage(ByteBuffer message, WireCodec codec) {
		return new OutboundFrame(null, FrameClass.PROTECTED, message, 0, false, null, codec, null);
	}

	int length() {
		return this.message.remaining();
	}

	/**
	 * The key under which dedupe-latest replaces queued frames: the caller's, or (type, payload).
	 * Asked of droppable frames only, which always have a type.
	 */
	Object effectiveDedupeKey() {
		if (this.dedupeKey != null) {
			return new CallerKey(this.type, this.dedupeKey);
		}
		// The payload only: the ack in the header differs per frame.
		return new PayloadKey(this.type, this.codec.payloadView(this.message));
	}

	private record CallerKey(@Nullable FrameType type, Object key) {
	}

	private record PayloadKey(@Nullable FrameType type, ByteBuffer payload) {
	}

}
