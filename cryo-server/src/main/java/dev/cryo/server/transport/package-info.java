/**
 * The Spring WebSocket transport of the session engine: the handler that owns the container
 * callbacks, non-blocking serialized sends, and reassembly of partial messages so that idle
 * connections do not hold a full-size receive buffer.
 */
@NullMarked
package dev.cryo.server.transport;

import org.jspecify.annotations.NullMarked;
