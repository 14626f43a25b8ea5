package dev.cryo.server;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.springframework.util.Assert;

/**
 * What a multicast by {@link SessionSelector} reached: the send future of each session of this
 * node, and how many remote recipients on other nodes of a cluster it was handed to. Without a
 * cluster the remote count is always zero.
 *
 * <p>What a remote recipient is depends on the {@link dev.cryo.server.cluster.ClusterBroadcaster}:
 * one that knows the sessions of the other nodes counts sessions; a publish/subscribe one, which
 * hands the selector to the other nodes to resolve (the Redis broadcaster), counts the NODES the
 * message was published to, each of which may have no recipient. Its documentation says which.
 *
 * @param localDeliveries each local recipient's send future, completing when the peer ACKs
 * @param remoteDeliveries the number of remote recipients the message was handed to: sessions, or
 * nodes for a broadcaster that counts nodes
 */
public record BroadcastResult(Map<CryoSession, CompletableFuture<Void>> localDeliveries, long remoteDeliveries) {

	public BroadcastResult {
		Assert.notNull(localDeliveries, "'localDeliveries' must not be null");
		Assert.isTrue(remoteDeliveries >= 0, "'remoteDeliveries' must not be negative");
	}

	/**
	 * Creates the result of a delivery to local sessions only.
	 * @param localDeliveries each local recipient's send future
	 * @return the result
	 */
	public static BroadcastResult local(Map<CryoSession, CompletableFuture<Void>> localDeliveries) {
		return new BroadcastResult(localDeliveries, 0);
	}

	/**
	 * Returns the number of local sessions plus the {@linkplain #remoteDeliveries() remote
	 * recipients} (nodes, for a broadcaster that counts nodes) the message was handed to.
	 * @return the count of recipients
	 */
	public long delivered() {
		return this.localDeliveries.size() + this.remoteDeliveries;
	}

}
