package dev.cryo.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.cryo.server.cluster.ClusterTopic;

/**
 * Binds the counts of a module's {@link ClusterTopic} to two meters, the same way for every module
 * that sends messages of its own between nodes: {@code <exchanged>{direction=published|received}}
 * and {@code <dropped>{reason=too-large|malformed|publish-failed}}.
 */
public final class ClusterTopicMeters {

	private ClusterTopicMeters() {
	}

	/**
	 * Registers the meters.
	 * @param registry where to register them
	 * @param topic the counts
	 * @param exchanged the name of the meter of messages exchanged, e.g. {@code cryo.endpoints.cluster.multicasts}
	 * @param dropped the name of the meter of messages not exchanged
	 * @param what what a message is, plural, for the descriptions: {@code "Multicasts"}
	 */
	public static void bind(MeterRegistry registry, ClusterTopic topic, String exchanged, String dropped, String what) {
		String exchangedDescription = what + " exchanged with the other nodes of the cluster";
		String droppedDescription = what + " not exchanged with the other nodes of the cluster";
		FunctionCounter.builder(exchanged, topic, ClusterTopic::publishedCount)
			.description(exchangedDescription)
			.tag("direction", "published")
			.register(registry);
		FunctionCounter.builder(exchanged, topic, ClusterTopic::receivedCount)
			.description(exchangedDescription)
			.tag("direction", "received")
			.register(registry);
		FunctionCounter.builder(dropped, topic, ClusterTopic::tooLargeCount)
			.description(droppedDescription)
			.tag("reason", "too-large")
			.register(registry);
		FunctionCounter.builder(dropped, topic, ClusterTopic::malformedCount)
			.description(droppedDescription)
			.tag("reason", "malformed")
			.register(registry);
		FunctionCounter.builder(dropped, topic, ClusterTopic::publishFailureCount)
			.description(droppedDescription)
			.tag("reason", "publish-failed")
			.register(registry);
	}

}
