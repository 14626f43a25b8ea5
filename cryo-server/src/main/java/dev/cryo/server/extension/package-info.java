/**
 * Extensions: ordered, named hooks that see every UTF-8, binary and error frame of every
 * session on its way out and on its way in, and may replace or drop it.
 */
@NullMarked
package dev.cryo.server.extension;

import org.jspecify.annotations.NullMarked;
