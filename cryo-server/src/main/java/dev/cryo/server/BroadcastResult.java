package dev.cryo.server;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.springframework.util.Assert;

/**
 * What a multicast by {@link SessionSelector} reached: the send future of each session of this
 * node, how many other nodes of a cluster it was handed to, and what those nodes did with it.
 * Without a cluster the remote count is zero and the remote report is empty at once.
 *
 * <p>What a remote recipient is depends on the {@link dev.cryo.server.cluster.ClusterBroadcaster}:
 * one that knows the sessions of the other nodes counts sessions; a publish/subscribe one, which
 * hands the selector to the other nodes to resolve (the Redis broadcaster), counts the NODES the
 * message was published to, each of which may have no recipient. Its documentation says which.
 *
 * <p>The {@linkplain #remoteReport() remote report} completes, never exceptionally, when every
 * other live node answered with its outcome (its recipients, how many ACKed, how many failed), or
 * when the broadcaster's delivery timeout passed, with the silent nodes reported as
 * {@link NodeDeliveryReport.Status#NO_ANSWER}. Together with the local futures it says, per
 * session here and per node elsewhere, whether the message arrived.
 *
 * @param localDeliveries each local recipient's send future, completing when the peer ACKs
 * @param remoteDeliveries the number of remote recipients the message was handed to: sessions, or
 * nodes for a broadcaster that counts nodes
 * @param remoteReport completes with what the other nodes did with the message
 */
public record BroadcastResult(Map<CryoSession, CompletableFuture<Void>> localDeliveries, long remoteDeliveries,
		CompletableFuture<ClusterDeliveryReport> remoteReport) {

	public BroadcastResult {
		Assert.notNull(localDeliveries, "'localDeliveries' must not be null");
		Assert.isTrue(remoteDeliveries >= 0, "'remoteDeliveries' must not be negative");
		Assert.notNull(remoteReport, "'remoteReport' must not be null");
	}

	/**
	 * Creates a result whose other nodes report nothing: a broadcaster that does not collect
	 * reports.
	 * @param localDeliveries each local recipient's send future
	 * @param remoteDeliveries the number of remote recipients
	 */
	public BroadcastResult(Map<CryoSession, CompletableFuture<Void>> localDeliveries, long remoteDeliveries) {
		this(localDeliveries, remoteDeliveries, CompletableFuture.completedFuture(ClusterDeliveryReport.none()));
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
