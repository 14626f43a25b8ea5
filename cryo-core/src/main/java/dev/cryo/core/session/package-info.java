/**
 * The transport-neutral Cryo session engine that both ends of a connection share: ack
 * numbering and tracking, ping/pong, BYE/ERROR and close codes, the send queue, and the
 * handling of every received frame (cryo-v1.md §3–§8).
 *
 * <p>{@link dev.cryo.core.session.ProtocolSession} talks to the network only through
 * {@link dev.cryo.core.session.CryoTransport} (send one binary message, close with a code and
 * reason) and reports what the peer does through {@link dev.cryo.core.session.ProtocolHandler}.
 */
@NullMarked
package dev.cryo.core.session;

import org.jspecify.annotations.NullMarked;
