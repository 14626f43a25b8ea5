package dev.cryo.server;

import org.springframework.util.Assert;

/**
 * What one other node of a cluster did with a multicast: how many of its sessions the selector
 * chose, and how many of them ACKed the message or failed (closed, refused, or no ACK within the
 * session's ACK timeout), or that the node did not answer within the cluster's delivery timeout.
 *
 * @param nodeId the node's id
 * @param status whether the node answered
 * @param recipients the node's sessions the selector chose; {@code 0} when it did not answer
 * @param acknowledged how many of them ACKed the message
 * @param failed how many of them did not get it: the send failed, or no ACK came in time
 */
public record NodeDeliveryReport(String nodeId, Status status, int recipients, int acknowledged, int failed) {

	public NodeDeliveryReport {
		Assert.hasText(nodeId, "'nodeId' must not be empty");
		Assert.notNull(status, "'status' must not be null");
		Assert.isTrue(recipients >= 0 && acknowledged >= 0 && failed >= 0, "Counts must not be negative");
		Assert.isTrue(acknowledged + failed <= recipients, "More outcomes than recipients");
	}

	/**
	 * The report of a node that did not answer within the delivery timeout: it may have
	 * delivered the message, or not.
	 * @param nodeId the node's id
	 * @return the report
	 */
	public static NodeDeliveryReport noAnswer(String nodeId) {
		return new NodeDeliveryReport(nodeId, Status.NO_ANSWER, 0, 0, 0);
	}

	/**
	 * Returns whether the node answered and every one of its recipients ACKed.
	 * @return {@code true} for a complete delivery on that node (also with no recipient)
	 */
	public boolean isComplete() {
		return this.status == Status.ANSWERED && this.acknowledged == this.recipients;
	}

	/** Whether a node answered. */
	public enum Status {

		/** The node delivered to its recipients and reported their outcomes. */
		ANSWERED,

		/** No report came from the node within the delivery timeout. */
		NO_ANSWER

	}

}
