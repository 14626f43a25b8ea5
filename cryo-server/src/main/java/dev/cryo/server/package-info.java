/**
 * The Cryo server on Spring WebSocket: transport for the session engine, handshake, session
 * registry, heartbeat scheduling, extensions and application events.
 */
@NullMarked
package dev.cryo.server;

import org.jspecify.annotations.NullMarked;
