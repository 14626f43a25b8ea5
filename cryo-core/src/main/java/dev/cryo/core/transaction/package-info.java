/**
 * Cryo transactions (cryo-v1.md §10): incoming streams that spill to a temporary file while their
 * reader lags more than a memory threshold behind, outgoing streams in push and pull mode, and the per-session manager that
 * runs them on top of the session engine.
 */
@NullMarked
package dev.cryo.core.transaction;

import org.jspecify.annotations.NullMarked;
