/**
 * The wires of the endpoint layer: they connect the
 * {@link dev.cryo.endpoint.support.EndpointDispatcher} to connections. The Cryo wire
 * ({@link dev.cryo.endpoint.wire.CryoEndpointMessageHandler}) claims the UTF-8 messages of Cryo
 * sessions that are endpoint requests; the yoctopus wire
 * ({@link dev.cryo.endpoint.wire.YoctopusWebSocketHandler}) speaks yoctopus's JSON frames on a
 * plain WebSocket, with WebSocket pings, optional token authentication through the application's
 * {@link dev.cryo.server.CryoAuthenticator} ({@link dev.cryo.endpoint.wire.YoctopusHandshakeInterceptor})
 * and origin checks ({@link dev.cryo.endpoint.wire.YoctopusOriginInterceptor}).
 */
@NullMarked
package dev.cryo.endpoint.wire;

import org.jspecify.annotations.NullMarked;
