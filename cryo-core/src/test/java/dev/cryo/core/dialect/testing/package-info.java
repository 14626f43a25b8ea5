/**
 * A dialect for tests only, unlike Cryo v1 in layout, opening and ping, that runs through the
 * same engine: the proof that the engine depends on the dialect SPI alone. Kept in its own
 * package, which cryo-core's test-jar carries, so other modules' tests can mount it on a real
 * server.
 */
@NullMarked
package dev.cryo.core.dialect.testing;

import org.jspecify.annotations.NullMarked;
