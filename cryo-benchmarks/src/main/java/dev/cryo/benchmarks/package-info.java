/**
 * The benchmark suite: JMH benchmarks of the codec and the end-to-end comparison of Cryo with
 * the raw WebSocket transport it runs on.
 */
@NullMarked
package dev.cryo.benchmarks;

import org.jspecify.annotations.NullMarked;
