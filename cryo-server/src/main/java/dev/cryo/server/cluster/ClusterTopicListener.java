package dev.cryo.server.cluster;

/**
 * Receives what other nodes of a cluster {@linkplain ClusterBroadcaster#publish(String, byte[])
 * published} on a topic. Called on the broadcaster's delivery thread, one message at a time in
 * the order they arrive; a listener that blocks delays every message after it.
 */
@FunctionalInterface
public interface ClusterTopicListener {

	/**
	 * Handles one message.
	 * @param originNodeId the node that published it
	 * @param payload the bytes it published; the listener may keep them
	 */
	void onMessage(String originNodeId, byte[] payload);

}
