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

/**
 * One multicast as it travels between nodes: the node it comes from, the selector and the
 * message, in a compact binary form written once per multicast. Every selector record and every
 * attribute value type has a tag of its own; nothing is decoded by class name, so a message from
 * the channel (which anyone with access to the Redis can publish to) can create only these values,
 * never an object of a class it names, as Java serialization would.
 *
 * <p>Layout (big-endian): version byte {@value #VERSION}; origin node id (string); selector;
 * message kind ({@code 1} UTF-8, {@code 2} binary) and the payload (int length, bytes). A string
 * is an int length and UTF-8 bytes. A selector is a tag: {@code 1} all; {@code 2} by id (session
 * id); {@code 3} by attribute (name string, value); {@code 4} by user (name string); {@code 5} by
 * group (name string); {@code 6} except (selector, session id). A session id is {@code 1} and 8
 * bytes, or {@code 2} and a UUID's 16 bytes. An attribute value is {@code 1} string, {@code 2}
 * long, {@code 3} int, {@code 4} boolean, {@code 5} double, {@code 6} UUID.
 *
 * @param originNodeId the node that published the multicast
 * @param selector the recipients
 * @param message the message
 */
record ClusterEnvelope(String originNodeId, SessionSelector selector, ClusterMessage message) {

	/** The version of the layout; a node refuses another. */
	static final byte VERSION = 1;

	/** How deeply {@code except} selectors may nest in a decoded message. */
	static final int MAX_SELECTOR_DEPTH = 8;

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

	/**
	 * Writes the envelope.
	 * @return the bytes to publish
	 * @throws IllegalArgumentException for an attribute selector whose value has no encoding
	 */
	byte[] encode() {
		int payloadSize = (this.message instanceof ClusterMessage.Binary binary) ? binary.payload().remaining()
				: ((ClusterMessage.Utf8) this.message).text().length();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + payloadSize);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeByte(VERSION);
			writeString(out, this.originNodeId);
			writeSelector(out, this.selector);
			if (this.message instanceof ClusterMessage.Utf8 utf8) {
				out.writeByte(UTF8);
				byte[] text = utf8.text().getBytes(StandardCharsets.UTF_8);
				out.writeInt(text.length);
				out.write(text);
			}
			else {
				ByteBuffer payload = ((ClusterMessage.Binary) this.message).payload();
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
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * Reads an envelope.
	 * @param bytes what arrived on the channel
	 * @return the envelope
	 * @throws IllegalArgumentException when the bytes are not an envelope of this version
	 */
	static ClusterEnvelope decode(byte[] bytes) {
		ByteBuffer in = ByteBuffer.wrap(bytes);
		try {
			byte version = in.get();
			if (version != VERSION) {
				throw new IllegalArgumentException("Unknown envelope version " + version);
			}
			String origin = readString(in);
			SessionSelector selector = readSelector(in, 0);
			byte kind = in.get();
			byte[] payload = new byte[readLength(in)];
			in.get(payload);
			if (in.hasRemaining()) {
				throw new IllegalArgumentException(in.remaining() + " bytes after the payload");
			}
			ClusterMessage message = switch (kind) {
				case UTF8 -> new ClusterMessage.Utf8(utf8(payload));
				case BINARY -> new ClusterMessage.Binary(ByteBuffer.wrap(payload));
				default -> throw new IllegalArgumentException("Unknown message kind " + kind);
			};
			return new ClusterEnvelope(origin, selector, message);
		}
		catch (BufferUnderflowException ex) {
			throw new IllegalArgumentException("Truncated envelope", ex);
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
		out.writeInt(bytes.length);
		out.write(bytes);
	}

	private static String readString(ByteBuffer in) {
		byte[] bytes = new byte[readLength(in)];
		in.get(bytes);
		return utf8(bytes);
	}

	/** A length that the rest of the message can hold, so a forged length allocates nothing. */
	private static int readLength(ByteBuffer in) {
		int length = in.getInt();
		if (length < 0 || length > in.remaining()) {
			throw new IllegalArgumentException("Length " + length + " exceeds the " + in.remaining() + " bytes left");
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
