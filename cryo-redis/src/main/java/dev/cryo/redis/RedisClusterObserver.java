package dev.cryo.redis;

/**
 * Told what a node's {@link RedisClusterBroadcaster} and {@link RedisSessionDirectory} exchange
 * with Redis, for metrics: an implementation counts, and must return quickly without throwing,
 * since it is called on the threads that publish and deliver. This module has no metrics
 * library; the auto-configuration binds an implementation to Micrometer.
 */
public interface RedisClusterObserver {

	/** An observer that ignores everything: the one a broadcaster and a directory start with. */
	RedisClusterObserver NONE = new RedisClusterObserver() {
	};

	/**
	 * A message of this node's was published to the other nodes: a multicast, a send to a session
	 * of another node, a report or a topic message.
	 */
	default void messageSent() {
	}

	/**
	 * A message of another node's arrived and was handled: handed to this node's sessions or topic
	 * listeners, or taken as a report.
	 */
	default void messageReceived() {
	}

	/**
	 * A cluster operation failed: a command to Redis (a publish, a claim, a refresh, a release, a
	 * look-up or a ping; also one refused at once during the pause after a failure), a message
	 * from the channel that could not be read or delivered, a node that did not report in time.
	 * @param reason why
	 */
	default void failure(Failure reason) {
	}

	/** Why a cluster operation failed: a small fixed set, one meter series each. */
	enum Failure {

		/** Redis refused or dropped the connection, or was found unreachable a moment ago. */
		UNREACHABLE("unreachable"),

		/** Redis did not answer within the command timeout. */
		TIMEOUT("timeout"),

		/** A message on the channel was not a Cryo cluster message this node can read. */
		DECODE("decode"),

		/**
		 * Another node did not report within the delivery timeout what it did with a multicast or a
		 * send of this node's (counted once per silent node).
		 */
		NO_ANSWER("no-answer"),

		/**
		 * A multicast or a send was not tracked because as many as the limit of pending reports were
		 * waiting already: its report says no answer at once.
		 */
		PENDING_LIMIT("pending-limit"),

		/** A listener of a cluster topic threw. */
		LISTENER("listener"),

		/** Anything else: too many commands waiting, a delivery that threw, an error of Redis. */
		OTHER("other");

		private final String tag;

		Failure(String tag) {
			this.tag = tag;
		}

		/**
		 * Returns the reason as a meter tag value.
		 * @return the lower-case name
		 */
		public String tag() {
			return this.tag;
		}

	}

}
