/**
 * A runnable application that shows the Cryo starter's features.
 */
@NullMarked
package dev.cryo.sample;

import org.jspecify.annotations.NullMarked;
