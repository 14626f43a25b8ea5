/**
 * Cryo transactions (cryo-v1.md §10): streams of any size sent as chunks alongside a session's
 * messages.
 *
 * <p>The session engine talks to one {@code TransactionManager} per session, through which it
 * hands in the transaction frames it received and which reaches back through a
 * {@code TransactionChannel}. Behind it:
 * <ul>
 * <li>{@code IncomingTransactions} runs what the peer sends: an {@code IncomingStream} per
 * transaction, whose {@code ReceiveBuffer} spills to a temporary file while its reader lags more
 * than a memory threshold behind, and in pull mode the windows it requests;</li>
 * <li>{@code StreamClaims} hands those streams to whoever waits for them by name;</li>
 * <li>{@code OutgoingTransactions} numbers and routes what this endpoint sends, each an
 * {@code OutgoingTransaction} that pushes its {@code StreamSource}, or in pull mode keeps it in a
 * {@code SpillBuffer} and serves the ranges the peer pulls.</li>
 * </ul>
 */
@NullMarked
package dev.cryo.core.transaction;

import org.jspecify.annotations.NullMarked;
