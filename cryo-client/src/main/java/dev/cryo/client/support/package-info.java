/**
 * The machinery behind {@link dev.cryo.client.CryoClientSession}: the
 * {@link dev.cryo.client.support.Reconnector} that keeps a session alive across connections
 * and the {@link dev.cryo.client.support.ClientConnection} that handles one connection's
 * engine callbacks.
 *
 * <p>Depends on cryo-core only. It knows nothing of the client's public types (listeners,
 * policy, exceptions): the session hands it plain callbacks and values, so that
 * {@code dev.cryo.client} can depend on this package without a cycle, and so that the
 * reconnect state machine can be tested with a fake connector and a manual timer.
 */
@NullMarked
package dev.cryo.client.support;

import org.jspecify.annotations.NullMarked;
