/**
 * The inbound message handler SPI: {@link dev.cryo.server.handler.CryoMessageHandler}s that may
 * claim a UTF-8 or binary message and reply, asked in order, with
 * {@link dev.cryo.server.handler.EventPublishingMessageHandler} (application events) as the
 * fallback. An endpoint layer (JSON RPC and the like) plugs in here.
 *
 * <p>May depend on the API ({@code dev.cryo.server}), its events and cryo-core only.
 */
@NullMarked
package dev.cryo.server.handler;

import org.jspecify.annotations.NullMarked;
