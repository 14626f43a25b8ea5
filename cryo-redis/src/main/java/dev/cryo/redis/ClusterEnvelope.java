package dev.cryo.redis;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.UUID;


import dev.cryo.core.SessionId;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.cluster.ClusterMessage;
import dev.cryo.server.cluster.ClusterTopics;

/**
 * A message as it travels between nodes, in a compact binary form written once: a multicast (the
 * selector and the message), a send to one session, a node's report of what it did with a
 * multicast or a send, or a module's message on a topic. Every kind, selector record and attribute
 * value type has a tag of its own; nothing is decoded by class name, so a message from a channel
 * (which anyone with access to the Redis can publish to) can create only these values, never an
 * object of a class it names, as Java serialization would. Every length read is checked against
 * the bytes left and against a limit, so a forged message allocates nothing large.
 *
 * <p>Layout (big-endian): version byte {@value #VERSION}; kind byte ({@code 1} multicast,
 * {@code 2} direct, {@code 3} report, {@code 4} topic); origin node id (string, at most
 * {@value RedisClusterSettings#MAX_NODE_ID_LENGTH} characters); message id (long, unique per
 * origin); then by kind: a multicast has a selector and a message; a direct send a session id and
 * a message; a report three ints (recipients, acknowledged, failed); a topic message the topic's
 * name (string, as {@link ClusterTopics#checkName(String)} allows) and the payload (int length,
 * bytes). A message is its kind ({@code 1} UTF-8, {@code 2} binary) and its payload. A string is
 * an int length and UTF-8 bytes, at most {@value #MAX_STRING_BYTES} bytes. A selector is a tag:
 * {@code 1} all; {@code 2} by id (session id); {@code 3} by attribute (name string, value);
 * {@code 4} by user (name string); {@code 5} by group (name string); {@code 6} except (selector,
 * session id). A session id is {@code 1} and 8 bytes, or {@code 2} and a UUID's 16 bytes. An
 * attribute value is {@code 1} string, {@code 2} long, {@code 3} int, {@code 4} boolean,
 * {@code 5} double, {@code 6} UUID.
 */
sealed interface ClusterEnvelope {

	/** The version of the layout; a node refuses another. */
	byte VERSION = 2;

	/** How deeply {@code except} selectors may nest in a decoded message. */
	int MAX_SELECTOR_DEPTH = 8;

	/** The longest string of a selector (a user, group or attribute name, a string value), in bytes. */
	int MAX_STRING_BYTES = 64 * 1024;

	/**
	 * Returns the node that published the envelope.
	 * @return the node id
	 */
	String originNodeId();

	/**
	 * Returns the id the origin gave the envelope; a report carries the id of what it reports on.
	 * @return the id, unique per origin node
	 */
	long messageId();

	/**
	 * Writes the envelope.
	 * @param maxPayload the largest message or topic payload, in bytes
	 * @return the bytes to publish
	 * @throws IllegalArgumentException for a payload larger than the limit, or an attribute
	 * selector whose value has no encoding
	 */
	default byte[] encode(int maxPayload) {
		return Codec.encode(this, maxPayload);
	}

	/**
	 * Reads an envelope.
	 * @param bytes what arrived on a channel
	 * @param maxPayload the largest message or topic payload accepted, in bytes
	 * @return the envelope
	 * @throws IllegalArgumentException when the bytes are not an envelope of this version or break
	 * a limit
	 */
	static ClusterEnvelope decode(byte[] bytes, int maxPayload) {
		return Codec.decode(bytes, maxPayload);
	}

	/**
	 * A multicast: every node resolves the selector against its sessions.
	 * @param originNodeId the node that published it
	 * @param messageId its id
	 * @param selector the recipients
	 * @param message the message
	 */
	record Multicast(String originNodeId, long messageId, SessionSelector selector,
			ClusterMessage message) implements ClusterEnvelope {
	}

	/**
	 * A send to one session, published on the channel of the node that holds it.
	 * @param originNodeId the node that sends it
	 * @param messageId its id
	 * @param sessionId the recipient
	 * @param message the message
	 */
	record Direct(String originNodeId, long messageId, SessionId sessionId,
			ClusterMessage message) implements ClusterEnvelope {
	}

	/**
	 * What a node did with a multicast or a direct send, published on the channel of the node
	 * that sent it.
	 * @param originNodeId the node that reports
	 * @param messageId the id of the multicast or send it reports on
	 * @param recipients the sessions it was sent to there
	 * @param acknowledged how many ACKed
	 * @param failed how many did not get it
	 */
	record Report(String originNodeId, long messageId, int recipients, int acknowledged,
			int failed) implements ClusterEnvelope {
	}

	/**
	 * A module's message on a topic.
	 * @param originNodeId the node that published it
	 * @param messageId its id
	 * @param topic the topic's name
	 * @param payload the module's bytes
	 */
	record Topic(String originNodeId, long messageId, String topic, byte[] payload) implements ClusterEnvelope {
	}

	/** Writes and reads the layout; a class of its own so the interface shows only the contract. */
	final class Codec {

		private static final byte MULTICAST = 1;

		private static final byte DIRECT = 2;

		private static final byte REPORT = 3;

		private static final byte TOPIC = 4;

		private static final byte UTF8 = 1;

		private static final byte BINARY = 2;

		private static final byte ALL = 1;

		private static final byte BY_ID = 2;

		private static final byte BY_ATTRIBUTE = 3;

		private static final byte BY_USER = 4;

		private static final byte BY_GROUP = 5;

		private static final byte EXCEPT = 6;

		private static final byte NUMERIC_ID = 1;

		private static final byte UUID_ID = 2;

		private static final byte STRING_VALUE = 1;

		private static final byte LONG_VALUE = 2;

		private static final byte INT_VALUE = 3;

		private static final byte BOOLEAN_VALUE = 4;

		private static final byte DOUBLE_VALUE = 5;

		private static final byte UUID_VALUE = 6;

		/** A node id of the longest length in characters takes at most this many UTF-8 bytes. */
		private static final int MAX_NODE_ID_BYTES = RedisClusterSettings.MAX_NODE_ID_LENGTH * 4;

		private Codec() {
		}

		static byte[] encode(ClusterEnvelope envelope, int maxPayload) {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
			try (DataOutputStream out = new DataOutputStream(bytes)) {
				out.writeByte(VERSION);
				if (envelope instanceof Multicast multicast) {
					out.writeByte(MULTICAST);
					writeHead(out, envelope);
					writeSelector(out, multicast.selector());
					writeMessage(out, multicast.message(), maxPayload);
				}
				else if (envelope instanceof Direct direct) {
					out.writeByte(DIRECT);
					writeHead(out, envelope);
					writeSessionId(out, direct.sessionId());
					writeMessage(out, direct.message(), maxPayload);
				}
				else if (envelope instanceof Report report) {
					out.writeByte(REPORT);
					writeHead(out, envelope);
					out.writeInt(report.recipients());
					out.writeInt(report.acknowledged());
					out.writeInt(report.failed());
				}
				else {
					Topic topic = (Topic) envelope;
					out.writeByte(TOPIC);
					writeHead(out, envelope);
					writeString(out, ClusterTopics.checkName(topic.topic()));
					checkSize(topic.payload().length, maxPayload);
					out.writeInt(topic.payload().length);
					out.write(topic.payload());
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return bytes.toByteArray();
		}

		static ClusterEnvelope decode(byte[] bytes, int maxPayload) {
			ByteBuffer in = ByteBuffer.wrap(bytes);
			try {
				byte version = in.get();
				if (version != VERSION) {
					throw new IllegalArgumentException("Unknown envelope version " + version);
				}
				byte kind = in.get();
				String origin = readString(in, MAX_NODE_ID_BYTES);
				if (origin.isEmpty() || origin.length() > RedisClusterSettings.MAX_NODE_ID_LENGTH) {
					throw new IllegalArgumentException("Invalid origin node id of " + origin.length() + " characters");
				}
				long messageId = in.getLong();
				ClusterEnvelope envelope = switch (kind) {
					case MULTICAST -> new Multicast(origin, messageId, readSelector(in, 0), readMessage(in, maxPayload));
					case DIRECT -> new Direct(origin, messageId, readSessionId(in), readMessage(in, maxPayload));
					case REPORT -> readReport(in, origin, messageId);
					case TOPIC -> new Topic(origin, messageId, readTopic(in), readPayload(in, maxPayload));
					default -> throw new IllegalArgumentException("Unknown envelope kind " + kind);
				};
				if (in.hasRemaining()) {
					throw new IllegalArgumentException(in.remaining() + " bytes after the envelope");
				}
				return envelope;
			}
			catch (BufferUnderflowException ex) {
				throw new IllegalArgumentException("Truncated envelope", ex);
			}
		}

		private static void writeHead(DataOutputStream out, ClusterEnvelope envelope) throws IOException {
			writeString(out, envelope.originNodeId());
			out.writeLong(envelope.messageId());
		}

		private static Report readReport(ByteBuffer in, String origin, long messageId) {
			int recipients = in.getInt();
			int acknowledged = in.getInt();
			int failed = in.getInt();
			if (recipients < 0 || acknowledged < 0 || failed < 0 || (long) acknowledged + failed > recipients) {
				throw new IllegalArgumentException("Inconsistent report counts " + recipients + "/" + acknowledged + "/"
						+ failed);
			}
			return new Report(origin, messageId, recipients, acknowledged, failed);
		}

		private static String readTopic(ByteBuffer in) {
			String topic = readString(in, ClusterTopics.MAX_NAME_LENGTH);
			return ClusterTopics.checkName(topic);
		}

		private static void writeMessage(DataOutputStream out, ClusterMessage message, int maxPayload)
				throws IOException {
			if (message instanceof ClusterMessage.Utf8 utf8) {
				byte[] text = utf8.text().getBytes(StandardCharsets.UTF_8);
				checkSize(text.length, maxPayload);
				out.writeByte(UTF8);
				out.writeInt(text.length);
				out.write(text);
			}
			else {
				ByteBuffer payload = ((ClusterMessage.Binary) message).payload();
				checkSize(payload.remaining(), maxPayload);
				out.writeByte(BINARY);
				out.writeInt(payload.remaining());
				if (payload.hasArray()) {
					out.write(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
				}
				else {
					byte[] copy = new byte[payload.remaining()];
					payload.get(copy);
					out.write(copy);
				}
			}
		}

		private static ClusterMessage readMessage(ByteBuffer in, int maxPayload) {
			byte kind = in.get();
			byte[] payload = readPayload(in, maxPayload);
			return switch (kind) {
				case UTF8 -> new ClusterMessage.Utf8(utf8(payload));
				case BINARY -> new ClusterMessage.Binary(ByteBuffer.wrap(payload));
				default -> throw new IllegalArgumentException("Unknown message kind " + kind);
			};
		}

		private static byte[] readPayload(ByteBuffer in, int maxPayload) {
			int length = readLength(in, maxPayload);
			byte[] payload = new byte[length];
			in.get(payload);
			return payload;
		}

		private static void checkSize(int size, int maxPayload) {
			if (size > maxPayload) {
				throw new IllegalArgumentException("A payload of " + size + " bytes exceeds the cluster's limit of "
						+ maxPayload + " bytes");
			}
		}

		private static void writeSelector(DataOutputStream out, SessionSelector selector) throws IOException {
			if (selector instanceof SessionSelector.All) {
				out.writeByte(ALL);
			}
			else if (selector instanceof SessionSelector.ById byId) {
				out.writeByte(BY_ID);
				writeSessionId(out, byId.id());
			}
			else if (selector instanceof SessionSelector.ByAttribute byAttribute) {
				out.writeByte(BY_ATTRIBUTE);
				writeString(out, byAttribute.name());
				writeValue(out, byAttribute.name(), byAttribute.value());
			}
			else if (selector instanceof SessionSelector.ByUser byUser) {
				out.writeByte(BY_USER);
				writeString(out, byUser.name());
			}
			else if (selector instanceof SessionSelector.ByGroup byGroup) {
				out.writeByte(BY_GROUP);
				writeString(out, byGroup.name());
			}
			else if (selector instanceof SessionSelector.Except except) {
				out.writeByte(EXCEPT);
				writeSelector(out, except.selector());
				writeSessionId(out, except.excluded());
			}
			else {
				// A selector kind added to the sealed interface after this encoding.
				throw new IllegalArgumentException("No cluster encoding for selector " + selector.getClass().getName());
			}
		}

		private static SessionSelector readSelector(ByteBuffer in, int depth) {
			if (depth > MAX_SELECTOR_DEPTH) {
				throw new IllegalArgumentException("Selectors nested deeper than " + MAX_SELECTOR_DEPTH);
			}
			byte tag = in.get();
			return switch (tag) {
				case ALL -> SessionSelector.all();
				case BY_ID -> SessionSelector.id(readSessionId(in));
				case BY_ATTRIBUTE -> new SessionSelector.ByAttribute(readString(in), readValue(in));
				case BY_USER -> SessionSelector.user(readString(in));
				case BY_GROUP -> SessionSelector.group(readString(in));
				case EXCEPT -> readSelector(in, depth + 1).except(readSessionId(in));
				default -> throw new IllegalArgumentException("Unknown selector tag " + tag);
			};
		}

		private static void writeSessionId(DataOutputStream out, SessionId id) throws IOException {
			if (id.isNumeric()) {
				out.writeByte(NUMERIC_ID);
				out.writeLong(id.asLong());
			}
			else {
				out.writeByte(UUID_ID);
				writeUuid(out, id.asUuid());
			}
		}

		private static SessionId readSessionId(ByteBuffer in) {
			byte tag = in.get();
			return switch (tag) {
				case NUMERIC_ID -> SessionId.of(in.getLong());
				case UUID_ID -> SessionId.of(new UUID(in.getLong(), in.getLong()));
				default -> throw new IllegalArgumentException("Unknown session id tag " + tag);
			};
		}

		private static void writeValue(DataOutputStream out, String name, Serializable value) throws IOException {
			if (value instanceof String string) {
				out.writeByte(STRING_VALUE);
				writeString(out, string);
			}
			else if (value instanceof Long number) {
				out.writeByte(LONG_VALUE);
				out.writeLong(number);
			}
			else if (value instanceof Integer number) {
				out.writeByte(INT_VALUE);
				out.writeInt(number);
			}
			else if (value instanceof Boolean flag) {
				out.writeByte(BOOLEAN_VALUE);
				out.writeBoolean(flag);
			}
			else if (value instanceof Double number) {
				out.writeByte(DOUBLE_VALUE);
				out.writeDouble(number);
			}
			else if (value instanceof UUID uuid) {
				out.writeByte(UUID_VALUE);
				writeUuid(out, uuid);
			}
			else {
				throw new IllegalArgumentException("Attribute '" + name + "' selects by a " + value.getClass().getName()
						+ ", which cannot travel between nodes: use a String, Long, Integer, Boolean, Double or UUID");
			}
		}

		private static Serializable readValue(ByteBuffer in) {
			byte tag = in.get();
			return switch (tag) {
				case STRING_VALUE -> readString(in);
				case LONG_VALUE -> in.getLong();
				case INT_VALUE -> in.getInt();
				case BOOLEAN_VALUE -> readBoolean(in);
				case DOUBLE_VALUE -> in.getDouble();
				case UUID_VALUE -> new UUID(in.getLong(), in.getLong());
				default -> throw new IllegalArgumentException("Unknown attribute value tag " + tag);
			};
		}

		private static Boolean readBoolean(ByteBuffer in) {
			byte value = in.get();
			if (value != 0 && value != 1) {
				throw new IllegalArgumentException("Invalid boolean " + value);
			}
			return value == 1;
		}

		private static void writeUuid(DataOutputStream out, UUID uuid) throws IOException {
			out.writeLong(uuid.getMostSignificantBits());
			out.writeLong(uuid.getLeastSignificantBits());
		}

		private static void writeString(DataOutputStream out, String value) throws IOException {
			byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
			if (bytes.length > MAX_STRING_BYTES) {
				throw new IllegalArgumentException("A name of " + bytes.length + " bytes exceeds the cluster's limit of "
						+ MAX_STRING_BYTES + " bytes");
			}
			out.writeInt(bytes.length);
			out.write(bytes);
		}

		private static String readString(ByteBuffer in) {
			return readString(in, MAX_STRING_BYTES);
		}

		private static String readString(ByteBuffer in, int maxBytes) {
			byte[] bytes = new byte[readLength(in, maxBytes)];
			in.get(bytes);
			return utf8(bytes);
		}

		/**
		 * A length within its limit that the rest of the message can hold, so a forged length
		 * allocates nothing.
		 */
		private static int readLength(ByteBuffer in, int limit) {
			int length = in.getInt();
			if (length < 0 || length > in.remaining()) {
				throw new IllegalArgumentException("Length " + length + " exceeds the " + in.remaining() + " bytes left");
			}
			if (length > limit) {
				throw new IllegalArgumentException("Length " + length + " exceeds the limit of " + limit + " bytes");
			}
			return length;
		}

		private static String utf8(byte[] bytes) {
			try {
				return StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT)
					.decode(ByteBuffer.wrap(bytes))
					.toString();
			}
			catch (CharacterCodingException ex) {
				throw new IllegalArgumentException("Invalid UTF-8", ex);
			}
		}

	}

}
