package dev.cryo.server;

/**
 * Fails the future of a send to a session on another node when that node did not report the
 * outcome within the cluster's delivery timeout, or reported that the send failed there: the
 * message may or may not have reached the session.
 */
public class ClusterDeliveryException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String nodeId;

	/**
	 * Creates the exception.
	 * @param nodeId the node that holds the session
	 * @param message what happened
	 */
	public ClusterDeliveryException(String nodeId, String message) {
		super(message);
		this.nodeId = nodeId;
	}

	/**
	 * Returns the node that holds the session.
	 * @return the node's id
	 */
	public String nodeId() {
		return this.nodeId;
	}

}
