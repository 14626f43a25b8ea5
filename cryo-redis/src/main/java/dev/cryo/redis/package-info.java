/**
 * Several Cryo servers acting as one, coordinated through Redis (Spring Data Redis): a
 * {@link dev.cryo.redis.RedisSessionDirectory} that claims session ids cluster-wide with a time
 * to live, so that an id is live on one node at most and the ids of a node that died become
 * usable again, claimed again in batches as soon as Redis returns after an outage; and a
 * {@link dev.cryo.redis.RedisClusterBroadcaster} that publishes every multicast by
 * {@link dev.cryo.server.SessionSelector} once on a Redis channel, which each node resolves
 * against its own sessions and whose outcome each node reports back to the origin, sends a message
 * to a session on another node through that node's own channel, carries other modules' topic
 * messages, and keeps a registry of the live nodes. Both are configured by a
 * {@link dev.cryo.redis.RedisClusterSettings}.
 *
 * <p>Group memberships, principals and attributes stay on the node of their session: a message to
 * a group or a user is published to every node, and each node picks its own members.
 *
 * <p>What a node exchanges with Redis is told to a {@link dev.cryo.redis.RedisClusterObserver}
 * (messages sent and received, failures by reason) for metrics, and its health can be read from
 * the broadcaster ({@code isSubscribed()}, {@code ping()}, {@code lastFailure()},
 * {@code liveNodes()}, {@code pendingReports()}); this module depends on no metrics or health
 * library.
 */
@NullMarked
package dev.cryo.redis;

import org.jspecify.annotations.NullMarked;
