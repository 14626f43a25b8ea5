package dev.cryo.core.frame;

import org.jspecify.annotations.Nullable;

/**
 * The one exception the codec throws: a message that is not a legal Cryo v1 frame, or a frame
 * that cannot be built because its variable part is too large.
 *
 * <p>The message names the frame type (when the type byte could be read), the rule that was
 * broken and the byte offset where the problem was found, e.g.
 * {@code malformed frame: PING_PONG payload must be "ping" or "pong" (rule INVALID_PING_PONG_PAYLOAD, offset 13)}.
 * Session code answers {@linkplain Rule#isMalformed() malformed} frames with an ERROR frame and
 * ends the connection with close code 1009 for {@link Rule#PAYLOAD_TOO_LARGE}.
 */
public final class CryoFrameException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** The rules of cryo-v1.md §4.5 and §9 that a message can break. */
	public enum Rule {

		/** The message ends before the type byte, before the 13-byte header, or before the fixed fields of its type. */
		TOO_SHORT,

		/**
		 * A fixed-length frame that may not carry extra bytes is longer than its size: a PING_PONG
		 * (17 bytes in Cryo v1, 13 in CAMP) or the 25-byte TX_FETCH of cryo-protocol 1.4.
		 */
		TOO_LONG,

		/** The type byte is not assigned. */
		UNKNOWN_TYPE,

		/** A PING_PONG payload is not exactly {@code ping} or {@code pong}. */
		INVALID_PING_PONG_PAYLOAD,

		/** A TX_FLOW behaviour byte is neither 0 (push) nor 1 (pull). */
		INVALID_FLOW_BEHAVIOUR,

		/**
		 * A transaction frame whose header can be read but whose fields the dialect refuses: a
		 * CAMP TX_START with a name over 1 KiB, an unknown behaviour byte or a pull of unknown
		 * size, a TX_FETCH with an empty range (camp.md §4). The session can still answer it by
		 * its {@linkplain CryoFrameException#ack() ack} and {@linkplain CryoFrameException#txid() txid}.
		 */
		INVALID_TRANSACTION,

		/**
		 * A CALE handshake frame of the legacy generation (type 5–7: SERVER_HELLO, CLIENT_HELLO,
		 * HANDSHAKE_DONE) reached the frame codec. Those frames are not part of the frame model: the
		 * CALE layer reads them as bytes before the codec (legacy-v0.md §10.3), and anywhere else
		 * they are malformed (§10.5).
		 */
		HANDSHAKE_OUTSIDE_CALE,

		/** The variable part is larger than {@link Frame#MAX_PAYLOAD}; not malformed, but over the limit. */
		PAYLOAD_TOO_LARGE;

		/**
		 * Returns whether a frame breaking this rule is malformed in the sense of cryo-v1.md
		 * §4.5 (dropped and answered with an ERROR frame) rather than over the size limit of §9
		 * (the connection ends with 1009).
		 * @return whether the rule is a §4.5 decoding rule
		 */
		public boolean isMalformed() {
			return this != PAYLOAD_TOO_LARGE;
		}

	}

	private final Rule rule;

	private final @Nullable FrameType frameType;

	private final int offset;

	private final String problem;

	private final boolean identifiesTransaction;

	private final int ack;

	private final int txid;

	private final int typeByte;

	/**
	 * Creates an exception for a message or frame that breaks a rule; thrown by codecs and by
	 * the frame records themselves.
	 * @param rule the rule broken
	 * @param frameType the type, when the message got far enough to name it
	 * @param offset the byte offset where the problem was found
	 * @param problem what is wrong, in words a peer may read
	 */
	public CryoFrameException(Rule rule, @Nullable FrameType frameType, int offset, String problem) {
		super(describe(rule, offset, problem));
		this.rule = rule;
		this.frameType = frameType;
		this.offset = offset;
		this.problem = problem;
		this.identifiesTransaction = false;
		this.ack = 0;
		this.txid = 0;
		this.typeByte = -1;
	}

	private CryoFrameException(FrameType frameType, int offset, String problem, int ack, int txid) {
		super(describe(Rule.INVALID_TRANSACTION, offset, problem));
		this.rule = Rule.INVALID_TRANSACTION;
		this.frameType = frameType;
		this.offset = offset;
		this.problem = problem;
		this.identifiesTransaction = true;
		this.ack = ack;
		this.txid = txid;
		this.typeByte = -1;
	}

	private CryoFrameException(int typeByte, int offset, String problem) {
		super(describe(Rule.HANDSHAKE_OUTSIDE_CALE, offset, problem));
		this.rule = Rule.HANDSHAKE_OUTSIDE_CALE;
		this.frameType = null;
		this.offset = offset;
		this.problem = problem;
		this.identifiesTransaction = false;
		this.ack = 0;
		this.txid = 0;
		this.typeByte = typeByte & 0xFF;
	}

	/**
	 * Creates the exception for a legacy CALE handshake frame that reached the frame codec
	 * ({@link Rule#HANDSHAKE_OUTSIDE_CALE}). It keeps the type byte, because the dialect answers
	 * one of the three differently: a CLIENT_HELLO on a path without CALE closes the connection
	 * with 4010 (legacy-v0.md §10.2), the others are malformed (§10.5).
	 * @param typeByte the type byte of the message (5, 6 or 7)
	 * @param offset the byte offset of the type byte
	 * @param problem what is wrong, in words a peer may read
	 * @return the exception
	 */
	public static CryoFrameException handshakeOutsideCale(int typeByte, int offset, String problem) {
		return new CryoFrameException(typeByte, offset, problem);
	}

	/**
	 * Returns the type byte of a refused message that the codec could read but that carries no
	 * type of the frame model: set for {@link Rule#HANDSHAKE_OUTSIDE_CALE} only.
	 * @return the unsigned type byte, or -1 when it is not known
	 */
	public int typeByte() {
		return this.typeByte;
	}

	/**
	 * Creates the exception for a transaction frame that is readable up to its ack and txid but
	 * whose fields the dialect refuses ({@link Rule#INVALID_TRANSACTION}).
	 * @param frameType the frame type
	 * @param offset the byte offset of the refused field
	 * @param problem what is wrong, in words a peer may read
	 * @param ack the frame's ack number
	 * @param txid the transaction it names
	 * @return the exception
	 */
	public static CryoFrameException invalidTransaction(FrameType frameType, int offset, String problem, int ack,
			int txid) {
		return new CryoFrameException(frameType, offset, problem, ack, txid);
	}

	/**
	 * Returns whether the refused frame could be read up to its ack number and txid, so that
	 * the session can acknowledge and answer it ({@link Rule#INVALID_TRANSACTION}).
	 * @return whether {@link #ack()} and {@link #txid()} are known
	 */
	public boolean identifiesTransaction() {
		return this.identifiesTransaction;
	}

	/**
	 * Returns the ack number of a refused transaction frame.
	 * @return the ack number, 0 unless {@link #identifiesTransaction()}
	 */
	public int ack() {
		return this.ack;
	}

	/**
	 * Returns the txid a refused transaction frame names.
	 * @return the txid, 0 unless {@link #identifiesTransaction()}
	 */
	public int txid() {
		return this.txid;
	}

	private static String describe(Rule rule, int offset, String problem) {
		String kind = rule.isMalformed() ? "malformed frame: " : "oversized frame: ";
		return kind + problem + " (rule " + rule + ", offset " + offset + ")";
	}

	/**
	 * Returns the rule that was broken.
	 * @return the rule
	 */
	public Rule rule() {
		return this.rule;
	}

	/**
	 * Returns the frame type, or {@code null} when the message was too short to carry a type
	 * byte or the byte is unassigned.
	 * @return the frame type
	 */
	public @Nullable FrameType frameType() {
		return this.frameType;
	}

	/**
	 * Returns the offset in the message where the problem was found.
	 * @return the byte offset
	 */
	public int offset() {
		return this.offset;
	}

	/**
	 * Returns the short human-readable problem without the rule and offset suffix, suitable as
	 * the text of an ERROR frame sent to the peer, e.g.
	 * {@code malformed frame: unknown type 0x77}.
	 * @return the text for the peer
	 */
	public String peerMessage() {
		return (this.rule.isMalformed() ? "malformed frame: " : "oversized frame: ") + this.problem;
	}

}
