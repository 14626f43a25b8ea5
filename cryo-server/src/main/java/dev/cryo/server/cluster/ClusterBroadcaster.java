package dev.cryo.server.cluster;

import dev.cryo.server.BroadcastResult;
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

}
