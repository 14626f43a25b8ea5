/**
 * The implementation of the Cryo server and its composition root:
 * {@link dev.cryo.server.support.DefaultCryoServer}, its
 * {@link dev.cryo.server.support.CryoServerLifecycle}, the server-side session that joins the
 * protocol engine to the extension chain and the events, the registry of live and reserved
 * session ids, the session factory, the heartbeat and the peer connector.
 *
 * <p>Applications do not need these types: they inject {@link dev.cryo.server.CryoServer}.
 * May depend on the API ({@code dev.cryo.server}), its SPI packages ({@code event},
 * {@code observer}) and cryo-core/cryo-client; never on {@code web}, which depends on this
 * package.
 */
@NullMarked
package dev.cryo.server.support;

import org.jspecify.annotations.NullMarked;
