/**
 * Cryo v1, the native dialect: its byte layout ({@link dev.cryo.core.dialect.v1.CryoV1Codec},
 * with the static {@link dev.cryo.core.dialect.v1.FrameCodec} shortcuts), and how a v1
 * session opens, pings and dispatches what it receives.
 *
 * <p>Depends on the frame model and the codec SPI; the session engine never depends on this
 * package.
 */
@NullMarked
package dev.cryo.core.dialect.v1;

import org.jspecify.annotations.NullMarked;
