/**
 * JMH benchmarks of the frame codec.
 */
@NullMarked
package dev.cryo.benchmarks.codec;

import org.jspecify.annotations.NullMarked;
