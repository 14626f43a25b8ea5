/**
 * Micrometer metrics for the Cryo server: a {@link dev.cryo.server.observer.CryoServerObserver}
 * that feeds counters and a timer, and the gauge of live sessions.
 */
@NullMarked
package dev.cryo.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
