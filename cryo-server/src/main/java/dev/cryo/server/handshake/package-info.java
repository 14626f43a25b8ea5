/**
 * The HTTP side of a Cryo connection: authentication and session-id checks before the
 * WebSocket upgrade (cryo-v1.md §2.3), and the 401 refusal of §2.4.
 */
@NullMarked
package dev.cryo.server.handshake;

import org.jspecify.annotations.NullMarked;
