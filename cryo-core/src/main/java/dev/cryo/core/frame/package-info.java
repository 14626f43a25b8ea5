/**
 * The Cryo frame model: one immutable record per frame type under the sealed
 * {@link dev.cryo.core.frame.Frame} interface and {@link dev.cryo.core.frame.FrameType} with
 * the Cryo v1 type codes and length rules. The records hold values and check their own limits;
 * the byte layout belongs to each dialect's {@link dev.cryo.core.codec.WireCodec}.
 *
 * <p>Depends on the JDK and {@link dev.cryo.core.SessionId} only.
 *
 * <p>Session ids are {@link dev.cryo.core.SessionId} values, so one model serves dialects with
 * numeric and with UUID ids; each codec converts them at the wire. Flags and transaction byte
 * offsets are unsigned 64-bit values held in a {@code long}; ack numbers, txids and the version
 * are unsigned 32-bit values held in an {@code int}. Every {@code toString} shows them unsigned,
 * and a sid as its {@link dev.cryo.core.SessionId#toString()} reads.
 */
@NullMarked
package dev.cryo.core.frame;

import org.jspecify.annotations.NullMarked;
