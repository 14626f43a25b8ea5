/**
 * The Spring WebSocket side of a Cryo connection: the origin check (cryo-v1.md §2.5) and the
 * authentication and session-id checks before the upgrade (§2.3) with the refusal bodies of
 * §2.4, the choice of the connection's
 * dialect (the first of the server's dialects that recognises the request, v1 last) and its
 * subprotocol, the handler that owns the container callbacks, non-blocking serialized sends, and reassembly of partial messages so that
 * idle connections do not hold a full-size receive buffer.
 *
 * <p>The outermost layer: may depend on {@code support}, the observer SPI and the API; nothing
 * in cryo-server depends on it.
 */
@NullMarked
package dev.cryo.server.web;

import org.jspecify.annotations.NullMarked;
