package dev.cryo.endpoint.support;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.core.LogText;
import dev.cryo.endpoint.Multicaster;
import dev.cryo.endpoint.SettingsFilter;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.ClusterSubscription;

/**
 * The {@link Multicaster} of a node in a cluster: delivers each multicast to this node's matching
 * connections as {@link DefaultMulticaster} does, and publishes it once on the
 * {@value #TOPIC} topic of a {@link ClusterBroadcaster}: the filter (as JSON) and the notification
 * already encoded, so that no node encodes it again. What other nodes publish there is delivered,
 * as received, to this node's connections that match its filter, on the broadcaster's delivery
 * thread. The count a multicast returns is this node's; the publication happens on the calling
 * thread, after the local sends, and other nodes are not waited for. Multicasts of one node reach
 * another in the order they were published (as far as the broadcaster keeps it); between nodes
 * there is no order.
 *
 * <p>A message is at most {@code maxMessageSize} bytes: a larger multicast is still delivered here
 * but not published (with a warning), and a larger message received is dropped, as is one that
 * is not of the format below; what is dropped is counted and logged (escaped, bounded, at most
 * one warning per {@value #WARNING_INTERVAL_SECONDS} seconds), never thrown.
 *
 * <p>Format of a message: one version byte ({@value #FORMAT_VERSION}), the length of the filter
 * in bytes (4 bytes, big-endian), the filter's nested form as UTF-8 JSON, then the notification's
 * UTF-8 text up to the end.
 *
 * <p>Subscribes to the topic on {@link #start()} (as a Spring bean: when the context starts,
 * after the broadcaster) and cancels on {@link #stop()} or {@link #close()}.
 */
public final class ClusterMulticaster implements Multicaster, SmartLifecycle, AutoCloseable {

	/** The topic multicasts travel on. */
	public static final String TOPIC = "cryo.endpoints.multicast";

	/** The default largest message published or accepted: 1 MiB. */
	public static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;

	/** The version byte that opens every message. */
	static final byte FORMAT_VERSION = 1;

	/** The version byte and the filter's length. */
	private static final int HEADER_LENGTH = 5;

	/** How often a dropped message may be logged as a warning. */
	static final int WARNING_INTERVAL_SECONDS = 10;

	/** Most characters of a node id or a parser's message that reach a log. */
	private static final int MAX_LOGGED_CHARS = 200;

	private static final Log logger = LogFactory.getLog(ClusterMulticaster.class);

	private final DefaultMulticaster local;

	private final Envelopes envelopes;

	private final ClusterBroadcaster broadcaster;

	private final JsonMapper mapper;

	private final ObjectWriter filterWriter;

	private final int maxMessageSize;

	private final AtomicLong published = new AtomicLong();

	private final AtomicLong received = new AtomicLong();

	private final AtomicLong tooLarge = new AtomicLong();

	private final AtomicLong malformed = new AtomicLong();

	private final AtomicLong publishFailures = new AtomicLong();

	private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - TimeUnit.DAYS.toNanos(1));

	private @Nullable ClusterSubscription subscription;

	/**
	 * Creates the multicaster; {@link #start()} subscribes it to other nodes' multicasts.
	 * @param register this node's connections
	 * @param envelopes writes the notification
	 * @param broadcaster carries multicasts between nodes
	 * @param mapper writes and reads filters
	 * @param maxMessageSize the largest message published or accepted, in bytes, positive;
	 * {@link #DEFAULT_MAX_MESSAGE_SIZE} by default
	 */
	public ClusterMulticaster(ConnectionRegister register, Envelopes envelopes, ClusterBroadcaster broadcaster,
			JsonMapper mapper, int maxMessageSize) {
		Assert.notNull(broadcaster, "'broadcaster' must not be null");
		Assert.notNull(mapper, "'mapper' must not be null");
		Assert.isTrue(maxMessageSize > HEADER_LENGTH, "'maxMessageSize' must be larger than " + HEADER_LENGTH);
		this.local = new DefaultMulticaster(register, envelopes);
		this.envelopes = envelopes;
		this.broadcaster = broadcaster;
		this.mapper = mapper;
		// One line, whatever the application's mapper indents: the filter is read by machines only.
		this.filterWriter = mapper.writer().without(SerializationFeature.INDENT_OUTPUT);
		this.maxMessageSize = maxMessageSize;
	}

	/**
	 * Notifies every open matching connection of this node, then publishes the multicast once to
	 * the other nodes. The notification is encoded once, even when no connection here matches.
	 * @param filter which connections
	 * @param type the notification's type
	 * @param data written once
	 * @return how many connections of this node the message was handed to
	 */
	@Override
	public int multicast(SettingsFilter filter, String type, @Nullable Object data) {
		Assert.notNull(filter, "'filter' must not be null");
		Assert.hasText(type, "'type' must not be empty");
		String notification = this.envelopes.notification(type, data);
		int count = this.local.deliver(filter, () -> notification);
		publish(filter, notification);
		return count;
	}

	private void publish(SettingsFilter filter, String notification) {
		byte[] message;
		try {
			message = encode(filter, notification);
		}
		catch (JacksonException ex) {
			this.publishFailures.incrementAndGet();
			logger.warn("Multicast not published to other nodes: its filter cannot be written as JSON", ex);
			return;
		}
		if (message.length > this.maxMessageSize) {
			this.tooLarge.incrementAndGet();
			logger.warn("Multicast of " + message.length + " bytes not published to other nodes: larger than "
					+ this.maxMessageSize + " bytes");
			return;
		}
		try {
			this.broadcaster.publish(TOPIC, message);
			this.published.incrementAndGet();
		}
		catch (RuntimeException ex) {
			// This node's connections have it; the cluster's trouble is the broadcaster's to report.
			this.publishFailures.incrementAndGet();
			logger.warn("Multicast not published to other nodes: " + LogText.escape(ex.toString(), MAX_LOGGED_CHARS));
		}
	}

	private byte[] encode(SettingsFilter filter, String notification) {
		byte[] filterJson = this.filterWriter.writeValueAsBytes(filter.criteria());
		byte[] text = notification.getBytes(StandardCharsets.UTF_8);
		ByteBuffer buffer = ByteBuffer.allocate(HEADER_LENGTH + filterJson.length + text.length);
		buffer.put(FORMAT_VERSION).putInt(filterJson.length).put(filterJson).put(text);
		return buffer.array();
	}

	/**
	 * Delivers a multicast another node published to this node's matching connections; a message
	 * that is too large or malformed is counted, logged and dropped.
	 * @param originNodeId the node that published it
	 * @param message the message
	 */
	void receive(String originNodeId, byte[] message) {
		if (message.length > this.maxMessageSize) {
			this.tooLarge.incrementAndGet();
			warn(originNodeId, "of " + message.length + " bytes, larger than " + this.maxMessageSize);
			return;
		}
		SettingsFilter filter;
		String notification;
		try {
			ByteBuffer buffer = ByteBuffer.wrap(message);
			if (message.length < HEADER_LENGTH || buffer.get() != FORMAT_VERSION) {
				throw new IllegalArgumentException("not a multicast of version " + FORMAT_VERSION);
			}
			int filterLength = buffer.getInt();
			if (filterLength < 0 || filterLength > buffer.remaining()) {
				throw new IllegalArgumentException("filter length " + filterLength + " out of bounds");
			}
			filter = readFilter(message, HEADER_LENGTH, filterLength);
			notification = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(message, HEADER_LENGTH + filterLength,
						message.length - HEADER_LENGTH - filterLength))
				.toString();
			if (notification.isEmpty()) {
				throw new IllegalArgumentException("no notification");
			}
		}
		catch (IllegalArgumentException | JacksonException | CharacterCodingException ex) {
			this.malformed.incrementAndGet();
			warn(originNodeId, "that is malformed (" + ex.getMessage() + ")");
			return;
		}
		this.received.incrementAndGet();
		this.local.deliver(filter, () -> notification);
	}

	@SuppressWarnings("unchecked")
	private SettingsFilter readFilter(byte[] message, int offset, int length) {
		JsonNode tree = this.mapper.readTree(message, offset, length);
		if (tree == null || !tree.isObject()) {
			throw new IllegalArgumentException("the filter is not a JSON object");
		}
		for (JsonNode plugin : tree.values()) {
			if (!plugin.isObject()) {
				throw new IllegalArgumentException("a filter's plugin is not a JSON object");
			}
		}
		return SettingsFilter.of(this.mapper.treeToValue(tree, Map.class));
	}

	private void warn(String originNodeId, String what) {
		String text = "Dropped a multicast from node " + LogText.escape(originNodeId, MAX_LOGGED_CHARS) + " "
				+ LogText.escape(what, MAX_LOGGED_CHARS);
		long now = System.nanoTime();
		long last = this.lastWarning.get();
		// One warning per interval: a node (or anyone who can publish) sending garbage must not flood the log.
		if (now - last >= TimeUnit.SECONDS.toNanos(WARNING_INTERVAL_SECONDS) && this.lastWarning.compareAndSet(last, now)) {
			logger.warn(text);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(text);
		}
	}

	/** Subscribes to other nodes' multicasts; does nothing when subscribed already. */
	@Override
	public synchronized void start() {
		if (this.subscription == null) {
			this.subscription = this.broadcaster.subscribe(TOPIC, this::receive);
		}
	}

	/** Cancels the subscription: other nodes' multicasts no longer reach this node. */
	@Override
	public synchronized void stop() {
		ClusterSubscription current = this.subscription;
		this.subscription = null;
		if (current != null) {
			current.cancel();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.subscription != null;
	}

	/**
	 * Starts after the broadcaster (phase {@code DEFAULT_PHASE - 4096} for Redis) and before the
	 * web server, and stops in the reverse order.
	 * @return the phase
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 3072;
	}

	/** Cancels the subscription, as {@link #stop()} does. */
	@Override
	public void close() {
		stop();
	}

	/**
	 * Returns how many multicasts were published to other nodes.
	 * @return the count since start
	 */
	public long publishedCount() {
		return this.published.get();
	}

	/**
	 * Returns how many multicasts of other nodes were delivered here.
	 * @return the count since start
	 */
	public long receivedCount() {
		return this.received.get();
	}

	/**
	 * Returns how many multicasts were larger than the limit: not published, or dropped on receipt.
	 * @return the count since start
	 */
	public long tooLargeCount() {
		return this.tooLarge.get();
	}

	/**
	 * Returns how many messages received on the topic were malformed and dropped.
	 * @return the count since start
	 */
	public long malformedCount() {
		return this.malformed.get();
	}

	/**
	 * Returns how many multicasts could not be published (the filter could not be written, or the
	 * broadcaster failed).
	 * @return the count since start
	 */
	public long publishFailureCount() {
		return this.publishFailures.get();
	}

}
