/**
 * The transport-neutral session engine that both ends of a connection share, for every
 * dialect: ack numbering and tracking, ping/pong, BYE/ERROR and close codes, the send queue,
 * and the handling of every received frame (cryo-v1.md §3–§8).
 *
 * <p>{@link dev.cryo.core.engine.ProtocolSession} coordinates; the work is done by
 * {@code FrameSender} (encoding with the dialect's codec, admission to the {@code SendQueue},
 * futures and counters), {@code CloseSequence} (the close state machine), {@code Liveness}
 * (opening deadline, heartbeat, the client's ping watch), {@code AckTracker} with its
 * {@code AckTimer}, {@code TrafficCounters}, {@code SessionTransactions} (the transactions
 * facade) and {@code EngineContext} (what a dialect's dispatcher may do). It talks to the
 * network only through {@link dev.cryo.core.engine.CryoTransport} and reports what the peer
 * does through {@link dev.cryo.core.engine.ProtocolHandler}.
 *
 * <p>Depends on the dialect and codec SPIs, the frame model and the transactions; never on a
 * dialect implementation.
 */
@NullMarked
package dev.cryo.core.engine;

import org.jspecify.annotations.NullMarked;
