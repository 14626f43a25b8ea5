/**
 * Cryo v1, the native dialect: {@link dev.cryo.core.dialect.v1.CryoV1Dialect} (recognition
 * and session policy), its byte layout ({@link dev.cryo.core.dialect.v1.CryoV1Codec}, with the
 * static {@link dev.cryo.core.dialect.v1.FrameCodec} shortcuts for tools and tests), and the
 * dispatcher that gives each received v1 frame its meaning.
 *
 * <p>Depends on the dialect and codec SPIs and the frame model; the session engine never
 * depends on this package.
 */
@NullMarked
package dev.cryo.core.dialect.v1;

import org.jspecify.annotations.NullMarked;
