package dev.cryo.endpoint.support;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.endpoint.Multicaster;
import dev.cryo.endpoint.SettingsFilter;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.ClusterTopic;

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
 * one warning per {@value ClusterTopic#WARNING_INTERVAL_SECONDS} seconds), never thrown.
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

	private final DefaultMulticaster local;

	private final Envelopes envelopes;

	private final ClusterTopic topic;

	private final JsonMapper mapper;

	private final ObjectWriter filterWriter;

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
		this.topic = new ClusterTopic(broadcaster, TOPIC, "multicast", maxMessageSize);
		this.mapper = mapper;
		// One line, whatever the application's mapper indents: the filter is read by machines only.
		this.filterWriter = mapper.writer().without(SerializationFeature.INDENT_OUTPUT);
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
		this.topic.publish(() -> encode(filter, notification));
		return count;
	}

	private byte[] encode(SettingsFilter filter, String notification) {
		byte[] filterJson = this.filterWriter.writeValueAsBytes(filter.criteria());
		byte[] text = notification.getBytes(StandardCharsets.UTF_8);
		ByteBuffer buffer = ByteBuffer.allocate(HEADER_LENGTH + filterJson.length + text.length);
		buffer.put(FORMAT_VERSION).putInt(filterJson.length).put(filterJson).put(text);
		return buffer.array();
	}

	/**
	 * Delivers a multicast another node published to this node's matching connections.
	 * @param originNodeId the node that published it
	 * @param message the message, no larger than the limit (the topic drops larger ones)
	 * @throws IllegalArgumentException when the message is malformed; the topic counts and drops it
	 */
	void receive(String originNodeId, byte[] message) {
		ByteBuffer buffer = ByteBuffer.wrap(message);
		if (message.length < HEADER_LENGTH || buffer.get() != FORMAT_VERSION) {
			throw new IllegalArgumentException("not a multicast of version " + FORMAT_VERSION);
		}
		int filterLength = buffer.getInt();
		if (filterLength < 0 || filterLength > buffer.remaining()) {
			throw new IllegalArgumentException("filter length " + filterLength + " out of bounds");
		}
		SettingsFilter filter = readFilter(message, HEADER_LENGTH, filterLength);
		String notification;
		try {
			notification = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(message, HEADER_LENGTH + filterLength,
						message.length - HEADER_LENGTH - filterLength))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new IllegalArgumentException("the notification is not UTF-8", ex);
		}
		if (notification.isEmpty()) {
			throw new IllegalArgumentException("no notification");
		}
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

	/** Subscribes to other nodes' multicasts; does nothing when subscribed already. */
	@Override
	public void start() {
		this.topic.start(this::receive);
	}

	/** Cancels the subscription: other nodes' multicasts no longer reach this node. */
	@Override
	public void stop() {
		this.topic.stop();
	}

	@Override
	public boolean isRunning() {
		return this.topic.isRunning();
	}

	/**
	 * Returns {@link ClusterTopic#SUBSCRIBER_PHASE}: after the broadcaster, before the web server.
	 * @return the phase
	 */
	@Override
	public int getPhase() {
		return ClusterTopic.SUBSCRIBER_PHASE;
	}

	/** Cancels the subscription, as {@link #stop()} does. */
	@Override
	public void close() {
		stop();
	}

	/**
	 * Returns what the cluster topic carried: multicasts published, received and dropped.
	 * @return the counts
	 */
	public ClusterTopic traffic() {
		return this.topic;
	}

}
