package dev.cryo.core.frame;

import java.util.Objects;

import dev.cryo.core.LogText;
import dev.cryo.core.SessionId;

/**
 * TX_START (0x00): opens a transaction in the seed layout (no size field, cryo-v1.md §4.3).
 * The codec keeps the name exactly as it is on the wire; {@link #effectiveName()} applies the
 * seed rule that an empty name means {@value #ANONYMOUS}.
 *
 * @param sid the session id
 * @param ack the sender's ack number for this frame (unsigned)
 * @param txid the transaction id from the sender's txid counter (unsigned)
 * @param name the transaction name as sent, possibly empty, at most 16 MiB of UTF-8
 */
public record TxStartFrame(SessionId sid, int ack, int txid, String name) implements Frame {

	/** The name a transaction has when its TX_START carries none. */
	public static final String ANONYMOUS = "anonymous";


	/**
	 * Creates a TX_START frame.
	 * @throws CryoFrameException if the name is longer than {@link Frame#MAX_PAYLOAD} bytes
	 */
	public TxStartFrame {
		Objects.requireNonNull(sid, "sid");
		Objects.requireNonNull(name, "name");
		FrameSupport.checkTextLength(FrameType.TX_START, name);
	}

	/**
	 * Returns the name, or {@value #ANONYMOUS} when the frame carries an empty one.
	 * @return the name the application sees
	 */
	public String effectiveName() {
		return this.name.isEmpty() ? ANONYMOUS : this.name;
	}

	@Override
	public FrameType type() {
		return FrameType.TX_START;
	}

	@Override
	public String toString() {
		return "TX_START[sid=" + this.sid + ", ack=" + FrameSupport.u32(this.ack) + ", txid="
				+ FrameSupport.u32(this.txid) + ", name=\"" + LogText.escape(this.name) + "\"]";
	}

}
