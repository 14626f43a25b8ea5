package dev.cryo.server.cluster;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.cryo.core.SessionId;
import dev.cryo.server.BroadcastResult;
import dev.cryo.server.CryoSession;
import dev.cryo.server.SessionNotFoundException;
import dev.cryo.server.SessionSelector;

/**
 * Delivers a message to a selection of sessions wherever they live. Every multicast by
 * {@link SessionSelector} (and every broadcast) of a server goes through its broadcaster, which
 * hands the local part to the server's {@link LocalDelivery} and, in a cluster, the selector and
 * the message to the other nodes.
 *
 * <p>{@link LocalClusterBroadcaster} is the default: this node only. A cluster implementation
 * (Redis publish/subscribe, say) publishes to the other nodes and counts what they reached in
 * {@link BroadcastResult#remoteDeliveries()}; on a receiving node it hands what arrives to that
 * node's server through the {@link LocalDelivery} the server {@linkplain #attach attached}.
 *
 * <p>Besides sessions, the broadcaster carries the messages of other modules between nodes on
 * named topics ({@link #publish(String, byte[])}, {@link #subscribe(String, ClusterTopicListener)}):
 * the endpoint layer's multicasts and live data's changes travel this way, each encoded once by
 * its module.
 */
public interface ClusterBroadcaster {

	/**
	 * Called once by each server that uses this broadcaster, when it is created: how messages
	 * that arrive from other nodes reach the sessions of that server. The local default needs
	 * nothing.
	 * @param localDelivery delivers to the sessions of the attaching server
	 */
	default void attach(LocalDelivery localDelivery) {
	}

	/**
	 * Delivers a message to the sessions the selector chooses.
	 * @param selector chooses the recipients
	 * @param message the message
	 * @param localDelivery delivers to this node's sessions
	 * @return the local send futures and the number of remote recipients
	 */
	BroadcastResult broadcast(SessionSelector selector, ClusterMessage message, LocalDelivery localDelivery);

	/**
	 * Sends a message to one session wherever it lives. The default serves a single node: the
	 * local session, or a future failed with a {@link SessionNotFoundException}. A cluster
	 * implementation hands the message to the node holding the id and completes the future with
	 * that node's report of the peer's ACK.
	 * @param sessionId the session id
	 * @param message the message
	 * @param localDelivery delivers to this node's sessions
	 * @return completes when the peer ACKs
	 */
	default CompletableFuture<Void> send(SessionId sessionId, ClusterMessage message, LocalDelivery localDelivery) {
		Map<CryoSession, CompletableFuture<Void>> sent = localDelivery.deliver(SessionSelector.id(sessionId), message);
		if (sent.isEmpty()) {
			return CompletableFuture.failedFuture(new SessionNotFoundException(sessionId));
		}
		return sent.values().iterator().next();
	}

	/**
	 * Publishes a module's message to every OTHER node's listeners of a topic; this node's own
	 * listeners do not get it (the publisher handles its own node). The default serves a single
	 * node: there is nobody to publish to.
	 * @param topic the topic's name: 1 to 200 characters, letters, digits, {@code .-_:}
	 * @param payload the bytes, encoded once by the caller
	 * @return the number of other nodes the message was handed to
	 * @throws IllegalArgumentException for a topic name outside the rules above
	 */
	default long publish(String topic, byte[] payload) {
		ClusterTopics.checkName(topic);
		return 0;
	}

	/**
	 * Subscribes a listener to what other nodes publish on a topic. The default serves a single
	 * node: nothing ever arrives.
	 * @param topic the topic's name, as for {@link #publish(String, byte[])}
	 * @param listener called for each message of another node
	 * @return the subscription, to cancel it
	 */
	default ClusterSubscription subscribe(String topic, ClusterTopicListener listener) {
		ClusterTopics.checkName(topic);
		return ClusterSubscription.NONE;
	}

}
