package dev.cryo.server.cluster;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

import dev.cryo.core.LogText;

/**
 * A module's topic on a {@link ClusterBroadcaster}, with the bookkeeping every module that sends
 * its own messages between nodes needs: messages larger than a limit are neither published nor
 * accepted, a failure to encode or publish never reaches the caller (the local delivery already
 * happened; the cluster's trouble is the broadcaster's to report), and what was published,
 * received and dropped is counted for metrics. The module encodes and decodes its own format.
 *
 * <p>What arrives from other nodes is network input: a dropped message is logged escaped and
 * bounded, and at most one warning per {@value #WARNING_INTERVAL_SECONDS} seconds (the rest at
 * debug level), so that a node, or anyone who can publish on the shared store, sending garbage
 * cannot flood the log.
 *
 * <p>{@link #start(Receiver)} subscribes, {@link #stop()} cancels; both may be called again.
 */
public final class ClusterTopic {

	/** How often a dropped message may be logged as a warning. */
	public static final int WARNING_INTERVAL_SECONDS = 10;

	/**
	 * The lifecycle phase of a module that receives a topic: it subscribes after the broadcaster
	 * has started ({@code DEFAULT_PHASE - 4096} for Redis) and before the web server accepts
	 * connections, and stops in the reverse order.
	 */
	public static final int SUBSCRIBER_PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

	private static final Log logger = LogFactory.getLog(ClusterTopic.class);

	/** The most characters of a node id or an error message that reach a log. */
	private static final int MAX_LOGGED_CHARS = 200;

	private final ClusterBroadcaster broadcaster;

	private final String topic;

	private final String what;

	private final int maxMessageSize;

	private final AtomicLong published = new AtomicLong();

	private final AtomicLong received = new AtomicLong();

	private final AtomicLong tooLarge = new AtomicLong();

	private final AtomicLong malformed = new AtomicLong();

	private final AtomicLong publishFailures = new AtomicLong();

	private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - TimeUnit.DAYS.toNanos(1));

	private @Nullable ClusterSubscription subscription;

	/**
	 * Creates the topic; nothing is subscribed before {@link #start(Receiver)}.
	 * @param broadcaster carries the messages between nodes
	 * @param topic the topic's name, as {@link ClusterTopics#checkName(String)} allows
	 * @param what what one message is, for the log: {@code "multicast"}, {@code "live-data transaction"}
	 * @param maxMessageSize the largest message published or accepted, in bytes, positive
	 */
	public ClusterTopic(ClusterBroadcaster broadcaster, String topic, String what, int maxMessageSize) {
		Assert.notNull(broadcaster, "'broadcaster' must not be null");
		Assert.hasText(what, "'what' must not be empty");
		Assert.isTrue(maxMessageSize > 0, "'maxMessageSize' must be positive");
		this.broadcaster = broadcaster;
		this.topic = ClusterTopics.checkName(topic);
		this.what = what;
		this.maxMessageSize = maxMessageSize;
	}

	/**
	 * Encodes a message and publishes it to the other nodes, unless encoding fails or the message
	 * is larger than the limit; never throws: every failure is counted and logged.
	 * @param encoder writes the message; what it throws is a failure to publish
	 * @return whether the message was published
	 */
	public boolean publish(Supplier<byte[]> encoder) {
		byte[] message;
		try {
			message = encoder.get();
		}
		catch (RuntimeException ex) {
			this.publishFailures.incrementAndGet();
			logger.warn("A " + this.what + " was not published to other nodes: it cannot be encoded", ex);
			return false;
		}
		if (message.length > this.maxMessageSize) {
			this.tooLarge.incrementAndGet();
			logger.warn("A " + this.what + " of " + message.length + " bytes was not published to other nodes: "
					+ "larger than " + this.maxMessageSize + " bytes");
			return false;
		}
		try {
			this.broadcaster.publish(this.topic, message);
			this.published.incrementAndGet();
			return true;
		}
		catch (RuntimeException ex) {
			this.publishFailures.incrementAndGet();
			logger.warn("A " + this.what + " was not published to other nodes: "
					+ LogText.escape(String.valueOf(ex), MAX_LOGGED_CHARS));
			return false;
		}
	}

	/**
	 * Subscribes the receiver to what other nodes publish on the topic; a message larger than the
	 * limit is dropped before it reaches the receiver. Does nothing when subscribed already.
	 * @param receiver decodes and delivers a message, or throws an {@link IllegalArgumentException}
	 * (or another runtime exception of its decoder) for a malformed one
	 */
	public synchronized void start(Receiver receiver) {
		Assert.notNull(receiver, "'receiver' must not be null");
		if (this.subscription == null) {
			this.subscription = this.broadcaster.subscribe(this.topic,
					(originNodeId, message) -> receive(receiver, originNodeId, message));
		}
	}

	private void receive(Receiver receiver, String originNodeId, byte[] message) {
		if (message.length > this.maxMessageSize) {
			this.tooLarge.incrementAndGet();
			dropped(originNodeId, "of " + message.length + " bytes, larger than " + this.maxMessageSize);
			return;
		}
		try {
			receiver.receive(originNodeId, message);
		}
		catch (RuntimeException ex) {
			this.malformed.incrementAndGet();
			dropped(originNodeId, "that is malformed (" + ex.getMessage() + ")");
			return;
		}
		this.received.incrementAndGet();
	}

	private void dropped(String originNodeId, String why) {
		String text = "Dropped a " + this.what + " from node " + LogText.escape(originNodeId, MAX_LOGGED_CHARS) + " "
				+ LogText.escape(why, MAX_LOGGED_CHARS);
		long now = System.nanoTime();
		long last = this.lastWarning.get();
		if (now - last >= TimeUnit.SECONDS.toNanos(WARNING_INTERVAL_SECONDS)
				&& this.lastWarning.compareAndSet(last, now)) {
			logger.warn(text);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(text);
		}
	}

	/** Cancels the subscription: other nodes' messages no longer arrive. */
	public synchronized void stop() {
		ClusterSubscription current = this.subscription;
		this.subscription = null;
		if (current != null) {
			current.cancel();
		}
	}

	/**
	 * Returns whether the receiver is subscribed.
	 * @return {@code true} between {@link #start(Receiver)} and {@link #stop()}
	 */
	public synchronized boolean isRunning() {
		return this.subscription != null;
	}

	/**
	 * Returns the topic's name.
	 * @return the name
	 */
	public String name() {
		return this.topic;
	}

	/**
	 * Returns how many messages were published to other nodes.
	 * @return the count since creation
	 */
	public long publishedCount() {
		return this.published.get();
	}

	/**
	 * Returns how many messages of other nodes the receiver took.
	 * @return the count since creation
	 */
	public long receivedCount() {
		return this.received.get();
	}

	/**
	 * Returns how many messages were larger than the limit: not published, or dropped on receipt.
	 * @return the count since creation
	 */
	public long tooLargeCount() {
		return this.tooLarge.get();
	}

	/**
	 * Returns how many received messages the receiver refused as malformed.
	 * @return the count since creation
	 */
	public long malformedCount() {
		return this.malformed.get();
	}

	/**
	 * Returns how many messages could not be encoded or published.
	 * @return the count since creation
	 */
	public long publishFailureCount() {
		return this.publishFailures.get();
	}

	/** Decodes and delivers a message of another node. */
	@FunctionalInterface
	public interface Receiver {

		/**
		 * Decodes and delivers one message.
		 * @param originNodeId the node that published it
		 * @param message the bytes
		 * @throws IllegalArgumentException (or another runtime exception) when it is malformed;
		 * it is then counted and dropped
		 */
		void receive(String originNodeId, byte[] message);

	}

}
