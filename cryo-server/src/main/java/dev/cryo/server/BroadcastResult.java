package dev.cryo.server;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.springframework.util.Assert;

/**
 * What a multicast by {@link SessionSelector} reached: the send future of each session of this
 * node, and how many sessions on other nodes of a cluster it was handed to. Without a cluster
 * the remote count is always zero.
 *
 * @param localDeliveries each local recipient's send future, completing when the peer ACKs
 * @param remoteDeliveries the number of sessions on other nodes the message was handed to
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
	 * Returns the number of sessions the message was handed to, here and on other nodes.
	 * @return the count of recipients
	 */
	public long delivered() {
		return this.localDeliveries.size() + this.remoteDeliveries;
	}

}
