/**
 * The dialect SPI: {@link dev.cryo.core.dialect.CryoDialect} bundles how a wire dialect is
 * recognised at the upgrade, its {@link dev.cryo.core.codec.WireCodec}, its
 * {@link dev.cryo.core.dialect.SessionPolicy} (opening, tracking, ping, transactions and the
 * {@link dev.cryo.core.dialect.FrameDispatcher} of received frames) and an optional
 * {@link dev.cryo.core.dialect.MessageTransform}.
 *
 * <p>Depends on the codec SPI and the frame model only; the engine depends on this package and
 * never on a dialect implementation.
 */
@NullMarked
package dev.cryo.core.dialect;

import org.jspecify.annotations.NullMarked;
