/**
 * The client side of the connection: the WebSocket upgrade with the Cryo query parameters and
 * a {@link dev.cryo.core.session.CryoTransport} over the JDK WebSocket. Used by
 * {@link dev.cryo.client.CryoClient} and by servers that connect to peers.
 */
@NullMarked
package dev.cryo.client.transport;

import org.jspecify.annotations.NullMarked;
