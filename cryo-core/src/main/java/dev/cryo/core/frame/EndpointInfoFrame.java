package dev.cryo.core.frame;

import java.util.Objects;

import dev.cryo.core.SessionId;

/**
 * ENDPOINT_INFO (0xFF): the protocol version and feature flags of the sender, the first frame
 * each endpoint sends (cryo-v1.md §3).
 *
 * @param sid the session id
 * @param ack the sender's ack number for this frame (unsigned)
 * @param version the protocol version (unsigned), {@value #PROTOCOL_VERSION} for Cryo v1
 * @param flags the sender's feature bits (§3.1)
 */
public record EndpointInfoFrame(SessionId sid, int ack, int version, long flags) implements Frame {

	public EndpointInfoFrame {
		Objects.requireNonNull(sid, "sid");
	}

	/** The protocol version this implementation speaks. */
	public static final int PROTOCOL_VERSION = 1;

	/** Feature bit 0: the sender understands the {@code Cryo.Transaction} frames. */
	public static final long FEATURE_TRANSACTIONS = 1L;

	/**
	 * Returns whether the sender announced every bit of the given feature mask.
	 * @param feature the feature mask, e.g. {@link #FEATURE_TRANSACTIONS}
	 * @return whether the feature is supported
	 */
	public boolean hasFeature(long feature) {
		return (this.flags & feature) == feature;
	}

	@Override
	public FrameType type() {
		return FrameType.ENDPOINT_INFO;
	}

	@Override
	public String toString() {
		return "ENDPOINT_INFO[sid=" + this.sid + ", ack=" + FrameSupport.u32(this.ack) + ", version="
				+ FrameSupport.u32(this.version) + ", flags=0x" + Long.toHexString(this.flags) + "]";
	}

}
