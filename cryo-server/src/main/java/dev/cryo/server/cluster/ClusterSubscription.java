package dev.cryo.server.cluster;

/**
 * A listener's hold on a topic; {@link #cancel()} ends it.
 */
@FunctionalInterface
public interface ClusterSubscription {

	/** A subscription that holds nothing. */
	ClusterSubscription NONE = () -> {
	};

	/** Stops the listener from receiving further messages; calling it again does nothing. */
	void cancel();

}
