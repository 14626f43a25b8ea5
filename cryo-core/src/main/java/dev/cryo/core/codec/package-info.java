/**
 * The wire codec SPI: {@link dev.cryo.core.codec.WireCodec} turns the messages of one dialect
 * into the shared frame model and back, so the session engine never touches a header byte.
 *
 * <p>Depends on {@code dev.cryo.core.frame} only.
 */
@NullMarked
package dev.cryo.core.codec;

import org.jspecify.annotations.NullMarked;
