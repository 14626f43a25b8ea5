package dev.cryo.test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * Legacy-generation messages built and read byte for byte from the tables of legacy-v0.md §3,
 * without the server's codec, so that a test speaks as a published legacy client does: sid as 16
 * raw bytes, ack u32, type u8 at offset 20, payload to the end. Includes what the clients really
 * send and the server's codec refuses or would never write: text cut and NUL-filled by its UTF-16
 * length (§3.1), handshake frames (§7.1).
 */
public final class RawLegacyFrames {

	/** Type 0: ACK, exactly 21 bytes. */
	public static final int ACK = 0;

	/** Type 1: ERROR, UTF-8 text. */
	public static final int ERROR = 1;

	/** Type 2: PING_PONG, ASCII {@code ping} or {@code pong}, exactly 25 bytes. */
	public static final int PING_PONG = 2;

	/** Type 3: UTF8DATA. */
	public static final int UTF8DATA = 3;

	/** Type 4: BINARYDATA. */
	public static final int BINARYDATA = 4;

	/** Type 5: SERVER_HELLO, a 65-byte public key. */
	public static final int SERVER_HELLO = 5;

	/** Type 6: CLIENT_HELLO, a 65-byte public key. */
	public static final int CLIENT_HELLO = 6;

	/** Type 7: HANDSHAKE_DONE, ASCII {@code null} in practice. */
	public static final int HANDSHAKE_DONE = 7;

	/** sid (16), ack (4), type (1). */
	public static final int HEADER_LENGTH = 21;

	private RawLegacyFrames() {
	}

	/**
	 * Builds a message of any type.
	 * @param sid the session's UUID
	 * @param ack the ack number
	 * @param type the type byte
	 * @param payload the payload
	 * @return the message
	 */
	public static byte[] frame(UUID sid, int ack, int type, byte[] payload) {
		return ByteBuffer.allocate(HEADER_LENGTH + payload.length)
			.putLong(sid.getMostSignificantBits())
			.putLong(sid.getLeastSignificantBits())
			.putInt(ack)
			.put((byte) type)
			.put(payload)
			.array();
	}

	/**
	 * Builds an ACK.
	 * @param sid the session's UUID
	 * @param ack the number being acknowledged
	 * @return the 21-byte message
	 */
	public static byte[] ack(UUID sid, int ack) {
		return frame(sid, ack, ACK, new byte[0]);
	}

	/**
	 * Builds a {@code ping} or {@code pong}.
	 * @param sid the session's UUID
	 * @param ack the ping's number, which a pong copies
	 * @param ping {@code true} for {@code ping}
	 * @return the 25-byte message
	 */
	public static byte[] pingPong(UUID sid, int ack, boolean ping) {
		return frame(sid, ack, PING_PONG, (ping ? "ping" : "pong").getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * Builds UTF8DATA with the text's real UTF-8 bytes, as the 2.x server writes it.
	 * @param sid the session's UUID
	 * @param ack the ack number
	 * @param text the text
	 * @return the message
	 */
	public static byte[] utf8(UUID sid, int ack, String text) {
		return frame(sid, ack, UTF8DATA, text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Builds UTF8DATA the way cryo-client-node and cryo-client do (§3.1): the payload is
	 * {@code text.length()} bytes (UTF-16 units), filled with the whole characters that fit and
	 * NULs after them.
	 * @param sid the session's UUID
	 * @param ack the ack number
	 * @param text the text
	 * @return the message, possibly with the text cut and NUL-filled
	 */
	public static byte[] nodeClientUtf8(UUID sid, int ack, String text) {
		return frame(sid, ack, UTF8DATA, nodeClientText(text));
	}

	/**
	 * Returns what Node's {@code Buffer.write} stores of a text in a buffer of its UTF-16 length:
	 * whole characters only, the rest NUL.
	 * @param text the text
	 * @return {@code text.length()} bytes
	 */
	public static byte[] nodeClientText(String text) {
		byte[] payload = new byte[text.length()];
		int written = 0;
		int index = 0;
		while (index < text.length()) {
			int codePoint = text.codePointAt(index);
			byte[] character = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
			if (written + character.length > payload.length) {
				break;
			}
			System.arraycopy(character, 0, payload, written, character.length);
			written += character.length;
			index += Character.charCount(codePoint);
		}
		return payload;
	}

	/**
	 * Builds BINARYDATA.
	 * @param sid the session's UUID
	 * @param ack the ack number
	 * @param payload the bytes
	 * @return the message
	 */
	public static byte[] binary(UUID sid, int ack, byte[] payload) {
		return frame(sid, ack, BINARYDATA, payload);
	}

	/**
	 * Builds a CLIENT_HELLO with a 65-byte key ({@code 0x04} and zeros unless given).
	 * @param sid the session's UUID
	 * @param ack the client's first number
	 * @return the 86-byte message
	 */
	public static byte[] clientHello(UUID sid, int ack) {
		byte[] key = new byte[65];
		key[0] = 0x04;
		return frame(sid, ack, CLIENT_HELLO, key);
	}

	/**
	 * Reads a message.
	 * @param message the bytes of one binary message
	 * @return its fields
	 * @throws IllegalArgumentException if it is shorter than the header
	 */
	public static Parsed parse(byte[] message) {
		if (message.length < HEADER_LENGTH) {
			throw new IllegalArgumentException("a legacy message has at least 21 bytes, got " + message.length);
		}
		ByteBuffer in = ByteBuffer.wrap(message);
		UUID sid = new UUID(in.getLong(), in.getLong());
		int ack = in.getInt();
		int type = in.get() & 0xFF;
		return new Parsed(sid, ack, type, Arrays.copyOfRange(message, HEADER_LENGTH, message.length));
	}

	/**
	 * One message as read.
	 *
	 * @param sid the sid field
	 * @param ack the ack field
	 * @param type the type byte
	 * @param payload the bytes from offset 21
	 */
	public record Parsed(UUID sid, int ack, int type, byte[] payload) {

		/**
		 * Returns the payload as UTF-8 text.
		 * @return the text
		 */
		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		/**
		 * Returns whether this is a {@code ping}.
		 * @return whether the type is PING_PONG and the payload {@code ping}
		 */
		public boolean isPing() {
			return this.type == PING_PONG && "ping".equals(text());
		}

		/**
		 * Returns whether this is a {@code pong}.
		 * @return whether the type is PING_PONG and the payload {@code pong}
		 */
		public boolean isPong() {
			return this.type == PING_PONG && "pong".equals(text());
		}

		@Override
		public String toString() {
			return "Parsed[sid=" + this.sid + ", ack=" + Integer.toUnsignedString(this.ack) + ", type=" + this.type
					+ ", payload=" + this.payload.length + " bytes]";
		}

	}

}
