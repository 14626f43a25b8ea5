package dev.cryo.core.dialect;

import org.jspecify.annotations.Nullable;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.frame.TransactionLayout;

/**
 * The rules in which the sessions of one dialect differ, over an engine that is otherwise the
 * same: how a session opens, which frames are acknowledged, what a ping carries, which
 * transactions exist, and what each received frame means.
 */
public interface SessionPolicy {

	/** Which kind of transactions a dialect has. */
	enum TransactionFlavour {

		/** Cryo v1: push or pull chosen session-wide by TX_FLOW, ranges requested by TX_PULL. */
		SESSION_FLOW,

		/** CAMP: push or pull chosen per transaction in its TX_START, ranges requested by TX_FETCH. */
		PER_TRANSACTION,

		/** No transactions: streaming calls fail and transaction frames are the dispatcher's to refuse. */
		NONE

	}

	/**
	 * Returns the frame this endpoint opens the session with, sent tracked before anything else.
	 * @param sid the session id
	 * @return the frame, or {@code null} when this endpoint announces nothing
	 */
	@Nullable Frame openingFrame(SessionId sid);

	/**
	 * Returns whether the session waits for the peer's announcement before it is open, under the
	 * session's opening deadline; the dispatcher then reports it with
	 * {@link SessionContext#opened}. Otherwise the session opens as soon as it starts.
	 * @return whether the peer must announce itself first
	 */
	boolean awaitsPeerOpening();

	/**
	 * Returns whether the session sends frames before it is open: pings, ACKs, errors and the
	 * application's data. Not during a CALE handshake, before which the server sends nothing but
	 * handshake messages, which would otherwise leave in plaintext (legacy-v0.md §10.3 rule 5);
	 * sends fail meanwhile, and the opening deadline ends a client that does not complete it.
	 * @return {@code true} by default
	 */
	default boolean sendsWhileOpening() {
		return true;
	}

	/**
	 * Returns whether frames of a type take a fresh ack number and wait for the peer's ACK.
	 * @param type the frame type
	 * @return whether it is tracked
	 */
	boolean isTracked(FrameType type);

	/**
	 * Returns whether a ping takes a fresh ack number that its pong echoes; otherwise pings are
	 * sent with none and do not use up ack numbers.
	 * @return whether pings carry an ack number
	 */
	boolean pingCarriesAck();

	/**
	 * Returns the kind of transactions sessions of this dialect have.
	 * @return the flavour
	 */
	TransactionFlavour transactions();

	/**
	 * Returns the transaction layout a new session starts with.
	 * @param configured the deployment's Cryo v1 layout ({@code cryo.v1.transaction-layout})
	 * @return the layout; a dialect with a layout of its own ignores the configured one
	 */
	default TransactionLayout initialLayout(TransactionLayout configured) {
		return configured;
	}

	/**
	 * Returns whether a session whose peer never announces itself may still open, when the peer
	 * shows by its frames that it will not (cryo-v1.md §3 rule 9); the dispatcher then decides
	 * in {@link FrameDispatcher#announcementOverdue}.
	 * @return whether the engine reports an overdue announcement
	 */
	default boolean opensWithoutAnnouncement() {
		return false;
	}

	/**
	 * Returns the transaction layout of a session whose peer is taken to be one that never
	 * announces itself (cryo-v1.md §10.5 rule 1). The session switches to it when it opens that
	 * way, and reads the frames of a peer that has not announced itself in it, because a
	 * transaction frame from such a peer opens the session before it is handled (§3 rule 9 (a)).
	 * @param current the session's layout until then
	 * @return the layout; by default the current one
	 */
	default TransactionLayout unannouncedLayout(TransactionLayout current) {
		return current;
	}

	/**
	 * Returns whether the dialect says goodbye with BYE. Without it (the legacy generation,
	 * legacy-v0.md §10.7) a graceful close flushes what is queued and closes the WebSocket with
	 * 4000 and the reason, and a peer that stopped answering pings is closed with 4001 and the
	 * dead-peer reason (§6), both without a frame of their own.
	 * @return whether BYE exists
	 */
	default boolean hasGoodbye() {
		return true;
	}

	/**
	 * Returns what turns received frames into session actions.
	 * @return the dispatcher, shared by every session
	 */
	FrameDispatcher dispatcher();

}
