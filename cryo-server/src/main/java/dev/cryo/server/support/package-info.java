/**
 * The implementation of the Cryo server and its composition root:
 * {@link dev.cryo.server.support.DefaultCryoServer}, its
 * {@link dev.cryo.server.support.CryoServerLifecycle}, the server-side session that joins the
 * protocol engine to the extension chain, the message handlers and the events, its attribute
 * store, the registry of live and reserved session ids (claimed in the session directory), the
 * session factory, the heartbeat and the peer connector.
 *
 * <p>Applications do not need these types: they inject {@link dev.cryo.server.CryoServer}.
 * May depend on the API ({@code dev.cryo.server}), the packages built on it ({@code event},
 * {@code observer}, {@code handler}, {@code cluster}) and cryo-core/cryo-client; never on
 * {@code web}, which depends on this package.
 */
@NullMarked
package dev.cryo.server.support;

import org.jspecify.annotations.NullMarked;
