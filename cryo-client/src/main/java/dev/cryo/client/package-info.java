/**
 * The Java Cryo client on the JDK's {@code java.net.http} WebSocket: what users see
 * ({@link dev.cryo.client.CryoClient}, {@link dev.cryo.client.CryoClientSession},
 * {@link dev.cryo.client.CryoClientListener}, {@link dev.cryo.client.ReconnectPolicy} and the
 * exceptions) and the {@link dev.cryo.client.CryoConnector} that opens one connection, which
 * servers also use to link to peers.
 *
 * <p>Depends on cryo-core and on {@code dev.cryo.client.support}, never the other way round.
 */
@NullMarked
package dev.cryo.client;

import org.jspecify.annotations.NullMarked;
