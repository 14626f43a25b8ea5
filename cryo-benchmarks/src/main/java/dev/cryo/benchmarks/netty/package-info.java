/**
 * A prototype of a second transport for the Cryo engine: a Netty server that speaks the same
 * sessions as the Tomcat endpoint (dialect selection, sid reservation, {@code ServerSession}s with
 * their events and handlers), measured by the load driver to learn what a transport without
 * Tomcat's per-connection buffers and completion hand-offs costs (issue 16). Not a product: no
 * Origin check, no TLS, no compression.
 */
@NullMarked
package dev.cryo.benchmarks.netty;

import org.jspecify.annotations.NullMarked;
