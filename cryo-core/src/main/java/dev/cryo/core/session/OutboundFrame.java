package dev.cryo.core.session;

import java.nio.ByteBuffer;

import dev.cryo.core.frame.FrameType;

/**
 * One encoded frame waiting in the send queue.
 *
 * @param type the frame type
 * @param message the encoded frame, read by the transport from position to limit
 * @param ack the frame's ack number, meaningful when {@code tracked}
 * @param tracked whether the ack tracker waits for this frame's ACK
 */
record OutboundFrame(FrameType type, ByteBuffer message, int ack, boolean tracked) {

	FrameClass frameClass() {
		return FrameClass.of(this.type);
	}

	int length() {
		return this.message.remaining();
	}

}
