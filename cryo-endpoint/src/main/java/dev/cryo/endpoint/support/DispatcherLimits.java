package dev.cryo.endpoint.support;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * The limits of {@link DefaultEndpointDispatcher}.
 *
 * @param maxRequestLength most characters of one text message; a longer one is answered with an
 * error without being parsed
 * @param maxPendingRequests most asynchronous requests of one connection awaiting their answer; a
 * request arriving while that many wait is refused at once
 * @param requestTimeout how long an asynchronous handler may take before the request is answered
 * with a timeout error
 * @param requirementTimeout how long one {@link dev.cryo.endpoint.RequirementCheck} may take
 * before it counts as not met
 */
public record DispatcherLimits(int maxRequestLength, int maxPendingRequests, Duration requestTimeout,
		Duration requirementTimeout) {

	/** 1 MiB characters, 256 pending requests, 30 s per request, 5 s per requirement check. */
	public static final DispatcherLimits DEFAULTS = new DispatcherLimits(1024 * 1024, 256, Duration.ofSeconds(30),
			Duration.ofSeconds(5));

	public DispatcherLimits {
		Assert.isTrue(maxRequestLength > 0, "'maxRequestLength' must be positive");
		Assert.isTrue(maxPendingRequests > 0, "'maxPendingRequests' must be positive");
		Assert.isTrue(requestTimeout != null && requestTimeout.toMillis() > 0, "'requestTimeout' must be positive");
		Assert.isTrue(requirementTimeout != null && requirementTimeout.toMillis() > 0,
				"'requirementTimeout' must be positive");
	}

}
