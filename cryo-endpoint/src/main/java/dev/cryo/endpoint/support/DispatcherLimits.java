package dev.cryo.endpoint.support;

import java.time.Duration;

/**
 * TEMP placeholder of the engine for the wire branch: the dispatcher's limits.
 *
 * @param maxRequestLength the longest request
 * @param maxPendingRequests the most requests of one connection in progress
 * @param requestTimeout how long a handler may take
 * @param requirementTimeout how long a requirement check may take
 */
public record DispatcherLimits(int maxRequestLength, int maxPendingRequests, Duration requestTimeout,
		Duration requirementTimeout) {

}
