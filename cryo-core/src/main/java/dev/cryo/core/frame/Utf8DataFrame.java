package dev.cryo.core.frame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import dev.cryo.core.SessionId;

/**
 * UTF8DATA (0xFA): an application text message. The payload is kept as the UTF-8 bytes of the
 * message (a read-only view of the received message when decoded); {@link #text()} decodes it
 * leniently, turning malformed sequences into U+FFFD as cryo-v1.md §1.6 asks.
 *
 * @param sid the session id
 * @param ack the sender's ack number for this frame (unsigned)
 * @param payload the UTF-8 bytes, at most 16 MiB; each call returns an independent read-only view
 */
public record Utf8DataFrame(SessionId sid, int ack, ByteBuffer payload) implements Frame {


	/**
	 * Creates a UTF8DATA frame over the remaining bytes of {@code payload}, which are not copied.
	 * @throws CryoFrameException if the payload is longer than {@link Frame#MAX_PAYLOAD} bytes
	 */
	public Utf8DataFrame {
		Objects.requireNonNull(sid, "sid");
		payload = FrameSupport.readOnlyView(payload);
		FrameSupport.checkPayloadLength(FrameType.UTF8DATA, payload.remaining());
	}

	/**
	 * Creates a UTF8DATA frame for a text. Unpaired surrogates are sent as {@code ?}.
	 * @param sid the session id
	 * @param ack the fresh ack number of the frame
	 * @param text the message
	 * @return the frame
	 * @throws CryoFrameException if the UTF-8 form is longer than {@link Frame#MAX_PAYLOAD}
	 */
	public static Utf8DataFrame of(SessionId sid, int ack, String text) {
		FrameSupport.checkTextLength(FrameType.UTF8DATA, text);
		return new Utf8DataFrame(sid, ack, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
	}

	@Override
	public ByteBuffer payload() {
		return this.payload.duplicate();
	}

	/**
	 * Returns the number of payload bytes.
	 * @return the payload length
	 */
	public int payloadLength() {
		return this.payload.remaining();
	}

	/**
	 * Decodes the payload, replacing malformed UTF-8 with U+FFFD.
	 * @return the message text
	 */
	public String text() {
		return FrameSupport.decodeUtf8(this.payload);
	}

	@Override
	public FrameType type() {
		return FrameType.UTF8DATA;
	}

	@Override
	public String toString() {
		return "UTF8DATA[sid=" + this.sid + ", ack=" + FrameSupport.u32(this.ack) + ", payload="
				+ this.payload.remaining() + " bytes]";
	}

}
