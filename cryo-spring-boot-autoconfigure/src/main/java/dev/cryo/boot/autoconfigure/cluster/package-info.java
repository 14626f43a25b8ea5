/**
 * Auto-configuration of a cluster of Cryo servers coordinated through Redis: switched on by
 * {@code cryo.cluster.redis.enabled=true}, on Boot's Redis connection.
 */
@NullMarked
package dev.cryo.boot.autoconfigure.cluster;

import org.jspecify.annotations.NullMarked;
