/**
 * Serves the Cryo endpoint with Netty on a port of its own, as a second transport next to the
 * servlet container's: the same {@link dev.cryo.server.CryoServer}, sessions, upgrade decision
 * ({@link dev.cryo.server.support.UpgradeGate}), Origin rule
 * ({@link dev.cryo.server.web.OriginCheck}) and receive limits, without the container's
 * per-connection buffers and completion hand-offs (issue 16). Start one with
 * {@link dev.cryo.server.netty.NettyCryoServer#builder}.
 */
@NullMarked
package dev.cryo.server.netty;

import org.jspecify.annotations.NullMarked;
