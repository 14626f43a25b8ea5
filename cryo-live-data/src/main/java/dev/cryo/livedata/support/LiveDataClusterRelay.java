package dev.cryo.livedata.support;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.Assert;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.core.LogText;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.ClusterTopic;

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
 * {@value ClusterTopic#WARNING_INTERVAL_SECONDS} seconds), never thrown. A change of a model this node does
 * not watch is skipped: nodes of different versions may watch different models.
 */
final class LiveDataClusterRelay {

	/** The topic committed changes travel on. */
	static final String TOPIC = LiveDataSupport.CLUSTER_TOPIC;

	/** The version byte that opens every message. */
	static final byte FORMAT_VERSION = 1;

	/** The version byte and the number of changes. */
	private static final int HEADER_LENGTH = 5;

	/** Most characters of a node id or a reason that reach a log. */
	private static final int MAX_LOGGED_CHARS = 200;

	private static final Log logger = LogFactory.getLog(LiveDataClusterRelay.class);

	private final ModelCatalog catalog;

	private final Consumer<List<LiveDataChange>> localDelivery;

	private final ClusterTopic topic;

	private final JsonMapper mapper;

	private final ObjectWriter idWriter;

	private final int maxChanges;

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
		this.topic = new ClusterTopic(broadcaster, TOPIC, "live-data transaction", maxMessageSize);
		this.mapper = mapper;
		this.idWriter = mapper.writer().without(SerializationFeature.INDENT_OUTPUT);
		this.maxChanges = maxChanges;
	}

	/**
	 * Publishes one transaction's changes, already delivered here, to the other nodes. Called
	 * in delivery order; never throws.
	 * @param changes the transaction's changes
	 */
	void publish(List<LiveDataChange> changes) {
		this.topic.publish(() -> encode(changes));
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
	 * @param message the message, no larger than the limit (the topic drops larger ones)
	 * @throws IllegalArgumentException (or Jackson's exception for an id) when it is malformed; the
	 * topic counts and drops it whole
	 */
	void receive(String originNodeId, byte[] message) {
		List<LiveDataChange> changes;
		try {
			changes = decode(message);
		}
		catch (CharacterCodingException ex) {
			throw new IllegalArgumentException("a field is not UTF-8", ex);
		}
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

	void start() {
		this.topic.start(this::receive);
	}

	void stop() {
		this.topic.stop();
	}

	boolean isRunning() {
		return this.topic.isRunning();
	}

	ClusterTopic topic() {
		return this.topic;
	}

}
