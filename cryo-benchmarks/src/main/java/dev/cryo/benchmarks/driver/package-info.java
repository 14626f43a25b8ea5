/**
 * The end-to-end load driver: a lean client, the scenarios, and the process that runs the bench
 * app.
 */
@NullMarked
package dev.cryo.benchmarks.driver;

import org.jspecify.annotations.NullMarked;
