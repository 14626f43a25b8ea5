/**
 * Several Cryo servers acting as one, coordinated through Redis (Spring Data Redis): a
 * {@link dev.cryo.redis.RedisSessionDirectory} that claims session ids cluster-wide with a time
 * to live, so that an id is live on one node at most and the ids of a node that died become
 * usable again, and a {@link dev.cryo.redis.RedisClusterBroadcaster} that publishes every
 * multicast by {@link dev.cryo.server.SessionSelector} once on a Redis channel, which each node
 * resolves against its own sessions. Both are configured by a {@link dev.cryo.redis.RedisClusterSettings}.
 *
 * <p>Group memberships, principals and attributes stay on the node of their session: a message to
 * a group or a user is published to every node, and each node picks its own members.
 */
@NullMarked
package dev.cryo.redis;

import org.jspecify.annotations.NullMarked;
