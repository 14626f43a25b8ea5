/**
 * The application the end-to-end benchmarks run against: Cryo and a raw WebSocket echo on one
 * Tomcat.
 */
@NullMarked
package dev.cryo.benchmarks.app;

import org.jspecify.annotations.NullMarked;
