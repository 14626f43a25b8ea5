package dev.cryo.livedata.support;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.core.LogText;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.ClusterSubscription;

/**
 * Carries committed changes between the nodes of a cluster on the {@value #TOPIC} topic of a
 * {@link ClusterBroadcaster}: each transaction this node delivered is published once, as one
 * message, right after its local delivery (so in this node's commit order); each message another
 * node published is handed, in arrival order, to this node's subscribers. A change travels as its
 * model's name, its id as JSON (read back as the model's id type, so that row subscriptions
 * match) and its notification text, encoded once by the node that captured it.
 *
 * <p>Format of a message: one version byte ({@value #FORMAT_VERSION}), the number of changes
 * (4 bytes, big-endian), then for each change three length-prefixed (4 bytes, big-endian) UTF-8
 * fields: the model's name, the id's JSON and the notification. A message larger than the limit
 * is not published (with a warning) or is dropped on receipt; one that is malformed is dropped
 * whole; both are counted and logged (escaped, bounded, at most one warning per
 * {@value #WARNING_INTERVAL_SECONDS} seconds), never thrown. A change of a model this node does
 * not watch is skipped: nodes of different versions may watch different models.
 */
final class LiveDataClusterRelay {

	/** The topic committed changes travel on. */
	static final String TOPIC = LiveDataSupport.CLUSTER_TOPIC;

	/** The version byte that opens every message. */
	static final byte FORMAT_VERSION = 1;

	/** How often a dropped message may be logged as a warning. */
	static final int WARNING_INTERVAL_SECONDS = 10;

	/** The version byte and the number of changes. */
	private static final int HEADER_LENGTH = 5;

	/** Most characters of a node id or a reason that reach a log. */
	private static final int MAX_LOGGED_CHARS = 200;

	private static final Log logger = LogFactory.getLog(LiveDataClusterRelay.class);

	private final ModelCatalog catalog;

	private final Consumer<List<LiveDataChange>> localDelivery;

	private final ClusterBroadcaster broadcaster;

	private final JsonMapper mapper;

	private final ObjectWriter idWriter;

	private final int maxMessageSize;

	private final int maxChanges;

	private final AtomicLong published = new AtomicLong();

	private final AtomicLong received = new AtomicLong();

	private final AtomicLong tooLarge = new AtomicLong();

	private final AtomicLong malformed = new AtomicLong();

	private final AtomicLong publishFailures = new AtomicLong();

	private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - TimeUnit.DAYS.toNanos(1));

	private @Nullable ClusterSubscription subscription;

	/**
	 * Creates the relay; {@link #start()} subscribes it.
	 * @param catalog the watched models, for their id types
	 * @param localDelivery delivers received changes to this node's subscribers
	 * @param broadcaster carries the messages
	 * @param mapper writes and reads ids
	 * @param maxMessageSize the largest message published or accepted, in bytes
	 * @param maxChanges the most changes a received message may hold
	 */
	LiveDataClusterRelay(ModelCatalog catalog, Consumer<List<LiveDataChange>> localDelivery,
			ClusterBroadcaster broadcaster, JsonMapper mapper, int maxMessageSize, int maxChanges) {
		Assert.isTrue(maxMessageSize > HEADER_LENGTH, "'maxMessageSize' must be larger than " + HEADER_LENGTH);
		this.catalog = catalog;
		this.localDelivery = localDelivery;
		this.broadcaster = broadcaster;
		this.mapper = mapper;
		this.idWriter = mapper.writer().without(SerializationFeature.INDENT_OUTPUT);
		this.maxMessageSize = maxMessageSize;
		this.maxChanges = maxChanges;
	}

	/**
	 * Publishes one transaction's changes, already delivered here, to the other nodes. Called
	 * in delivery order; never throws.
	 * @param changes the transaction's changes
	 */
	void publish(List<LiveDataChange> changes) {
		byte[] message;
		try {
			message = encode(changes);
		}
		catch (JacksonException ex) {
			this.publishFailures.incrementAndGet();
			logger.warn("Live-data transaction not published to other nodes: an id cannot be written as JSON", ex);
			return;
		}
		if (message.length > this.maxMessageSize) {
			this.tooLarge.incrementAndGet();
			logger.warn("Live-data transaction of " + changes.size() + " changes (" + message.length
					+ " bytes) not published to other nodes: larger than " + this.maxMessageSize + " bytes");
			return;
		}
		try {
			this.broadcaster.publish(TOPIC, message);
			this.published.incrementAndGet();
		}
		catch (RuntimeException ex) {
			// This node's subscribers have it; the cluster's trouble is the broadcaster's to report.
			this.publishFailures.incrementAndGet();
			logger.warn("Live-data transaction not published to other nodes: "
					+ LogText.escape(ex.toString(), MAX_LOGGED_CHARS));
		}
	}

	private byte[] encode(List<LiveDataChange> changes) {
		List<byte[]> fields = new ArrayList<>(changes.size() * 3);
		int length = HEADER_LENGTH;
		for (LiveDataChange change : changes) {
			byte[] model = change.model().getBytes(StandardCharsets.UTF_8);
			byte[] id = this.idWriter.writeValueAsBytes(change.id());
			byte[] notification = change.notification().getBytes(StandardCharsets.UTF_8);
			fields.add(model);
			fields.add(id);
			fields.add(notification);
			length += 12 + model.length + id.length + notification.length;
		}
		ByteBuffer buffer = ByteBuffer.allocate(length);
		buffer.put(FORMAT_VERSION).putInt(changes.size());
		for (byte[] field : fields) {
			buffer.putInt(field.length).put(field);
		}
		return buffer.array();
	}

	/**
	 * Delivers the changes of a transaction another node committed to this node's subscribers.
	 * @param originNodeId the node that published them
	 * @param message the message
	 */
	void receive(String originNodeId, byte[] message) {
		if (message.length > this.maxMessageSize) {
			this.tooLarge.incrementAndGet();
			warn(originNodeId, "of " + message.length + " bytes, larger than " + this.maxMessageSize);
			return;
		}
		List<LiveDataChange> changes;
		try {
			changes = decode(message);
		}
		catch (IllegalArgumentException | JacksonException | CharacterCodingException ex) {
			this.malformed.incrementAndGet();
			warn(originNodeId, "that is malformed (" + ex.getMessage() + ")");
			return;
		}
		this.received.incrementAndGet();
		if (!changes.isEmpty()) {
			this.localDelivery.accept(changes);
		}
	}

	private List<LiveDataChange> decode(byte[] message) throws CharacterCodingException {
		ByteBuffer buffer = ByteBuffer.wrap(message);
		if (message.length < HEADER_LENGTH || buffer.get() != FORMAT_VERSION) {
			throw new IllegalArgumentException("not a live-data message of version " + FORMAT_VERSION);
		}
		int count = buffer.getInt();
		if (count < 1 || count > this.maxChanges) {
			throw new IllegalArgumentException(count + " changes, not 1 to " + this.maxChanges);
		}
		List<LiveDataChange> changes = new ArrayList<>(Math.min(count, buffer.remaining() / 12 + 1));
		for (int i = 0; i < count; i++) {
			String model = text(buffer);
			int idLength = length(buffer);
			int idOffset = buffer.position();
			buffer.position(idOffset + idLength);
			String notification = text(buffer);
			Class<?> idType = this.catalog.idType(model);
			if (idType == null) {
				if (logger.isDebugEnabled()) {
					logger.debug("Live-data change of model '" + LogText.escape(model, MAX_LOGGED_CHARS)
							+ "', not watched here, skipped");
				}
				continue;
			}
			Object id = this.mapper.readValue(message, idOffset, idLength, idType);
			if (id == null || notification.isEmpty()) {
				throw new IllegalArgumentException("a change without id or notification");
			}
			changes.add(new LiveDataChange(model, id, notification));
		}
		if (buffer.hasRemaining()) {
			throw new IllegalArgumentException(buffer.remaining() + " bytes after the last change");
		}
		return changes;
	}

	private static int length(ByteBuffer buffer) {
		if (buffer.remaining() < 4) {
			throw new IllegalArgumentException("truncated");
		}
		int length = buffer.getInt();
		if (length < 0 || length > buffer.remaining()) {
			throw new IllegalArgumentException("field length " + length + " out of bounds");
		}
		return length;
	}

	private static String text(ByteBuffer buffer) throws CharacterCodingException {
		int length = length(buffer);
		ByteBuffer field = buffer.slice(buffer.position(), length);
		buffer.position(buffer.position() + length);
		return StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT)
			.decode(field)
			.toString();
	}

	private void warn(String originNodeId, String what) {
		String text = "Dropped a live-data message from node " + LogText.escape(originNodeId, MAX_LOGGED_CHARS) + " "
				+ LogText.escape(what, MAX_LOGGED_CHARS);
		long now = System.nanoTime();
		long last = this.lastWarning.get();
		// One warning per interval: a node (or anyone who can publish) sending garbage must not flood the log.
		if (now - last >= TimeUnit.SECONDS.toNanos(WARNING_INTERVAL_SECONDS)
				&& this.lastWarning.compareAndSet(last, now)) {
			logger.warn(text);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(text);
		}
	}

	synchronized void start() {
		if (this.subscription == null) {
			this.subscription = this.broadcaster.subscribe(TOPIC, this::receive);
		}
	}

	synchronized void stop() {
		ClusterSubscription current = this.subscription;
		this.subscription = null;
		if (current != null) {
			current.cancel();
		}
	}

	synchronized boolean isRunning() {
		return this.subscription != null;
	}

	long publishedCount() {
		return this.published.get();
	}

	long receivedCount() {
		return this.received.get();
	}

	long tooLargeCount() {
		return this.tooLarge.get();
	}

	long malformedCount() {
		return this.malformed.get();
	}

	long publishFailureCount() {
		return this.publishFailures.get();
	}

}
