/**
 * Server-side sessions: the registry of live and reserved session ids, the session
 * implementation that joins the protocol engine to extensions and events, and the heartbeat.
 */
@NullMarked
package dev.cryo.server.session;

import org.jspecify.annotations.NullMarked;
