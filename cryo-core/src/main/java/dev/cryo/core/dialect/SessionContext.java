package dev.cryo.core.dialect;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.Utf8DataFrame;

/**
 * What a {@link FrameDispatcher} may do with the session that received a frame: each method
 * names one protocol event, and the engine turns it into sends, state changes, handler calls
 * and closes. Implemented by the engine, once per session.
 */
public interface SessionContext {

	/**
	 * Returns the session id.
	 * @return the id of the session
	 */
	SessionId sid();

	/**
	 * Returns whether this endpoint requested the upgrade.
	 * @return {@code true} for a client, {@code false} for a server
	 */
	boolean isClient();

	/**
	 * Returns whether the session still waits for the peer's announcement.
	 * @return whether the session is opening
	 */
	boolean isOpening();

	/**
	 * Returns whether the session is open (not opening, not closing).
	 * @return whether the session is open
	 */
	boolean isOpen();

	/**
	 * Returns whether the peer announced that it supports transactions.
	 * @return whether transaction frames are allowed from and to the peer
	 */
	boolean peerSupportsTransactions();

	/**
	 * Sends an ACK for a received frame.
	 * @param ack the ack number of the frame being acknowledged
	 */
	void acknowledge(int ack);

	/**
	 * The peer acknowledged one of this endpoint's tracked frames.
	 * @param ack the number it acknowledged
	 */
	void acknowledged(int ack);

	/**
	 * Sends an untracked frame ahead of queued data (a pong).
	 * @param frame the frame
	 * @param ack the number to put in its ack field, if the codec has one for it
	 */
	void sendExpedited(Frame frame, int ack);

	/** The peer pinged: a client watches this to notice a server that stopped its heartbeat. */
	void pingReceived();

	/** The peer answered a ping: it is alive. */
	void pongReceived();

	/**
	 * Records the protocol version the peer announced, before it is checked.
	 * @param version the unsigned version
	 */
	void peerVersion(long version);

	/**
	 * The peer's announcement was accepted: the session opens (once).
	 * @param peerFlags the peer's feature flags
	 */
	void opened(long peerFlags);

	/**
	 * The peer is taken to be one that never announces itself (cryo-v1.md §3 rule 9): the
	 * session takes the {@linkplain SessionPolicy#unannouncedLayout layout of such peers} and
	 * opens (once) with assumed version 1 and the given flags, and an announcement the peer
	 * sends later is reported with {@link #announcedLate}.
	 * @param assumedFlags the flags the peer is taken to have
	 */
	void openedWithoutAnnouncement(long assumedFlags);

	/**
	 * Returns whether the session opened without the peer's announcement and it has not
	 * announced itself since.
	 * @return whether a late announcement is still expected
	 */
	boolean awaitsLateAnnouncement();

	/**
	 * A peer whose session opened without its announcement announced itself after all: its
	 * flags replace the assumed ones; the session does not open again.
	 * @param peerFlags the peer's feature flags
	 */
	void announcedLate(long peerFlags);

	/**
	 * Returns whether the peer has sent at least one well-formed frame.
	 * @return whether anything well-formed arrived
	 */
	boolean hasReceivedFrames();

	/**
	 * Returns the transaction layout the session reads transaction frames in and starts new
	 * transactions with.
	 * @return the current layout
	 */
	TransactionLayout transactionLayout();

	/**
	 * Switches the session's transaction layout for the transactions that start from now on;
	 * running ones keep theirs (cryo-v1.md §10.5 rule 3).
	 * @param layout the new layout
	 */
	void useTransactionLayout(TransactionLayout layout);

	/**
	 * Sends a tracked protocol frame nobody waits for (a TX_CANCEL that refuses a transaction).
	 * @param frame the frame; its ack field is replaced by the next number
	 */
	void sendTracked(Frame frame);

	/**
	 * Tells the peer about a problem with one of its frames, with an ERROR frame nobody waits for;
	 * only logged in a cryo-protocol 1.4 session, whose peers misread ERROR frames (cryo-v1.md §10.5).
	 * @param message the text, naming the problem
	 */
	void reportError(String message);

	/**
	 * The peer said goodbye: flush what is queued, then close gracefully.
	 * @param reason the peer's reason
	 */
	void goodbyeReceived(String reason);

	/**
	 * The peer reported a problem; the application is told.
	 * @param error the frame
	 */
	void errorReceived(ErrorFrame error);

	/**
	 * An application text message arrived.
	 * @param data the frame
	 */
	void utf8Received(Utf8DataFrame data);

	/**
	 * An application binary message arrived.
	 * @param data the frame
	 */
	void binaryReceived(BinaryDataFrame data);

	/**
	 * A transaction frame arrived and passed the dialect's checks; it goes to the session's
	 * transactions.
	 * @param frame a frame of the {@code Cryo.Transaction} namespace
	 */
	void transactionFrameReceived(Frame frame);

	/**
	 * Ends the session gracefully from this side: BYE with the reason, then close.
	 * @param reason the reason
	 */
	void close(String reason);

	/**
	 * Ends the session at once because the peer broke the protocol (close code 4001).
	 * @param reason the close reason
	 */
	void protocolViolation(String reason);

	/**
	 * Ends the session at once with a close code of the dialect's own, without a goodbye and
	 * without flushing what is queued: the legacy generation closes with 4010 when a client asks
	 * for CALE on a path without it (legacy-v0.md §10.2).
	 * @param code the close code
	 * @param reason the close reason, truncated to 123 bytes
	 */
	void closeNow(int code, String reason);

}
