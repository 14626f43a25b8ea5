package dev.cryo.core.dialect.legacy;

import java.nio.ByteBuffer;
import java.util.Objects;

import dev.cryo.core.SessionId;

/**
 * A decoded CALE handshake frame of the legacy generation (legacy-v0.md §3.1): what
 * {@link LegacyCodec#decodeHandshake} reads and {@link LegacyCodec#encodeHandshake} writes. Its
 * length rules have been checked: a hello carries exactly the 65 bytes of a public key (whether
 * they are a point on P-256 is for the CALE layer to find out).
 *
 * @param type the handshake type
 * @param sid the session id of the frame (not checked against the session's)
 * @param ack the frame's ack number (unsigned); HANDSHAKE_DONE copies the CLIENT_HELLO's
 * @param payload the payload; each call returns an independent read-only view
 */
public record LegacyHandshakeFrame(LegacyHandshake type, SessionId sid, int ack, ByteBuffer payload) {

	/**
	 * Creates a handshake frame over the remaining bytes of {@code payload}, which are not copied.
	 */
	public LegacyHandshakeFrame {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(sid, "sid");
		payload = payload.slice().asReadOnlyBuffer();
	}

	@Override
	public ByteBuffer payload() {
		return this.payload.duplicate();
	}

	/**
	 * Returns a copy of the payload: the public key of a hello.
	 * @return the payload bytes
	 */
	public byte[] payloadBytes() {
		byte[] bytes = new byte[this.payload.remaining()];
		this.payload.duplicate().get(bytes);
		return bytes;
	}

	@Override
	public String toString() {
		// Public keys are no secret, but their bytes say nothing to a reader of a log either.
		return this.type + "[sid=" + this.sid + ", ack=" + Integer.toUnsignedString(this.ack) + ", payload="
				+ this.payload.remaining() + " bytes]";
	}

}
