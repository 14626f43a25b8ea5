/**
 * The Cryo frame model: one immutable record per frame type under the sealed
 * {@link dev.cryo.core.frame.Frame} interface and {@link dev.cryo.core.frame.FrameType} with
 * the Cryo v1 type codes and length rules. The records hold values and check their own limits;
 * the byte layout belongs to each dialect's {@link dev.cryo.core.codec.WireCodec}.
 *
 * <p>Depends on the JDK only.
 *
 * <p>Session ids, flags and transaction byte offsets are unsigned 64-bit values held in a
 * {@code long}; ack numbers, txids and the version are unsigned 32-bit values held in an
 * {@code int}. Every {@code toString} shows them unsigned.
 */
@NullMarked
package dev.cryo.core.frame;

import org.jspecify.annotations.NullMarked;
