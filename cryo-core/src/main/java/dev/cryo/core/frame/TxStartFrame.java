package dev.cryo.core.frame;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.LogText;
import dev.cryo.core.SessionId;

/**
 * TX_START (0x00): opens a transaction. The seed layout carries only the name (cryo-v1.md
 * §4.3); the cryo-protocol 1.4 layout adds the announced size (§10.5) and CAMP the size and the
 * transaction's push or pull behaviour (camp.md §4). The codec keeps the name exactly as it is
 * on the wire; {@link #effectiveName()} applies the rule that an empty name means
 * {@value #ANONYMOUS}.
 *
 * @param sid the session id
 * @param ack the sender's ack number for this frame (unsigned)
 * @param txid the transaction id from the sender's txid counter (unsigned)
 * @param name the transaction name as sent, possibly empty, at most 16 MiB of UTF-8
 * @param size the announced total length in bytes, or {@value #UNKNOWN_SIZE} when unknown or
 * when the layout has no size field
 * @param behaviour the transaction's mode in CAMP, {@code null} in the Cryo v1 layouts (where the
 * peer's TX_FLOW decides)
 * @param layout the layout the frame was decoded from or is encoded in
 */
public record TxStartFrame(SessionId sid, int ack, int txid, String name, long size, @Nullable FlowBehaviour behaviour,
		TransactionLayout layout) implements Frame {

	/** The name a transaction has when its TX_START carries none. */
	public static final String ANONYMOUS = "anonymous";

	/** The size of a transaction whose length is not announced. */
	public static final long UNKNOWN_SIZE = -1;


	/**
	 * Creates a TX_START frame.
	 * @throws CryoFrameException if the name is longer than {@link Frame#MAX_PAYLOAD} bytes
	 */
	public TxStartFrame {
		Objects.requireNonNull(sid, "sid");
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(layout, "layout");
		FrameSupport.checkTextLength(FrameType.TX_START, name);
	}

	/**
	 * Creates a TX_START in the seed layout: no size, no behaviour.
	 * @param sid the session id
	 * @param ack the sender's ack number for this frame (unsigned)
	 * @param txid the transaction id (unsigned)
	 * @param name the transaction name as sent
	 */
	public TxStartFrame(SessionId sid, int ack, int txid, String name) {
		this(sid, ack, txid, name, UNKNOWN_SIZE, null, TransactionLayout.SEED);
	}

	/**
	 * Returns whether the frame announces how many bytes the transaction has.
	 * @return whether {@link #size()} is a length
	 */
	public boolean hasSize() {
		return this.size >= 0;
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
				+ FrameSupport.u32(this.txid) + ", name=\"" + LogText.escape(this.name) + "\""
				+ (hasSize() ? ", size=" + this.size : "") + ((this.behaviour != null) ? ", " + this.behaviour : "")
				+ ((this.layout != TransactionLayout.SEED) ? ", " + this.layout : "") + "]";
	}

}
