/**
 * The Cryo v1 frame model and its codec: one immutable record per frame type under the sealed
 * {@link dev.cryo.core.frame.Frame} interface, {@link dev.cryo.core.frame.FrameType} with the
 * wire codes, and {@link dev.cryo.core.frame.FrameCodec}, which turns one WebSocket binary
 * message into one frame and back.
 *
 * <p>Session ids, flags and transaction byte offsets are unsigned 64-bit values held in a
 * {@code long}; ack numbers, txids and the version are unsigned 32-bit values held in an
 * {@code int}. Every {@code toString} shows them unsigned.
 */
@NullMarked
package dev.cryo.core.frame;

import org.jspecify.annotations.NullMarked;
