/**
 * The scale-out seams: a {@link dev.cryo.server.cluster.SessionDirectory} that reserves,
 * refreshes, releases and locates session ids (so a session id is live once across a cluster)
 * and indexes the group memberships of this node's sessions,
 * and a {@link dev.cryo.server.cluster.ClusterBroadcaster} that delivers a message to a
 * {@link dev.cryo.server.SessionSelector selection} of sessions wherever they live. The defaults,
 * {@link dev.cryo.server.cluster.LocalSessionDirectory} and
 * {@link dev.cryo.server.cluster.LocalClusterBroadcaster}, serve one node in memory; a Redis
 * module plugs in here.
 *
 * <p>May depend on the API ({@code dev.cryo.server}) and cryo-core only.
 */
@NullMarked
package dev.cryo.server.cluster;

import org.jspecify.annotations.NullMarked;
