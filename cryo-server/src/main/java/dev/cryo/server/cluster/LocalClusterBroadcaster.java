package dev.cryo.server.cluster;

import dev.cryo.server.BroadcastResult;
import dev.cryo.server.SessionSelector;

/** The {@link ClusterBroadcaster} of a single node: every delivery is local. */
public final class LocalClusterBroadcaster implements ClusterBroadcaster {

	@Override
	public BroadcastResult broadcast(SessionSelector selector, ClusterMessage message, LocalDelivery localDelivery) {
		return BroadcastResult.local(localDelivery.deliver(selector, message));
	}

}
