package dev.cryo.server.cluster;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.cryo.server.CryoSession;
import dev.cryo.server.SessionSelector;

/**
 * Delivers a message to the open sessions of this node that a selector chooses; what a
 * {@link ClusterBroadcaster} calls for the sessions that live here. Given by the server.
 */
@FunctionalInterface
public interface LocalDelivery {

	/**
	 * Sends the message to every open local session the selector chooses.
	 * @param selector chooses the recipients
	 * @param message the message
	 * @return each local recipient's send future
	 */
	Map<CryoSession, CompletableFuture<Void>> deliver(SessionSelector selector, ClusterMessage message);

}
