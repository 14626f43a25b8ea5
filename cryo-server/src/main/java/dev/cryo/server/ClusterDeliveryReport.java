package dev.cryo.server;

import java.util.List;

import org.springframework.util.Assert;

/**
 * What the other nodes of a cluster did with a multicast, node by node: the remote half of a
 * {@link BroadcastResult}. Each node that was a live member of the cluster when the message was
 * published has one {@link NodeDeliveryReport}, either its answer or
 * {@link NodeDeliveryReport.Status#NO_ANSWER}; a partial failure is therefore always visible
 * here, never silent. On a single node the report is {@linkplain #none() empty}.
 *
 * @param nodes one report per other node, in the order they answered
 */
public record ClusterDeliveryReport(List<NodeDeliveryReport> nodes) {

	private static final ClusterDeliveryReport NONE = new ClusterDeliveryReport(List.of());

	public ClusterDeliveryReport {
		Assert.notNull(nodes, "'nodes' must not be null");
		nodes = List.copyOf(nodes);
	}

	/**
	 * The report of a multicast that reached no other node: a single node, or a cluster of one.
	 * @return the empty report
	 */
	public static ClusterDeliveryReport none() {
		return NONE;
	}

	/**
	 * Returns whether every other node answered and every remote recipient ACKed.
	 * @return {@code true} when nothing failed remotely
	 */
	public boolean isComplete() {
		return this.nodes.stream().allMatch(NodeDeliveryReport::isComplete);
	}

	/**
	 * Returns the sessions the selector chose on the nodes that answered.
	 * @return the sum of their recipients
	 */
	public long recipients() {
		return this.nodes.stream().mapToLong(NodeDeliveryReport::recipients).sum();
	}

	/**
	 * Returns how many remote recipients ACKed the message.
	 * @return the sum over the nodes that answered
	 */
	public long acknowledged() {
		return this.nodes.stream().mapToLong(NodeDeliveryReport::acknowledged).sum();
	}

	/**
	 * Returns how many remote recipients did not get the message.
	 * @return the sum over the nodes that answered
	 */
	public long failed() {
		return this.nodes.stream().mapToLong(NodeDeliveryReport::failed).sum();
	}

	/**
	 * Returns the ids of the nodes that did not answer within the delivery timeout.
	 * @return the ids, empty when every node answered
	 */
	public List<String> unansweredNodes() {
		return this.nodes.stream()
			.filter((node) -> node.status() == NodeDeliveryReport.Status.NO_ANSWER)
			.map(NodeDeliveryReport::nodeId)
			.toList();
	}

}
